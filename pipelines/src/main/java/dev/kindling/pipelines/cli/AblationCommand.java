package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.EncoderAblationJob;
import dev.kindling.pipelines.jobs.EncoderAblationResult;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kindling ablation encoder}: the policy with and without the encoder, side by side. */
@Command(
    name = "ablation",
    mixinStandardHelpOptions = true,
    description = {
      "Train and evaluate the Kindling policy with and without a component on the same data, and"
          + " print both side by side. The one component so far: encoder (the behaviour-sequence"
          + " encoder, replay.encoder.enabled).",
      "Per seed, two closed-loop arms of the kindling policy, "
          + EncoderAblationJob.PLAIN
          + " and "
          + EncoderAblationJob.ENCODER
          + ", every other setting equal (simulate-loop --arm; <lakehouse.root>/loops/seed=S/"
          + "policy=A). An arm whose loop days are all measured and whose policy reads the encoder"
          + " as it should is reused; --rerun runs it afresh.",
      "Prints, per seed: the candidates of the last warm-up day (whose logs both arms share)"
          + " estimated off-policy on the same replay (DR with bootstrap intervals, FQE); and the"
          + " closed loop's means of interest breadth, new-content CTR, exposure Gini and CTR."
    })
final class AblationCommand implements Callable<Integer> {

  static final String ENCODER = "encoder";
  private static final int DEFAULT_DAYS = 14;

  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "COMPONENT", description = "What to ablate: encoder.")
  String component;

  @Option(
      names = "--days",
      description = "Loop days per arm (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_DAYS)
  int days;

  @Option(
      names = "--seeds",
      split = ",",
      paramLabel = "S",
      description = "The worlds' seeds, a pair of arms each (default: ${DEFAULT-VALUE}).",
      defaultValue = "1,2")
  List<Long> seeds;

  @Option(names = "--rerun", description = "Run every arm afresh, even a complete one.")
  boolean rerun;

  @Override
  public Integer call() {
    if (!ENCODER.equals(component)) {
      throw Errors.of(
          "Unknown ablation '" + component + "'.",
          "The ablation command compares the policy with and without one component, and the only"
              + " one it knows is the behaviour-sequence encoder.",
          "Run: bin/kindling ablation " + ENCODER + " [--days N] [--seeds S,S].");
    }
    if (days < 1 || seeds.isEmpty()) {
      throw Errors.of(
          "ablation encoder needs --days of at least 1 and one seed or more, got --days "
              + days
              + " and --seeds "
              + seeds
              + ".",
          "Each seed runs two closed-loop arms of --days loop days.",
          "Run: bin/kindling ablation encoder --days 14 --seeds 1,2.");
    }
    KindlingConfig config = common.load();
    EncoderAblationResult result =
        Stage.run(
            "kindling-ablation-encoder",
            config,
            spark -> new EncoderAblationJob(spark, config, seeds, days, rerun).run());
    System.out.println(result);
    return 0;
  }
}
