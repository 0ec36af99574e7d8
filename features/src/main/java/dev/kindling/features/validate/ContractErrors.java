package dev.kindling.features.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Every user-facing message of log validation, built in one place: each says the problem, why it
 * matters, how to fix it, and the bad value. Schema-level faults become a {@link
 * LogContractException}; row-level faults become a Spark string column for {@code
 * quarantine.reason}.
 */
public final class ContractErrors {

  /** Shown in place of a bad value that is null. */
  static final String NULL_VALUE = "null";

  /** The found type reported for a missing column. */
  static final String ABSENT = "absent";

  private ContractErrors() {}

  /**
   * The error for a required column missing from a log.
   *
   * @param log the raw log ({@code events}, {@code items}, {@code users})
   * @param column the missing column
   * @param expected the contract's type of the column
   * @param found the log's schema as read
   */
  public static LogContractException missingColumn(
      String log, String column, DataType expected, StructType found) {
    String sameButCase =
        Arrays.stream(found.fieldNames())
            .filter(name -> name.equalsIgnoreCase(column))
            .findFirst()
            .map(
                name ->
                    " A column '" + name + "' differs only in case: rename it to '" + column + "'.")
            .orElse("");
    String message =
        String.format(
            Locale.ROOT,
            "Log '%s' has no column '%s' (expected type %s, found: %s). Every %s row needs it, so"
                + " the log cannot be validated.%s Fix: have the producer write '%s' as %s, or"
                + " land the log under the raw log contract in the README. Columns"
                + " found: %s.",
            log,
            column,
            expected.simpleString(),
            ABSENT,
            log,
            sameButCase,
            column,
            expected.simpleString(),
            String.join(", ", found.fieldNames()));
    return new LogContractException(message, log, column, expected.simpleString(), ABSENT);
  }

  /**
   * The error for a column whose type neither equals the contract's nor casts to it safely (schema
   * drift).
   *
   * @param log the raw log
   * @param column the drifted column
   * @param expected the contract's type
   * @param accepted the further types that are accepted and cast (may be empty)
   * @param found the type found in the log
   */
  public static LogContractException wrongType(
      String log, String column, DataType expected, List<String> accepted, DataType found) {
    String alsoAccepted =
        accepted.isEmpty() ? "" : " (also accepted and cast: " + String.join(", ", accepted) + ")";
    String message =
        String.format(
            Locale.ROOT,
            "Log '%s' column '%s' has type %s, expected %s%s. The producer's schema drifted and"
                + " every row would be misread. Fix: write '%s' as %s in the producer, or cast"
                + " it before landing the log.",
            log,
            column,
            found.simpleString(),
            expected.simpleString(),
            alsoAccepted,
            column,
            expected.simpleString());
    return new LogContractException(
        message, log, column, expected.simpleString(), found.simpleString());
  }

  /**
   * The {@code quarantine.reason} of a row filed under {@code code}: problem, bad value, why and
   * fix.
   *
   * @param code the fault
   * @param badValue a string column rendering the offending value(s); null renders as {@code null}
   */
  public static Column rowReason(ReasonCode code, Column badValue) {
    Text text = text(code);
    return concat(
        lit(text.problem() + " (found "),
        coalesce(badValue, lit(NULL_VALUE)),
        lit("). " + text.why() + " Fix: " + text.fix()));
  }

  /**
   * The suffix naming further faults of a row after its first one.
   *
   * @param codes the further faults' names, comma-separated
   */
  static Column furtherFaults(Column codes) {
    return concat(lit(" Further faults: "), codes, lit("."));
  }

  /** Renders {@code name=value} pairs of a row for a reason message. */
  static Column shown(String name, Column value) {
    return concat(lit(name + "="), coalesce(value.cast("string"), lit(NULL_VALUE)));
  }

  /** The problem, why and fix texts of a row-level fault. */
  static Text text(ReasonCode code) {
    String producerFix = "fix the producer's logging and re-land the day's log.";
    return switch (code) {
      case MISSING_EVENT_ID ->
          new Text(
              "event_id is null or blank",
              "Without it the impression cannot be de-duplicated or looked up.",
              producerFix);
      case MISSING_TS ->
          new Text(
              "ts is null", "The event time orders a user's day into an episode.", producerFix);
      case INVALID_DT ->
          new Text(
              "dt is null or not a yyyy-MM-dd date",
              "The partition date places the row in a day.",
              "write dt as a date or a yyyy-MM-dd string.");
      case DT_NOT_RUN_DATE ->
          new Text(
              "dt is not the run date",
              "A run validates exactly one day; a row of another day would be counted twice.",
              "land the row under its own dt partition.");
      case DT_TS_MISMATCH ->
          new Text(
              "dt differs from the UTC date of ts",
              "The partition and the event time disagree, so one of them is wrong.",
              "derive dt from ts in UTC when writing the log.");
      case MISSING_USER_ID ->
          new Text(
              "user_id is null or blank",
              "Mind-state features and episodes are built per user.",
              producerFix);
      case MISSING_ITEM_ID ->
          new Text(
              "item_id is null or blank",
              "Content state and exposure are counted per item.",
              producerFix);
      case MISSING_SCENARIO ->
          new Text(
              "scenario is null or blank",
              "The scenario names the agent that served the impression.",
              producerFix);
      case MISSING_REQUEST_ID ->
          new Text(
              "request_id is null or blank",
              "The request groups the slate the ranking action applied to.",
              producerFix);
      case MISSING_POSITION ->
          new Text(
              "position is null",
              "The slot is part of the observation and of the propensity.",
              producerFix);
      case NEGATIVE_POSITION ->
          new Text("position is negative", "Slots are 0-based.", "log the 0-based slot index.");
      case MISSING_CLICKED ->
          new Text(
              "clicked is null",
              "The click is the base of every reward.",
              "log clicked as true or false.");
      case MISSING_HEATED ->
          new Text(
              "heated is null",
              "Heated exposure is budgeted and must be counted.",
              "log heated as true or false.");
      case UNKNOWN_SCENARIO ->
          new Text(
              "scenario is not a configured scenario",
              "Each scenario is an agent; an unknown one has no policy to learn.",
              "add the scenario to the configured scenarios, or fix its spelling in the producer.");
      case NEGATIVE_DWELL ->
          new Text(
              "dwell_ms is negative",
              "A time spent cannot be negative; the client clock went backwards.",
              "log dwell_ms as a non-negative duration.");
      case DWELL_TOO_LONG ->
          new Text(
              "dwell_ms exceeds one day",
              "No single view lasts a day; a client timer never stopped.",
              "stop the dwell timer when the item leaves the screen.");
      case DWELL_WITHOUT_CLICK ->
          new Text(
              "dwell_ms is positive but clicked is false",
              "Dwell is the time spent after a click.",
              "log dwell only for clicked impressions, or log the click.");
      case COMPLETED_WITHOUT_CLICK ->
          new Text(
              "completed is true but clicked is false",
              "An item cannot be finished without being opened.",
              "log the click, or attribute completion to the clicked impression.");
      case SHARED_WITHOUT_CLICK ->
          new Text(
              "shared is true but clicked is false",
              "A share is engagement that follows a click.",
              "log the click, or attribute the share to the clicked impression.");
      case INVALID_PURCHASE_AMOUNT ->
          new Text(
              "purchase_amount is negative, NaN or infinite",
              "GMV is a non-negative amount; refunds belong elsewhere.",
              "log 0 or null for no purchase and book refunds separately.");
      case PURCHASE_WITHOUT_CLICK ->
          new Text(
              "purchase_amount is positive but clicked is false",
              "A purchase follows a click on the impression.",
              "attribute the purchase to the clicked impression.");
      case INVALID_PROPENSITY ->
          new Text(
              "propensity is outside (0, 1] or NaN",
              "Off-policy estimates divide by it.",
              "log the logging policy's probability of this item in this slot.");
      case INVALID_EXPLORE_PROB ->
          new Text(
              "explore_prob is outside [0, 1] or NaN",
              "It is a probability.",
              "log the logging policy's exploration probability for the request.");
      case EXPLORE_WITH_ZERO_PROB ->
          new Text(
              "explore is true but explore_prob is 0",
              "An event of probability 0 cannot happen; one of the two fields is wrong.",
              "log the exploration probability actually used.");
      case EMPTY_ACTION ->
          new Text(
              "action is an empty array",
              "The ranking weights are the logged action; empty means none was recorded.",
              "log the weights, or leave action null when they are unknown.");
      case INVALID_ACTION_WEIGHT ->
          new Text(
              "action holds a null, NaN or infinite weight",
              "The action feeds the critic, and a non-finite weight poisons training.",
              "log finite ranking weights.");
      case ACTION_LENGTH_MISMATCH ->
          new Text(
              "action length differs from the day's most common length",
              "All actions of a day must share one action space.",
              "log every request with the same ranking-weight vector.");
      case UNKNOWN_ITEM ->
          new Text(
              "item_id is not in raw/items",
              "Content features need the item's catalog entry.",
              "land the item in raw/items, or fix the item_id in the event.");
      case UNKNOWN_USER ->
          new Text(
              "user_id is not in raw/users",
              "Mind-state features need the user's directory entry.",
              "land the user in raw/users, or fix the user_id in the event.");
      case IMPRESSION_BEFORE_PUBLISH ->
          new Text(
              "ts is before the item's publish_ts",
              "An item cannot be shown before it exists; a clock or catalog is wrong.",
              "fix the event clock or the item's publish_ts.");
      case SLOT_CONFLICT ->
          new Text(
              "another event fills the same request_id and position",
              "A slot holds one impression; two events in it make the slate ambiguous.",
              "give each slot of a request exactly one event.");
    };
  }

  /** The texts of one fault; a fix starts in lower case after "Fix:". */
  record Text(String problem, String why, String fix) {}
}
