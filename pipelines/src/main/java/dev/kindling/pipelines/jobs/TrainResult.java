package dev.kindling.pipelines.jobs;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * What one {@link TrainJob} attempt did.
 *
 * @param runDate D
 * @param runId the attempt's {@code run_id} in {@code training_runs}
 * @param trainer {@code spark} or {@code local}
 * @param start how the networks started: {@code fresh}, {@code warm start from <policy>} or {@code
 *     resumed after round <k>}
 * @param windowDates the replay days trained on, ascending
 * @param transitionsPerRound transitions in the sample each round passed over (0 when no round ran)
 * @param roundsRun rounds this attempt ran
 * @param rounds rounds of the complete run
 * @param firstCriticLoss critic_loss_1 of this attempt's first round (NaN when none ran)
 * @param lastCriticLoss critic_loss_1 of the last round (NaN when none ran)
 * @param transitionsPerSecond the attempt's training throughput (NaN when no round ran)
 * @param seconds wall-clock seconds of the whole attempt, reading and writing included
 * @param modelDirectory where the trained policy was written
 */
public record TrainResult(
    LocalDate runDate,
    String runId,
    String trainer,
    String start,
    List<LocalDate> windowDates,
    long transitionsPerRound,
    int roundsRun,
    int rounds,
    double firstCriticLoss,
    double lastCriticLoss,
    double transitionsPerSecond,
    double seconds,
    String modelDirectory) {

  /** Copies the window's dates. */
  public TrainResult {
    windowDates = List.copyOf(windowDates);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "train %s: %d of %d rounds with the %s trainer (%s) over %d transitions of %d replay days"
            + " (%s..%s), critic loss %.4g -> %.4g, %.0f transitions/s, %.1f s; model in %s"
            + " (run_id %s)",
        runDate,
        roundsRun,
        rounds,
        trainer,
        start,
        transitionsPerRound,
        windowDates.size(),
        windowDates.isEmpty() ? "-" : windowDates.get(0),
        windowDates.isEmpty() ? "-" : windowDates.get(windowDates.size() - 1),
        firstCriticLoss,
        lastCriticLoss,
        transitionsPerSecond,
        seconds,
        modelDirectory,
        runId);
  }
}
