package dev.kindling.pipelines.jobs;

import java.time.LocalDate;
import java.util.List;

/**
 * What one {@link ValidateJob} run did. For the day's events, {@code accepted + duplicates +
 * quarantined = input} always holds.
 *
 * @param input raw event rows read for the run date
 * @param accepted rows written to {@code validated_events}
 * @param duplicates rows dropped as a repeated {@code event_id} (the first by ts won)
 * @param quarantined event rows written to {@code quarantine}
 * @param referenceQuarantined item and user rows without a key, also written to {@code quarantine}
 * @param absentOptionalColumns optional contract columns the log does not carry (read as null)
 * @param validatedVersion Delta version of {@code validated_events} after the write
 * @param quarantineVersion Delta version of {@code quarantine} after the write
 */
public record ValidateResult(
    LocalDate runDate,
    long input,
    long accepted,
    long duplicates,
    long quarantined,
    long referenceQuarantined,
    List<String> absentOptionalColumns,
    long validatedVersion,
    long quarantineVersion) {

  public ValidateResult {
    absentOptionalColumns = List.copyOf(absentOptionalColumns);
  }

  @Override
  public String toString() {
    return String.format(
        "validate %s: input=%d accepted=%d duplicates=%d quarantined=%d"
            + " (items/users quarantined=%d) absent optional columns=%s",
        runDate,
        input,
        accepted,
        duplicates,
        quarantined,
        referenceQuarantined,
        absentOptionalColumns);
  }
}
