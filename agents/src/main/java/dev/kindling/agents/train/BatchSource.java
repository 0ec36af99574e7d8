package dev.kindling.agents.train;

import dev.kindling.agents.nets.TransitionBatch;

/**
 * Where a training run takes its transitions from: batch {@code index} of round {@code round}.
 * Implementations decide whether rounds see the same batches again (epochs over a fixed replay) or
 * fresh ones (sampling). Called once per batch, in order, from the trainer's thread.
 */
@FunctionalInterface
public interface BatchSource {

  /**
   * The transitions of one batch.
   *
   * @param round the round, counted from 1
   * @param index the batch within the round, in [0, {@link TrainingPlan#batchesPerRound()})
   * @return a batch whose arrays match the trainer's network shape
   */
  TransitionBatch batch(int round, int index);
}
