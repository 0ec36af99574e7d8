package dev.kindling.pipelines.jobs;

import dev.kindling.features.ope.BootstrapSpec;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What {@link EvaluateJob} needs: the lakehouse, the run date, the scenarios (agent order), the
 * bootstrap, the gate's thresholds, the sample sizes and the fitted-Q-evaluation settings.
 *
 * @param lakehouseRoot the lakehouse root
 * @param runDate D, the policy trained on D and the day its replay and logs describe
 * @param scenarios the scenarios in agent order, as the policy was trained with
 * @param bootstrap replicates, coverage and seed of every interval
 * @param valueTolerance how far the candidate's DR lower bound may lie below the logging value
 * @param maxCtrLoss the largest relative CTR loss allowed, in [0, 1]
 * @param explorationBand ≥ 1: the candidate's mean exploration probability must lie within a factor
 *     of this of the status quo's rate ({@link PromotionGate#explorationRate})
 * @param maxSteps cap on the seeded sample of D's replay steps evaluated
 * @param fqeSteps steps of that sample the FQE critic is fitted on
 * @param fqeIterations FQE iterations, one pass over the FQE steps each
 * @param fqeBatchSize transitions per fit of the FQE critic
 * @param gamma discount of the FQE targets (the training's {@code train.gamma})
 */
public record EvaluateConfig(
    String lakehouseRoot,
    LocalDate runDate,
    List<String> scenarios,
    BootstrapSpec bootstrap,
    double valueTolerance,
    double maxCtrLoss,
    double explorationBand,
    int maxSteps,
    int fqeSteps,
    int fqeIterations,
    int fqeBatchSize,
    double gamma) {

  /** Checks every field; throws {@link IllegalArgumentException} naming the bad value. */
  public EvaluateConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(bootstrap, "bootstrap");
    scenarios = List.copyOf(scenarios);
    if (!(valueTolerance >= 0.0) || Double.isInfinite(valueTolerance)) {
      throw new IllegalArgumentException(
          "EvaluateConfig.valueTolerance must be finite and >= 0, got " + valueTolerance);
    }
    if (!(maxCtrLoss >= 0.0 && maxCtrLoss <= 1.0)) {
      throw new IllegalArgumentException(
          "EvaluateConfig.maxCtrLoss must lie in [0, 1], got " + maxCtrLoss);
    }
    if (!(explorationBand >= 1.0) || Double.isInfinite(explorationBand)) {
      throw new IllegalArgumentException(
          "EvaluateConfig.explorationBand must be finite and >= 1, got " + explorationBand);
    }
    if (maxSteps < 1 || fqeSteps < 1 || fqeIterations < 1 || fqeBatchSize < 1) {
      throw new IllegalArgumentException(
          "EvaluateConfig step counts must be positive, got maxSteps "
              + maxSteps
              + ", fqeSteps "
              + fqeSteps
              + ", fqeIterations "
              + fqeIterations
              + ", fqeBatchSize "
              + fqeBatchSize);
    }
    if (!(gamma >= 0.0 && gamma < 1.0)) {
      throw new IllegalArgumentException("EvaluateConfig.gamma must lie in [0, 1), got " + gamma);
    }
  }

  /**
   * The evaluate config of {@code runDate} from the {@code evaluate.*} keys, {@code scenarios} and
   * {@code train.gamma}.
   *
   * @throws dev.kindling.pipelines.KindlingException when the keys do not form a valid config
   */
  public static EvaluateConfig from(KindlingConfig config, LocalDate runDate) {
    try {
      return new EvaluateConfig(
          config.get(ConfigKeys.LAKEHOUSE_ROOT),
          runDate,
          config.get(ConfigKeys.SCENARIOS),
          new BootstrapSpec(
              config.get(ConfigKeys.EVALUATE_BOOTSTRAP_REPLICATES),
              config.get(ConfigKeys.EVALUATE_CONFIDENCE_LEVEL),
              config.get(ConfigKeys.EVALUATE_SEED)),
          config.get(ConfigKeys.EVALUATE_VALUE_TOLERANCE),
          config.get(ConfigKeys.EVALUATE_MAX_CTR_LOSS),
          config.get(ConfigKeys.EVALUATE_EXPLORATION_BAND),
          config.get(ConfigKeys.EVALUATE_MAX_STEPS),
          config.get(ConfigKeys.EVALUATE_FQE_STEPS),
          config.get(ConfigKeys.EVALUATE_FQE_ITERATIONS),
          config.get(ConfigKeys.EVALUATE_FQE_BATCH_SIZE),
          config.get(ConfigKeys.TRAIN_GAMMA));
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Invalid evaluate configuration: " + e.getMessage() + ".",
          "The evaluate.* keys must form a valid evaluation.",
          "Fix the keys under 'evaluate' (bin/kindling config lists them).");
    }
  }
}
