package dev.kindling.pipelines.jobs;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.train.LocalReplayTrainer;
import dev.kindling.agents.train.ReplayTrainer;
import dev.kindling.agents.train.SparkReplayTrainer;
import dev.kindling.pipelines.config.ConfigKeys;
import org.apache.spark.api.java.JavaSparkContext;

/** Builds the {@link ReplayTrainer} that {@code train.trainer} names, over a step's networks. */
public final class Trainers {

  private Trainers() {}

  /**
   * The trainer of kind {@code kind} updating {@code step}'s networks in place.
   *
   * @param kind {@link ConfigKeys#TRAINER_SPARK} or {@link ConfigKeys#TRAINER_LOCAL}
   * @param sc the Spark context the distributed trainer runs on
   * @param step the TD3+BC update and its (fresh, warm-started or resumed) networks
   * @param workers the distributed trainer's parallel workers (the batches' partitions)
   * @throws IllegalArgumentException for another kind
   */
  public static ReplayTrainer create(
      String kind, JavaSparkContext sc, LocalTd3BcStep step, int workers) {
    switch (kind) {
      case ConfigKeys.TRAINER_LOCAL:
        return new LocalReplayTrainer(step);
      case ConfigKeys.TRAINER_SPARK:
        return new SparkReplayTrainer(sc, step, workers);
      default:
        throw new IllegalArgumentException(
            "unknown trainer '"
                + kind
                + "'; expected "
                + ConfigKeys.TRAINER_SPARK
                + " or "
                + ConfigKeys.TRAINER_LOCAL);
    }
  }
}
