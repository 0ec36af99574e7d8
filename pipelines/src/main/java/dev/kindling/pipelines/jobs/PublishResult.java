package dev.kindling.pipelines.jobs;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * What one {@link PublishJob} did.
 *
 * @param runDate D
 * @param directory the artifact directory written, {@code artifacts/policy/dt=D}
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

  @Override
  public String toString() {
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
