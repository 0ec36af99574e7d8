package dev.kindling.features.validate;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.array_join;
import static org.apache.spark.sql.functions.array_remove;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import dev.kindling.features.schema.EventsSchema;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Row-level validation of one day's raw impression log against the log contract: every input row
 * ends up accepted, dropped as a duplicate {@code event_id}, or quarantined with the first broken
 * rule of {@link ReasonCode} (in declaration order).
 */
public final class EventValidation {

  /** Source name of {@code raw/events} in the quarantine table. */
  public static final String EVENTS_LOG = "events";

  /** Longest plausible dwell on one impression. */
  static final long MAX_DWELL_MS = Duration.ofDays(1).toMillis();

  private static final long SECONDS_PER_DAY = Duration.ofDays(1).toSeconds();

  private static final String RAW_DT = ValidationColumns.WORK_PREFIX + "raw_dt";
  private static final String ACTION_MODE_LENGTH = ValidationColumns.WORK_PREFIX + "action_mode";
  private static final String ACTION_LENGTH = ValidationColumns.WORK_PREFIX + "action_length";
  private static final String ACTION_LENGTH_ROWS = ValidationColumns.WORK_PREFIX + "length_rows";
  private static final String SLOT_MIN_EVENT = ValidationColumns.WORK_PREFIX + "slot_min_event";
  private static final String SLOT_MAX_EVENT = ValidationColumns.WORK_PREFIX + "slot_max_event";
  private static final String FAULTS = ValidationColumns.WORK_PREFIX + "faults";
  private static final String FIRST_REASON = ValidationColumns.WORK_PREFIX + "first_reason";
  private static final String RANK = ValidationColumns.WORK_PREFIX + "rank";

  private EventValidation() {}

  /**
   * Validates one day's events against the contract, the item catalog and the user directory.
   *
   * <p>Lazy: the schema checks run at once (no Spark job), the row checks when an output is
   * evaluated. Cost per evaluated output: a join with the item keys and one with the user keys
   * (each a shuffle unless Spark broadcasts the keys), an aggregation for the day's action length
   * and its broadcast, a window over {@code (request_id, position)} and one over {@code event_id}.
   * The outputs share that plan ({@link EventValidationResult#classified()}) and each evaluates it
   * again unless the caller persists it. Nothing is collected to the driver.
   *
   * <p>Preconditions: {@code ts} values are instants; the UTC date of {@code ts} is computed from
   * epoch seconds, so the session time zone does not change the outcome.
   *
   * @param rawEvents the day's {@code raw/events} as read ({@code dt} as a date or a {@code
   *     yyyy-MM-dd} string); further columns are kept only in the quarantined rows' JSON
   * @param items {@code raw/items} as read
   * @param users {@code raw/users} as read
   * @param runDate the day being validated
   * @param allowedScenarios the configured scenarios (agents); not empty
   * @throws LogContractException if any of the three logs breaks its schema contract
   * @throws IllegalArgumentException if {@code allowedScenarios} is empty
   */
  public static EventValidationResult validate(
      Dataset<Row> rawEvents,
      Dataset<Row> items,
      Dataset<Row> users,
      LocalDate runDate,
      Set<String> allowedScenarios) {
    Objects.requireNonNull(rawEvents, "rawEvents");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(allowedScenarios, "allowedScenarios");
    if (allowedScenarios.isEmpty()) {
      throw new IllegalArgumentException(
          "allowedScenarios is empty: every event would be quarantined as UNKNOWN_SCENARIO."
              + " Configure the scenarios the rankers serve (e.g. feed, search, detail).");
    }
    // Fails fast on schema faults, before RAW_DT below refers to dt.
    SchemaCheck.conform(EVENTS_LOG, rawEvents, EventsSchema.SCHEMA, EventsSchema.REQUIRED);
    ReferenceLogs.Reference itemKeys = ReferenceLogs.items(items, runDate);
    ReferenceLogs.Reference userKeys = ReferenceLogs.users(users, runDate);

    Dataset<Row> tagged =
        ValidationColumns.withRowJson(rawEvents)
            .withColumn(RAW_DT, col(EventsSchema.DT).cast(DataTypes.StringType));
    SchemaCheck.ConformedLog conformed =
        SchemaCheck.conform(EVENTS_LOG, tagged, EventsSchema.SCHEMA, EventsSchema.REQUIRED);
    Column[] kept =
        Arrays.stream(
                concatNames(EventsSchema.SCHEMA.fieldNames(), ValidationColumns.ROW_JSON, RAW_DT))
            .map(name -> col(SchemaCheck.quoted(name)))
            .toArray(Column[]::new);
    Dataset<Row> events = conformed.rows().select(kept);

    WindowSpec slot = Window.partitionBy(EventsSchema.REQUEST_ID, EventsSchema.POSITION);
    Dataset<Row> enriched =
        events
            .join(
                itemKeys.keys(),
                col(EventsSchema.ITEM_ID).equalTo(col(ReferenceLogs.REF_ITEM_ID)),
                "left")
            .join(
                userKeys.keys(),
                col(EventsSchema.USER_ID).equalTo(col(ReferenceLogs.REF_USER_ID)),
                "left")
            .crossJoin(broadcast(actionModeLength(events)))
            .withColumn(SLOT_MIN_EVENT, min(EventsSchema.EVENT_ID).over(slot))
            .withColumn(SLOT_MAX_EVENT, max(EventsSchema.EVENT_ID).over(slot));

    Column[] faultCodes = new Column[ReasonCode.values().length];
    Column[] faultReasons = new Column[ReasonCode.values().length];
    for (ReasonCode code : ReasonCode.values()) {
      Check check = check(code, runDate, allowedScenarios);
      faultCodes[code.ordinal()] = when(check.failed(), lit(code.name()));
      faultReasons[code.ordinal()] =
          when(check.failed(), ContractErrors.rowReason(code, check.badValue()));
    }
    Dataset<Row> classified =
        enriched
            .withColumn(FAULTS, array_compact(array(faultCodes)))
            .withColumn(FIRST_REASON, coalesce(faultReasons));

    Column firstCode = element_at(col(FAULTS), 1);
    Column reason =
        when(
                size(col(FAULTS)).gt(1),
                concat(
                    col(FIRST_REASON),
                    ContractErrors.furtherFaults(
                        array_join(array_remove(col(FAULTS), firstCode), ", "))))
            .otherwise(col(FIRST_REASON));
    Dataset<Row> quarantined =
        classified
            .where(size(col(FAULTS)).gt(0))
            .select(
                ValidationColumns.quarantineRow(
                    runDate, EVENTS_LOG, col(EventsSchema.EVENT_ID), firstCode, reason));

    WindowSpec firstByTs =
        Window.partitionBy(EventsSchema.EVENT_ID)
            .orderBy(col(EventsSchema.TS), col(ValidationColumns.ROW_JSON));
    Dataset<Row> passing =
        classified
            .where(size(col(FAULTS)).equalTo(0))
            .withColumn(RANK, row_number().over(firstByTs))
            .withColumn(
                EventsSchema.ACTION,
                transform(col(EventsSchema.ACTION), weight -> coalesce(weight, lit(Float.NaN))));
    Column[] contract = ValidationColumns.exactly(EventsSchema.SCHEMA);
    return new EventValidationResult(
        passing.where(col(RANK).equalTo(1)).select(contract),
        quarantined,
        passing.where(col(RANK).gt(1)).select(contract),
        itemKeys.quarantined().unionByName(userKeys.quarantined()),
        conformed.absentOptionalColumns(),
        classified);
  }

  /**
   * The day's most common non-empty action length, one row whatever the input (null when no row has
   * an action); ties go to the shorter length. Cost: one small aggregation (shuffle).
   */
  static Dataset<Row> actionModeLength(Dataset<Row> events) {
    return events
        .where(size(col(EventsSchema.ACTION)).gt(0))
        .groupBy(size(col(EventsSchema.ACTION)).as(ACTION_LENGTH))
        .agg(count(lit(1)).as(ACTION_LENGTH_ROWS))
        .agg(
            max_by(
                    col(ACTION_LENGTH),
                    struct(col(ACTION_LENGTH_ROWS), col(ACTION_LENGTH).multiply(-1)))
                .as(ACTION_MODE_LENGTH));
  }

  /** One rule: when a row breaks it, and which of the row's values to show. */
  private record Check(Column failed, Column badValue) {}

  private static Check check(ReasonCode code, LocalDate runDate, Set<String> allowedScenarios) {
    Column ts = col(EventsSchema.TS);
    Column dt = col(EventsSchema.DT);
    Column clicked = col(EventsSchema.CLICKED);
    Column notClicked = clicked.equalTo(false);
    Column dwell = col(EventsSchema.DWELL_MS);
    Column purchase = col(EventsSchema.PURCHASE_AMOUNT);
    Column propensity = col(EventsSchema.PROPENSITY);
    Column exploreProb = col(EventsSchema.EXPLORE_PROB);
    Column action = col(EventsSchema.ACTION);
    Column utcDate =
        date_add(lit(LocalDate.EPOCH), floor(ts.cast("long").divide(SECONDS_PER_DAY)).cast("int"));
    return switch (code) {
      case MISSING_EVENT_ID -> blank(EventsSchema.EVENT_ID);
      case MISSING_TS -> new Check(ts.isNull(), shown(EventsSchema.TS));
      case INVALID_DT -> new Check(dt.isNull(), ContractErrors.shown(EventsSchema.DT, col(RAW_DT)));
      case DT_NOT_RUN_DATE ->
          new Check(
              dt.notEqual(lit(runDate)),
              concat_ws(
                  ", ", shown(EventsSchema.DT), ContractErrors.shown("run date", lit(runDate))));
      case DT_TS_MISMATCH ->
          new Check(
              dt.notEqual(utcDate),
              concat_ws(
                  ", ",
                  shown(EventsSchema.DT),
                  shown(EventsSchema.TS),
                  ContractErrors.shown("UTC date of ts", utcDate)));
      case MISSING_USER_ID -> blank(EventsSchema.USER_ID);
      case MISSING_ITEM_ID -> blank(EventsSchema.ITEM_ID);
      case MISSING_SCENARIO -> blank(EventsSchema.SCENARIO);
      case MISSING_REQUEST_ID -> blank(EventsSchema.REQUEST_ID);
      case MISSING_POSITION -> nullIn(EventsSchema.POSITION);
      case NEGATIVE_POSITION ->
          new Check(col(EventsSchema.POSITION).lt(0), shown(EventsSchema.POSITION));
      case MISSING_CLICKED -> nullIn(EventsSchema.CLICKED);
      case MISSING_HEATED -> nullIn(EventsSchema.HEATED);
      case UNKNOWN_SCENARIO ->
          new Check(
              not(col(EventsSchema.SCENARIO).isin(allowedScenarios.toArray())),
              concat_ws(
                  ", ",
                  shown(EventsSchema.SCENARIO),
                  ContractErrors.shown(
                      "configured",
                      lit(String.join("|", allowedScenarios.stream().sorted().toList())))));
      case NEGATIVE_DWELL -> new Check(dwell.lt(0), shown(EventsSchema.DWELL_MS));
      case DWELL_TOO_LONG -> new Check(dwell.gt(MAX_DWELL_MS), shown(EventsSchema.DWELL_MS));
      case DWELL_WITHOUT_CLICK ->
          new Check(dwell.gt(0).and(notClicked), withClicked(EventsSchema.DWELL_MS));
      case COMPLETED_WITHOUT_CLICK ->
          new Check(
              col(EventsSchema.COMPLETED).equalTo(true).and(notClicked),
              withClicked(EventsSchema.COMPLETED));
      case SHARED_WITHOUT_CLICK ->
          new Check(
              col(EventsSchema.SHARED).equalTo(true).and(notClicked),
              withClicked(EventsSchema.SHARED));
      case INVALID_PURCHASE_AMOUNT ->
          new Check(
              purchase.lt(0).or(isnan(purchase)).or(purchase.equalTo(Double.POSITIVE_INFINITY)),
              shown(EventsSchema.PURCHASE_AMOUNT));
      case PURCHASE_WITHOUT_CLICK ->
          new Check(purchase.gt(0).and(notClicked), withClicked(EventsSchema.PURCHASE_AMOUNT));
      case INVALID_PROPENSITY ->
          new Check(
              propensity.leq(0).or(propensity.gt(1)).or(isnan(propensity)),
              shown(EventsSchema.PROPENSITY));
      case INVALID_EXPLORE_PROB ->
          new Check(
              exploreProb.lt(0).or(exploreProb.gt(1)).or(isnan(exploreProb)),
              shown(EventsSchema.EXPLORE_PROB));
      case EXPLORE_WITH_ZERO_PROB ->
          new Check(
              col(EventsSchema.EXPLORE).equalTo(true).and(exploreProb.equalTo(0)),
              concat_ws(", ", shown(EventsSchema.EXPLORE), shown(EventsSchema.EXPLORE_PROB)));
      case EMPTY_ACTION -> new Check(size(action).equalTo(0), shown(EventsSchema.ACTION));
      case INVALID_ACTION_WEIGHT ->
          new Check(
              exists(
                  action,
                  weight ->
                      weight
                          .isNull()
                          .or(isnan(weight))
                          .or(abs(weight).equalTo(lit(Float.POSITIVE_INFINITY)))),
              shown(EventsSchema.ACTION));
      case ACTION_LENGTH_MISMATCH ->
          new Check(
              size(action).gt(0).and(size(action).notEqual(col(ACTION_MODE_LENGTH))),
              concat_ws(
                  ", ",
                  ContractErrors.shown("length", size(action)),
                  ContractErrors.shown("day's length", col(ACTION_MODE_LENGTH))));
      case UNKNOWN_ITEM ->
          new Check(
              not(ValidationColumns.blank(EventsSchema.ITEM_ID))
                  .and(col(ReferenceLogs.REF_ITEM_ID).isNull()),
              shown(EventsSchema.ITEM_ID));
      case UNKNOWN_USER ->
          new Check(
              not(ValidationColumns.blank(EventsSchema.USER_ID))
                  .and(col(ReferenceLogs.REF_USER_ID).isNull()),
              shown(EventsSchema.USER_ID));
      case IMPRESSION_BEFORE_PUBLISH ->
          new Check(
              ts.lt(col(ReferenceLogs.REF_PUBLISH_TS)),
              concat_ws(
                  ", ",
                  shown(EventsSchema.TS),
                  ContractErrors.shown("publish_ts", col(ReferenceLogs.REF_PUBLISH_TS))));
      case SLOT_CONFLICT ->
          new Check(
              col(SLOT_MIN_EVENT).notEqual(col(SLOT_MAX_EVENT)),
              concat_ws(
                  ", ",
                  shown(EventsSchema.REQUEST_ID),
                  shown(EventsSchema.POSITION),
                  ContractErrors.shown(
                      "event_ids", concat(col(SLOT_MIN_EVENT), lit(" .. "), col(SLOT_MAX_EVENT)))));
    };
  }

  /** A null-or-blank rule; the value is shown in quotes so white space stays visible. */
  private static Check blank(String column) {
    return new Check(
        ValidationColumns.blank(column),
        ContractErrors.shown(column, concat(lit("'"), col(column), lit("'"))));
  }

  private static Check nullIn(String column) {
    return new Check(col(column).isNull(), shown(column));
  }

  private static Column shown(String column) {
    return ContractErrors.shown(column, col(column));
  }

  private static Column withClicked(String column) {
    return concat_ws(", ", shown(column), shown(EventsSchema.CLICKED));
  }

  private static String[] concatNames(String[] names, String... more) {
    String[] all = Arrays.copyOf(names, names.length + more.length);
    System.arraycopy(more, 0, all, names.length, more.length);
    return all;
  }
}
