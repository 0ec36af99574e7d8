package dev.kindling.agents.train;

import dev.kindling.agents.nets.TrainingDivergedException;

/**
 * Runs rounds of the TD3+BC update over a source of transition batches and reports per-round
 * figures. Kindling's own interface, so that the single-JVM trainer and a distributed one train the
 * same networks interchangeably; an implementation owns its networks and updates them in place.
 */
public interface Trainer {

  /**
   * Runs {@code plan.rounds()} rounds of {@code plan.batchesPerRound()} batches each, reporting
   * each completed round to {@code listener} before the next one starts. Cost: one TD3+BC update
   * per batch (see {@link dev.kindling.agents.nets.LocalTd3BcStep} for its cost).
   *
   * @param source the batches, asked for in order
   * @param plan rounds, batches per round and seed
   * @param listener receives the figures of each completed round
   * @return the figures of every round and the run's time
   * @throws TrainingDivergedException when a round meets a non-finite value or a diverging Q; the
   *     message names the round and the quantity, and the networks are left as they were before
   *     that round
   */
  TrainingReport train(BatchSource source, TrainingPlan plan, RoundListener listener);
}
