package dev.kindling.features.validate;

import static dev.kindling.features.validate.ValidationFixtures.RUN_DATE;
import static dev.kindling.features.validate.ValidationFixtures.assertCountsAddUp;
import static dev.kindling.features.validate.ValidationFixtures.events;
import static dev.kindling.features.validate.ValidationFixtures.goodEvent;
import static dev.kindling.features.validate.ValidationFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.QuarantineSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of broken events, one mutation of a good event per kind, validated together with good
 * events in one DataFrame: each broken row is quarantined under the right reason, each good row is
 * accepted.
 */
class EventValidationCorpusTest {

  /** Key under which a quarantined row without {@code event_id} is looked up. */
  private static final String NULL_KEY = "<null>";

  private static final String SLOT_TWIN = "slot-conflict-twin";

  private static final List<String> GOOD_IDS =
      List.of("good-1", "good-2", "good-3", "good-4", "good-5", "good-6");

  private static Dataset<Row> input;
  private static EventValidationResult result;
  private static Map<String, Row> quarantinedByKey;
  private static Set<String> acceptedIds;

  /** One kind of broken row: the event_id it is filed under and the mutation of a good event. */
  record Case(String key, ReasonCode expected, Consumer<Map<String, Object>> mutation) {

    Map<String, Object> event() {
      Map<String, Object> event = goodEvent(key.equals(NULL_KEY) ? "null-id" : key);
      mutation.accept(event);
      return event;
    }

    @Override
    public String toString() {
      return expected + " (" + key + ")";
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(NULL_KEY, ReasonCode.MISSING_EVENT_ID, e -> e.put(EventsSchema.EVENT_ID, null)),
        new Case("", ReasonCode.MISSING_EVENT_ID, e -> e.put(EventsSchema.EVENT_ID, "")),
        new Case("null-ts", ReasonCode.MISSING_TS, e -> e.put(EventsSchema.TS, null)),
        new Case("null-dt", ReasonCode.INVALID_DT, e -> e.put(EventsSchema.DT, null)),
        new Case(
            "next-day",
            ReasonCode.DT_NOT_RUN_DATE,
            e -> {
              e.put(EventsSchema.DT, Date.valueOf(RUN_DATE.plusDays(1)));
              e.put(EventsSchema.TS, ts("2024-05-02T10:00:00Z"));
            }),
        new Case(
            "ts-before-midnight",
            ReasonCode.DT_TS_MISMATCH,
            e -> e.put(EventsSchema.TS, ts("2024-04-30T23:59:59.999Z"))),
        new Case("null-user", ReasonCode.MISSING_USER_ID, e -> e.put(EventsSchema.USER_ID, null)),
        new Case("blank-user", ReasonCode.MISSING_USER_ID, e -> e.put(EventsSchema.USER_ID, "  ")),
        new Case("null-item", ReasonCode.MISSING_ITEM_ID, e -> e.put(EventsSchema.ITEM_ID, null)),
        new Case(
            "null-scenario", ReasonCode.MISSING_SCENARIO, e -> e.put(EventsSchema.SCENARIO, null)),
        new Case(
            "empty-request",
            ReasonCode.MISSING_REQUEST_ID,
            e -> e.put(EventsSchema.REQUEST_ID, "")),
        new Case(
            "null-position", ReasonCode.MISSING_POSITION, e -> e.put(EventsSchema.POSITION, null)),
        new Case(
            "negative-position",
            ReasonCode.NEGATIVE_POSITION,
            e -> e.put(EventsSchema.POSITION, -1)),
        new Case(
            "null-clicked", ReasonCode.MISSING_CLICKED, e -> e.put(EventsSchema.CLICKED, null)),
        new Case("null-heated", ReasonCode.MISSING_HEATED, e -> e.put(EventsSchema.HEATED, null)),
        new Case(
            "unknown-scenario",
            ReasonCode.UNKNOWN_SCENARIO,
            e -> e.put(EventsSchema.SCENARIO, "Feed")),
        new Case(
            "negative-dwell", ReasonCode.NEGATIVE_DWELL, e -> e.put(EventsSchema.DWELL_MS, -5L)),
        new Case(
            "endless-dwell",
            ReasonCode.DWELL_TOO_LONG,
            e -> e.put(EventsSchema.DWELL_MS, EventValidation.MAX_DWELL_MS + 1)),
        new Case(
            "dwell-no-click",
            ReasonCode.DWELL_WITHOUT_CLICK,
            notClicked(EventsSchema.DWELL_MS, 900L)),
        new Case(
            "completed-no-click",
            ReasonCode.COMPLETED_WITHOUT_CLICK,
            notClicked(EventsSchema.COMPLETED, true)),
        new Case(
            "shared-no-click",
            ReasonCode.SHARED_WITHOUT_CLICK,
            notClicked(EventsSchema.SHARED, true)),
        new Case(
            "negative-purchase",
            ReasonCode.INVALID_PURCHASE_AMOUNT,
            e -> e.put(EventsSchema.PURCHASE_AMOUNT, -3.0)),
        new Case(
            "nan-purchase",
            ReasonCode.INVALID_PURCHASE_AMOUNT,
            e -> e.put(EventsSchema.PURCHASE_AMOUNT, Double.NaN)),
        new Case(
            "purchase-no-click",
            ReasonCode.PURCHASE_WITHOUT_CLICK,
            notClicked(EventsSchema.PURCHASE_AMOUNT, 12.5)),
        new Case(
            "zero-propensity",
            ReasonCode.INVALID_PROPENSITY,
            e -> e.put(EventsSchema.PROPENSITY, 0.0)),
        new Case(
            "big-propensity",
            ReasonCode.INVALID_PROPENSITY,
            e -> e.put(EventsSchema.PROPENSITY, 1.5)),
        new Case(
            "nan-propensity",
            ReasonCode.INVALID_PROPENSITY,
            e -> e.put(EventsSchema.PROPENSITY, Double.NaN)),
        new Case(
            "negative-explore-prob",
            ReasonCode.INVALID_EXPLORE_PROB,
            e -> e.put(EventsSchema.EXPLORE_PROB, -0.1)),
        new Case(
            "nan-explore-prob",
            ReasonCode.INVALID_EXPLORE_PROB,
            e -> e.put(EventsSchema.EXPLORE_PROB, Double.NaN)),
        new Case(
            "explore-zero-prob",
            ReasonCode.EXPLORE_WITH_ZERO_PROB,
            e -> e.put(EventsSchema.EXPLORE_PROB, 0.0)),
        new Case(
            "empty-action", ReasonCode.EMPTY_ACTION, e -> e.put(EventsSchema.ACTION, List.of())),
        new Case(
            "nan-action",
            ReasonCode.INVALID_ACTION_WEIGHT,
            e -> e.put(EventsSchema.ACTION, Arrays.asList(0.2f, Float.NaN, 0.5f))),
        new Case(
            "infinite-action",
            ReasonCode.INVALID_ACTION_WEIGHT,
            e -> e.put(EventsSchema.ACTION, Arrays.asList(0.2f, Float.NEGATIVE_INFINITY, 0.5f))),
        new Case(
            "null-weight-action",
            ReasonCode.INVALID_ACTION_WEIGHT,
            e -> e.put(EventsSchema.ACTION, Arrays.asList(0.2f, null, 0.5f))),
        new Case(
            "short-action",
            ReasonCode.ACTION_LENGTH_MISMATCH,
            e -> e.put(EventsSchema.ACTION, Arrays.asList(0.2f, 0.8f))),
        new Case(
            "unknown-item", ReasonCode.UNKNOWN_ITEM, e -> e.put(EventsSchema.ITEM_ID, "i-missing")),
        new Case(
            "unknown-user", ReasonCode.UNKNOWN_USER, e -> e.put(EventsSchema.USER_ID, "u-missing")),
        new Case(
            "before-publish",
            ReasonCode.IMPRESSION_BEFORE_PUBLISH,
            e -> e.put(EventsSchema.ITEM_ID, ValidationFixtures.LATE_ITEM)),
        new Case(
            "slot-conflict",
            ReasonCode.SLOT_CONFLICT,
            e -> e.put(EventsSchema.REQUEST_ID, "req-shared-slot")),
        new Case(
            SLOT_TWIN,
            ReasonCode.SLOT_CONFLICT,
            e -> e.put(EventsSchema.REQUEST_ID, "req-shared-slot")),
        new Case(
            "several-faults",
            ReasonCode.MISSING_USER_ID,
            e -> {
              e.put(EventsSchema.USER_ID, null);
              e.put(EventsSchema.DWELL_MS, -1L);
              e.put(EventsSchema.PROPENSITY, 2.0);
            }));
  }

  @BeforeAll
  static void validateCorpus() {
    List<Map<String, Object>> rows = new ArrayList<>();
    cases().map(Case::event).forEach(rows::add);
    rows.addAll(goodEvents());
    input = events(rows);
    result = validate(input);
    quarantinedByKey =
        result.quarantined().collectAsList().stream()
            .collect(
                Collectors.toMap(
                    row ->
                        row.isNullAt(row.fieldIndex(QuarantineSchema.ROW_KEY))
                            ? NULL_KEY
                            : row.getString(row.fieldIndex(QuarantineSchema.ROW_KEY)),
                    row -> row));
    acceptedIds =
        result.accepted().select(EventsSchema.EVENT_ID).collectAsList().stream()
            .map(row -> row.getString(0))
            .collect(Collectors.toSet());
  }

  /** Good events that sit on the edges of the rules. */
  private static List<Map<String, Object>> goodEvents() {
    List<Map<String, Object>> good = new ArrayList<>();
    good.add(goodEvent(GOOD_IDS.get(0)));
    Map<String, Object> notClickedBare = goodEvent(GOOD_IDS.get(1));
    notClickedBare.put(EventsSchema.CLICKED, false);
    notClickedBare.put(EventsSchema.DWELL_MS, 0L);
    notClickedBare.put(EventsSchema.COMPLETED, false);
    notClickedBare.put(EventsSchema.PURCHASE_AMOUNT, null);
    good.add(notClickedBare);
    Map<String, Object> lastMoment = goodEvent(GOOD_IDS.get(2));
    lastMoment.put(EventsSchema.TS, ts("2024-05-01T23:59:59.999Z"));
    lastMoment.put(EventsSchema.PROPENSITY, 1.0);
    lastMoment.put(EventsSchema.EXPLORE, false);
    lastMoment.put(EventsSchema.EXPLORE_PROB, 0.0);
    good.add(lastMoment);
    Map<String, Object> optionalsNull = goodEvent(GOOD_IDS.get(3));
    for (String optional :
        List.of(
            EventsSchema.DWELL_MS,
            EventsSchema.COMPLETED,
            EventsSchema.SHARED,
            EventsSchema.PURCHASE_AMOUNT,
            EventsSchema.EXPLORE,
            EventsSchema.EXPLORE_PROB,
            EventsSchema.PROPENSITY,
            EventsSchema.ACTION)) {
      optionalsNull.put(optional, null);
    }
    good.add(optionalsNull);
    Map<String, Object> buyer = goodEvent(GOOD_IDS.get(4));
    buyer.put(EventsSchema.PURCHASE_AMOUNT, 42.0);
    buyer.put(EventsSchema.SHARED, true);
    buyer.put(EventsSchema.HEATED, true);
    buyer.put(EventsSchema.SCENARIO, "search");
    buyer.put(EventsSchema.USER_ID, "u2");
    buyer.put(EventsSchema.EXPLORE_PROB, 1.0);
    good.add(buyer);
    Map<String, Object> afterPublish = goodEvent(GOOD_IDS.get(5));
    afterPublish.put(EventsSchema.ITEM_ID, ValidationFixtures.LATE_ITEM);
    afterPublish.put(EventsSchema.TS, Timestamp.from(ValidationFixtures.LATE_ITEM_PUBLISHED));
    afterPublish.put(EventsSchema.POSITION, 1);
    good.add(afterPublish);
    return good;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void eachBrokenRowIsQuarantinedUnderItsReason(Case broken) {
    Row row = quarantinedByKey.get(broken.key());
    assertThat(row).as("row '%s' should be quarantined", broken.key()).isNotNull();
    assertThat(row.getString(row.fieldIndex(QuarantineSchema.REASON_CODE)))
        .as("reason code of '%s'", broken.key())
        .isEqualTo(broken.expected().name());
    assertThat(row.getString(row.fieldIndex(QuarantineSchema.REASON)))
        .as("reason of '%s' states the problem and the fix", broken.key())
        .startsWith(ContractErrors.text(broken.expected()).problem())
        .contains("(found ")
        .contains("Fix: ");
    assertThat(row.getDate(row.fieldIndex(QuarantineSchema.DT)).toLocalDate())
        .as("quarantine dt is the run date")
        .isEqualTo(RUN_DATE);
    assertThat(row.getString(row.fieldIndex(QuarantineSchema.SOURCE)))
        .as("source of an event row")
        .isEqualTo(EventValidation.EVENTS_LOG);
    assertThat(row.getString(row.fieldIndex(QuarantineSchema.ROW_JSON)))
        .as("row_json keeps the original row")
        .contains("\"" + EventsSchema.REQUEST_ID + "\"");
  }

  @Test
  void corpusCoversEveryReasonCode() {
    assertThat(cases().map(Case::expected).distinct().toList())
        .as("reason codes exercised by the corpus")
        .containsExactlyInAnyOrder(ReasonCode.values());
    assertThat(cases().count()).as("kinds of broken rows").isGreaterThanOrEqualTo(20);
  }

  @Test
  void goodRowsAreAcceptedAndNothingElse() {
    assertThat(acceptedIds).as("accepted event_ids").containsExactlyInAnyOrderElementsOf(GOOD_IDS);
    assertThat(quarantinedByKey)
        .as("one quarantine row per broken row")
        .hasSize((int) cases().count());
    assertCountsAddUp(result, input);
  }

  @Test
  void outputsHaveTheContractSchemas() {
    assertThat(result.accepted().schema()).as("accepted schema").isEqualTo(EventsSchema.SCHEMA);
    assertThat(result.duplicates().schema()).as("duplicates schema").isEqualTo(EventsSchema.SCHEMA);
    assertThat(result.quarantined().schema())
        .as("quarantine schema")
        .isEqualTo(QuarantineSchema.SCHEMA);
    assertThat(result.allQuarantined().schema())
        .as("all quarantine rows schema")
        .isEqualTo(QuarantineSchema.SCHEMA);
    assertThat(result.absentOptionalColumns()).as("a full log lacks no column").isEmpty();
  }

  @Test
  void furtherFaultsAreNamedInTheMessage() {
    Row row = quarantinedByKey.get("several-faults");
    assertThat(row.getString(row.fieldIndex(QuarantineSchema.REASON)))
        .as("message of a row with three faults")
        .contains(
            "Further faults: " + ReasonCode.NEGATIVE_DWELL + ", " + ReasonCode.INVALID_PROPENSITY);
  }

  @Test
  void blankValuesAreShownInQuotesWithoutFollowUpFaults() {
    Row row = quarantinedByKey.get("blank-user");
    assertThat(row.getString(row.fieldIndex(QuarantineSchema.REASON)))
        .as("message of a blank user_id")
        .contains("user_id='  '")
        .doesNotContain("Further faults");
  }

  @Test
  void keylessReferenceRowsAreQuarantined() {
    Map<String, String> codeBySource =
        result.referenceQuarantined().collectAsList().stream()
            .collect(
                Collectors.toMap(
                    row -> row.getString(row.fieldIndex(QuarantineSchema.SOURCE)),
                    row -> row.getString(row.fieldIndex(QuarantineSchema.REASON_CODE))));
    assertThat(codeBySource)
        .as("the keyless item and user rows, one each")
        .isEqualTo(
            Map.of(
                ReferenceLogs.ITEMS_LOG,
                ReasonCode.MISSING_ITEM_ID.name(),
                ReferenceLogs.USERS_LOG,
                ReasonCode.MISSING_USER_ID.name()));
  }

  @Test
  void validatingTwiceGivesIdenticalOutputs() {
    EventValidationResult again = validate(input);
    assertThat(sorted(again.accepted()))
        .as("accepted rows of a re-run")
        .isEqualTo(sorted(result.accepted()));
    assertThat(sorted(again.quarantined()))
        .as("quarantined rows of a re-run")
        .isEqualTo(sorted(result.quarantined()));
    assertCountsAddUp(again, input);
  }

  static List<String> sorted(Dataset<Row> rows) {
    return rows.collectAsList().stream().map(Row::toString).sorted().toList();
  }

  private static Consumer<Map<String, Object>> notClicked(String column, Object value) {
    return e -> {
      e.put(EventsSchema.CLICKED, false);
      e.put(EventsSchema.DWELL_MS, null);
      e.put(EventsSchema.COMPLETED, null);
      e.put(EventsSchema.SHARED, null);
      e.put(column, value);
    };
  }

  static Timestamp ts(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }
}
