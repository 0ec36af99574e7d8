package dev.kindling.pipelines.jobs;

import java.time.LocalDate;
import java.util.List;

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
}
