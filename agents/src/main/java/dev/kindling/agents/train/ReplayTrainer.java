package dev.kindling.agents.train;

import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.nets.TransitionBatch;
import org.apache.spark.api.java.JavaRDD;

/**
 * Trains the TD3+BC networks over a replay held in Spark: every round is one pass over all the
 * batches of the RDD (one TD3+BC update per batch). Kindling's own interface over the single-JVM
 * trainer ({@link LocalReplayTrainer}) and the distributed one, so that the train stage picks
 * either by configuration and treats them alike.
 */
public interface ReplayTrainer {

  /**
   * Runs {@code rounds} rounds over {@code batches}, reporting each completed round to {@code
   * listener} before the next starts.
   *
   * @param batches the replay's transitions in batches; persist it when it is costly to compute,
   *     every round reads it again
   * @param rounds rounds to run, at least 1
   * @param seed seed of the trainer's random generators
   * @param listener receives the figures of each completed round
   * @return the figures of every round and the run's time
   * @throws dev.kindling.agents.nets.TrainingDivergedException when a round meets a non-finite
   *     value or a diverging Q; the message names the round and the quantity, and the networks are
   *     left as they were before that round
   */
  TrainingReport train(
      JavaRDD<TransitionBatch> batches, int rounds, long seed, RoundListener listener);

  /** The networks being trained (live): what a checkpoint saves once a round is reported. */
  Td3BcNetworks networks();
}
