package dev.kindling.pipelines.cli;

import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.pipelines.bench.TrainingBenchmark;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.TrainConfig;
import dev.kindling.pipelines.jobs.TrainJob;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kindling benchmark training}: the Spark trainer's throughput against the single-JVM
 * trainer's on the same replay batches, as a ratio.
 */
@Command(
    name = "training",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark training throughput (transitions/s): the Spark trainer (dl4j-spark parameter"
          + " averaging over train.workers partitions) against the single-JVM trainer, on the same"
          + " sample of the replay window of --run-date, fresh networks with the same seed, the"
          + " same rounds; two interleaved repetitions each, the best counts; the first round of a"
          + " run is warm-up and left out of the throughput.",
      "Needs replay for the run date (e.g. after 'bin/kindling nightly --demo'); writes nothing."
    })
final class BenchmarkTrainingCommand implements Callable<Integer> {

  private static final int DEFAULT_ROUNDS = 5;
  private static final int DEFAULT_TRANSITIONS = 20_000;

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Option(
      names = "--rounds",
      description = "Rounds per trainer run, at least 2 (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_ROUNDS)
  int rounds;

  @Option(
      names = "--transitions",
      description = "Transitions sampled from the replay window (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_TRANSITIONS)
  int transitions;

  @Override
  public Integer call() {
    common.overrides.add(ConfigKeys.TRAIN_TRANSITIONS_PER_ROUND.path() + "=" + transitions);
    KindlingConfig config = common.load();
    TrainConfig train = TrainConfig.from(config, date.runDate());
    TrainingBenchmark.Figures figures =
        Stage.run(
            "kindling-benchmark-training",
            config,
            spark -> {
              TrainJob.TrainingData data = new TrainJob(spark, train).trainingData();
              JavaRDD<TransitionBatch> batches = data.batches().persist(StorageLevel.MEMORY_ONLY());
              try {
                return new TrainingBenchmark(
                        JavaSparkContext.fromSparkContext(spark.sparkContext()),
                        batches,
                        data.shape(),
                        train.td3bc(),
                        rounds,
                        train.workers(),
                        train.seed(),
                        System.out)
                    .run();
              } finally {
                batches.unpersist(false);
              }
            });
    System.out.printf(
        Locale.ROOT, "training throughput ratio spark/local: %.2f%n", figures.ratio());
    return 0;
  }
}
