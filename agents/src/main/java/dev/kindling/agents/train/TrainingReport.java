package dev.kindling.agents.train;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of a completed training run: the figures of every round, in order, and the run's
 * wall-clock time.
 *
 * @param rounds the figures of each round, round 1 first
 * @param seconds wall-clock seconds of the whole run
 */
public record TrainingReport(List<RoundFigures> rounds, double seconds) {

  /** Copies {@code rounds}. */
  public TrainingReport {
    rounds = List.copyOf(rounds);
  }

  /** Transitions trained on over all rounds. */
  public long transitions() {
    return rounds.stream().mapToLong(RoundFigures::transitions).sum();
  }

  /** The run's summary line for the trainers' logs. */
  public String summaryLine() {
    return String.format(
        Locale.ROOT,
        "trained %d rounds, %d transitions in %.4g s (%d transitions/s)",
        rounds.size(),
        transitions(),
        seconds,
        Math.round(transitionsPerSecond()));
  }

  /** Transitions per second over the run; infinite when the clock measured no time. */
  public double transitionsPerSecond() {
    return seconds > 0.0 ? transitions() / seconds : Double.POSITIVE_INFINITY;
  }
}
