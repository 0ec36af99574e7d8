package dev.kindling.agents.train;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.nets.TransitionBatch;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * The single-JVM {@link ReplayTrainer}: collects the batches to the driver once and runs {@link
 * LocalTrainer} over them, one round being one pass in the RDD's order.
 *
 * <p>Costs: the whole replay is held on the driver (about 1.2 KB per transition with the default
 * observation and history); use it for tests, small windows and as the benchmark's baseline. Not
 * thread-safe.
 */
public final class LocalReplayTrainer implements ReplayTrainer {

  private final LocalTrainer trainer;

  /** A trainer over {@code step}'s networks, updated in place. */
  public LocalReplayTrainer(LocalTd3BcStep step) {
    this.trainer = new LocalTrainer(step);
  }

  @Override
  public TrainingReport train(
      JavaRDD<TransitionBatch> batches, int rounds, long seed, RoundListener listener) {
    List<TransitionBatch> all = batches.collect();
    if (all.isEmpty()) {
      throw new IllegalArgumentException(
          "no replay batches to train on; run replay for the training window first");
    }
    return trainer.train(
        (round, index) -> all.get(index), new TrainingPlan(rounds, all.size(), seed), listener);
  }

  @Override
  public Td3BcNetworks networks() {
    return trainer.step().networks();
  }
}
