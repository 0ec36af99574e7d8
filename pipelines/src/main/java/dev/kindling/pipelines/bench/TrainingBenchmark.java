package dev.kindling.pipelines.bench;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.agents.train.LocalReplayTrainer;
import dev.kindling.agents.train.ReplayTrainer;
import dev.kindling.agents.train.RoundFigures;
import dev.kindling.agents.train.SparkReplayTrainer;
import dev.kindling.agents.train.TrainingReport;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Training throughput of the distributed trainer against the single-JVM one on the same batches,
 * side by side in one run: each trainer trains fresh networks (the same seed, so the same starting
 * parameters) for the same rounds over the same persisted RDD, twice, interleaved (Spark, local,
 * Spark, local), and the best of the two repetitions counts. Throughput is transitions per second
 * over the rounds after the first (the first round pays for JIT compilation, network building on
 * the executors and the first broadcasts); the first round's time is printed beside it.
 *
 * <p>Not a test: it prints figures and asserts nothing. Costs: 4 × rounds × the batches' passes.
 */
public final class TrainingBenchmark {

  private static final int REPETITIONS = 2;

  private final JavaSparkContext sc;
  private final JavaRDD<TransitionBatch> batches;
  private final NetworkShape shape;
  private final Td3BcConfig config;
  private final int rounds;
  private final int workers;
  private final long seed;
  private final PrintStream out;

  /**
   * A benchmark over {@code batches} (persisted by the caller).
   *
   * @param sc the Spark context
   * @param batches the replay's batches, persisted
   * @param shape the networks' shape
   * @param config the update's hyperparameters
   * @param rounds rounds per trainer run, at least 2
   * @param workers the Spark trainer's workers
   * @param seed the networks' and trainers' seed
   * @param out where the figures go
   */
  public TrainingBenchmark(
      JavaSparkContext sc,
      JavaRDD<TransitionBatch> batches,
      NetworkShape shape,
      Td3BcConfig config,
      int rounds,
      int workers,
      long seed,
      PrintStream out) {
    if (rounds < 2) {
      throw new IllegalArgumentException(
          "the training benchmark needs at least 2 rounds (the first is warm-up), got " + rounds);
    }
    this.sc = sc;
    this.batches = batches;
    this.shape = shape;
    this.config = config;
    this.rounds = rounds;
    this.workers = workers;
    this.seed = seed;
    this.out = out;
  }

  /** Runs both trainers and prints their throughput and the ratio. */
  public Figures run() {
    long transitions = batches.map(TransitionBatch::size).reduce(Long::sum);
    long batchCount = batches.count();
    out.printf(
        Locale.ROOT,
        "training benchmark: %d transitions in %d batches, %d rounds per run, %d repetitions,"
            + " Spark trainer over %d workers (%s)%n",
        transitions,
        batchCount,
        rounds,
        REPETITIONS,
        workers,
        sc.master());
    Run spark = null;
    Run local = null;
    for (int repetition = 1; repetition <= REPETITIONS; repetition++) {
      spark = best(spark, measure("spark", step -> new SparkReplayTrainer(sc, step, workers)));
      local = best(local, measure("local", LocalReplayTrainer::new));
    }
    double ratio = spark.steadyThroughput() / local.steadyThroughput();
    out.printf(
        Locale.ROOT,
        "spark (%d workers on %s): %.0f transitions/s (first round %.1f s)%n"
            + "local (single JVM): %.0f transitions/s (first round %.1f s)%n"
            + "ratio spark / local: %.2f%n",
        workers,
        sc.master(),
        spark.steadyThroughput(),
        spark.firstRoundSeconds(),
        local.steadyThroughput(),
        local.firstRoundSeconds(),
        ratio);
    return new Figures(spark.steadyThroughput(), local.steadyThroughput(), ratio);
  }

  private Run measure(String label, Function<LocalTd3BcStep, ReplayTrainer> trainerOf) {
    LocalTd3BcStep step = LocalTd3BcStep.create(shape, config);
    TrainingReport report = trainerOf.apply(step).train(batches, rounds, seed, figures -> {});
    List<RoundFigures> all = report.rounds();
    long steadyTransitions = 0;
    double steadySeconds = 0.0;
    for (RoundFigures figures : all.subList(1, all.size())) {
      steadyTransitions += figures.transitions();
      steadySeconds += figures.seconds();
    }
    Run run = new Run(steadyTransitions / steadySeconds, all.get(0).seconds());
    out.printf(
        Locale.ROOT,
        "  %s: %.0f transitions/s after the first round (%.1f s); critic loss %.4g -> %.4g%n",
        label,
        run.steadyThroughput(),
        run.firstRoundSeconds(),
        all.get(0).criticLoss1(),
        all.get(all.size() - 1).criticLoss1());
    return run;
  }

  private static Run best(Run current, Run candidate) {
    return current == null || candidate.steadyThroughput() > current.steadyThroughput()
        ? candidate
        : current;
  }

  /** One trainer run's figures. */
  private record Run(double steadyThroughput, double firstRoundSeconds) {}

  /**
   * The benchmark's outcome.
   *
   * @param sparkTransitionsPerSecond the Spark trainer's best steady throughput
   * @param localTransitionsPerSecond the single-JVM trainer's best steady throughput
   * @param ratio the first over the second
   */
  public record Figures(
      double sparkTransitionsPerSecond, double localTransitionsPerSecond, double ratio) {}
}
