package dev.kindling.features.validate;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of {@link EventValidation#validate}: lazy Datasets, evaluated when the caller writes
 * or counts them. For the events, {@code accepted + duplicates + quarantined = input}.
 *
 * @param accepted events that passed, one per {@code event_id}, in {@code EventsSchema.SCHEMA}
 * @param quarantined events that broke the contract, one row each, in {@code
 *     QuarantineSchema.SCHEMA} with source {@code events}
 * @param duplicates passing events dropped because an earlier one had the same {@code event_id}, in
 *     {@code EventsSchema.SCHEMA}; counted, not quarantined
 * @param referenceQuarantined items and users rows without a key, in {@code
 *     QuarantineSchema.SCHEMA} with source {@code items} or {@code users}
 * @param absentOptionalColumns optional event columns the log lacked (filled with nulls)
 * @param classified every input event with its faults: the intermediate the three event outputs
 *     derive from. A caller that writes or counts several outputs persists it first, so the joins
 *     and checks run once.
 */
public record EventValidationResult(
    Dataset<Row> accepted,
    Dataset<Row> quarantined,
    Dataset<Row> duplicates,
    Dataset<Row> referenceQuarantined,
    List<String> absentOptionalColumns,
    Dataset<Row> classified) {

  /** Copies the list so the record stays immutable. */
  public EventValidationResult {
    absentOptionalColumns = List.copyOf(absentOptionalColumns);
  }

  /** Every quarantine row of the run (events, items, users): what the quarantine table gets. */
  public Dataset<Row> allQuarantined() {
    return quarantined.unionByName(referenceQuarantined);
  }
}
