package dev.kindling.agents.train;

/**
 * Receives the figures of each completed round, in order, on the trainer's thread (e.g. to append a
 * {@code training_runs} row or write a checkpoint). A round that fails is not reported.
 */
@FunctionalInterface
public interface RoundListener {

  /** A listener that ignores every round. */
  RoundListener NONE = figures -> {};

  /**
   * Called once after each completed round; an exception thrown here stops the run.
   *
   * @param figures the round's figures
   */
  void onRound(RoundFigures figures);
}
