package dev.kindling.pipelines.jobs;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * What one {@link PublishJob} did.
 *
 * @param runDate D
 * @param published whether the artifact was published; false when the evaluation gate blocked it
 * @param blockedBecause the failed gate checks with their figures when blocked, else null
 * @param directory the artifact directory written, {@code artifacts/policy/dt=D}; null when blocked
 * @param latest the directory {@code LATEST} names afterwards (D's, unless a later date was already
 *     published)
 * @param gate the gate recorded in the manifest
 * @param files files in the artifact besides the manifest and its checksum
 * @param bytes their total size
 * @param quotaItems items with a heating quota
 * @param trainingRounds training figures recorded (rows of training_runs for D)
 * @param deleted older artifact directories removed to keep publish.keep
 * @param seconds wall-clock seconds of the job
 */
public record PublishResult(
    LocalDate runDate,
    boolean published,
    String blockedBecause,
    String directory,
    String latest,
    String gate,
    int files,
    long bytes,
    long quotaItems,
    int trainingRounds,
    List<String> deleted,
    double seconds) {

  /** Copies the deleted names. */
  public PublishResult {
    deleted = List.copyOf(deleted);
  }

  /** The {@code gate} of a result the evaluation gate blocked (no manifest records it). */
  public static final String GATE_BLOCKED = "failed";

  /** The result of a publication the gate blocked: nothing written, LATEST as it was. */
  public static PublishResult blocked(
      LocalDate runDate, String latest, String reasons, double seconds) {
    return new PublishResult(
        runDate, false, reasons, null, latest, GATE_BLOCKED, 0, 0L, 0L, 0, List.of(), seconds);
  }

  @Override
  public String toString() {
    if (!published) {
      return String.format(
          Locale.ROOT,
          "publish %s: BLOCKED by the evaluation gate, nothing published (%s); LATEST still names"
              + " %s; %.1f s",
          runDate,
          blockedBecause,
          latest == null ? "nothing" : latest,
          seconds);
    }
    return String.format(
        Locale.ROOT,
        "publish %s: %s (gate %s, %d files, %d bytes, %d items with a quota, %d training rounds);"
            + " LATEST names %s%s; %.1f s",
        runDate,
        directory,
        gate,
        files,
        bytes,
        quotaItems,
        trainingRounds,
        latest,
        deleted.isEmpty() ? "" : "; removed " + deleted,
        seconds);
  }
}
