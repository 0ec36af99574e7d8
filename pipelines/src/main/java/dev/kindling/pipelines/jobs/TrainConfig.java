package dev.kindling.pipelines.jobs;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link TrainJob} needs: the lakehouse, the run date, the scenarios (agent order), the
 * trainer, the window and sample sizes, and the TD3+BC hyperparameters. Validated on construction
 * (the config keys are validated again here as a whole, e.g. γ against {@link Td3BcConfig}).
 *
 * @param lakehouseRoot the lakehouse root
 * @param runDate D, the last day of the window and the partition of every output
 * @param scenarios the scenarios in agent-index order (actor k serves {@code scenarios.get(k)})
 * @param trainer {@link ConfigKeys#TRAINER_SPARK} or {@link ConfigKeys#TRAINER_LOCAL}
 * @param windowDays replay days D−windowDays+1..D read (those that exist)
 * @param rounds rounds of a complete run
 * @param batchSize transitions per TD3+BC update
 * @param transitionsPerRound cap on the seeded sample each round passes over
 * @param seed seed of the sample, the fresh networks and the trainer
 * @param td3bc γ, τ, α, entropy weight, the divergence guard and the reference weight κ (the
 *     reference actions themselves are found by {@link TrainJob} from the replay or the published
 *     policy)
 * @param actorLearningRate Adam learning rate of the actors
 * @param criticLearningRate Adam learning rate of the critics
 * @param workers partitions of the batches RDD
 * @param encoder the behaviour-sequence encoder the actors and critics read, when {@code
 *     replay.encoder.enabled}: E from {@code embeddings.dimension}, N from {@code
 *     replay.encoder.recent-steps}, as the replay's encoder columns were built
 */
public record TrainConfig(
    String lakehouseRoot,
    LocalDate runDate,
    List<String> scenarios,
    String trainer,
    int windowDays,
    int rounds,
    int batchSize,
    int transitionsPerRound,
    long seed,
    Td3BcConfig td3bc,
    double actorLearningRate,
    double criticLearningRate,
    int workers,
    Optional<EncoderShape> encoder) {

  /** Checks every field; throws {@link IllegalArgumentException} naming the bad value. */
  public TrainConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(td3bc, "td3bc");
    Objects.requireNonNull(encoder, "encoder");
    scenarios = List.copyOf(scenarios);
    if (!List.of(ConfigKeys.TRAINER_SPARK, ConfigKeys.TRAINER_LOCAL).contains(trainer)) {
      throw new IllegalArgumentException("unknown trainer '" + trainer + "'");
    }
    requirePositive("windowDays", windowDays);
    requirePositive("rounds", rounds);
    requirePositive("batchSize", batchSize);
    requirePositive("transitionsPerRound", transitionsPerRound);
    requirePositive("workers", workers);
    if (scenarios.isEmpty() || scenarios.stream().distinct().count() != scenarios.size()) {
      throw new IllegalArgumentException("scenarios must be distinct and non-empty: " + scenarios);
    }
    // The shape validates the learning rates.
    NetworkShape.of(1, 1, 1, 1, seed).withLearningRates(actorLearningRate, criticLearningRate);
  }

  /**
   * The train config of {@code runDate} from the {@code train.*} keys and {@code scenarios}.
   *
   * @throws dev.kindling.pipelines.KindlingException when the keys do not form a valid config
   */
  public static TrainConfig from(KindlingConfig config, LocalDate runDate) {
    try {
      Td3BcConfig td3bc =
          new Td3BcConfig(
              config.get(ConfigKeys.TRAIN_GAMMA),
              config.get(ConfigKeys.TRAIN_TAU),
              config.get(ConfigKeys.TRAIN_ALPHA),
              config.get(ConfigKeys.TRAIN_ENTROPY_WEIGHT),
              Td3BcConfig.DEFAULT_MIN_Q_SCALE,
              Td3BcConfig.DEFAULT_Q_BOUND,
              config.get(ConfigKeys.TRAIN_BEHAVIOUR_RELAXATION),
              config.get(ConfigKeys.TRAIN_REFERENCE_WEIGHT),
              List.of());
      return new TrainConfig(
          config.get(ConfigKeys.LAKEHOUSE_ROOT),
          runDate,
          config.get(ConfigKeys.SCENARIOS),
          config.get(ConfigKeys.TRAIN_TRAINER),
          config.get(ConfigKeys.TRAIN_WINDOW_DAYS),
          config.get(ConfigKeys.TRAIN_ROUNDS),
          config.get(ConfigKeys.TRAIN_BATCH_SIZE),
          config.get(ConfigKeys.TRAIN_TRANSITIONS_PER_ROUND),
          config.get(ConfigKeys.TRAIN_SEED),
          td3bc,
          config.get(ConfigKeys.TRAIN_ACTOR_LEARNING_RATE),
          config.get(ConfigKeys.TRAIN_CRITIC_LEARNING_RATE),
          config.get(ConfigKeys.TRAIN_WORKERS),
          config.get(ConfigKeys.REPLAY_ENCODER_ENABLED)
              ? Optional.of(
                  EncoderShape.of(
                      config.get(ConfigKeys.EMBEDDINGS_DIMENSION),
                      config.get(ConfigKeys.REPLAY_ENCODER_RECENT_STEPS)))
              : Optional.empty());
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Invalid train configuration: " + e.getMessage() + ".",
          "The train.* keys must form a valid TD3+BC setup.",
          "Fix the keys under 'train' (bin/kindling config lists them).");
    }
  }

  private static void requirePositive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("TrainConfig." + name + " must be positive, got " + value);
    }
  }
}
