package dev.kindling.agents.train;

/**
 * How long a training run is: {@code rounds} rounds of {@code batchesPerRound} TD3+BC updates each,
 * with a seed for the trainer's own randomness. Validated on construction.
 *
 * @param rounds rounds to run, at least 1
 * @param batchesPerRound batches (one update each) per round, at least 1
 * @param seed seed of the trainer's random generator (ND4J's in the single-JVM trainer)
 */
public record TrainingPlan(int rounds, int batchesPerRound, long seed) {

  /** Validates every field; throws {@link IllegalArgumentException} naming the bad value. */
  public TrainingPlan {
    if (rounds < 1) {
      throw new IllegalArgumentException("TrainingPlan.rounds must be at least 1, got " + rounds);
    }
    if (batchesPerRound < 1) {
      throw new IllegalArgumentException(
          "TrainingPlan.batchesPerRound must be at least 1, got " + batchesPerRound);
    }
  }
}
