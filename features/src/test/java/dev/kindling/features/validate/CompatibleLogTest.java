package dev.kindling.features.validate;

import static dev.kindling.features.validate.ValidationFixtures.EVENTS_AS_READ;
import static dev.kindling.features.validate.ValidationFixtures.RUN_DATE;
import static dev.kindling.features.validate.ValidationFixtures.assertCountsAddUp;
import static dev.kindling.features.validate.ValidationFixtures.frame;
import static dev.kindling.features.validate.ValidationFixtures.goodEvent;
import static dev.kindling.features.validate.ValidationFixtures.validate;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.QuarantineSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Logs that differ from the contract in allowed ways: older logs without optional columns, narrower
 * or textual types that are cast, and extra platform columns.
 */
class CompatibleLogTest {

  private static final String EXTRA_COLUMN = "client_version";

  @Test
  void olderLogWithoutOptionalColumnsIsAcceptedAndReported() {
    List<String> missing =
        List.of(
            EventsSchema.COMPLETED,
            EventsSchema.EXPLORE_PROB,
            EventsSchema.PROPENSITY,
            EventsSchema.ACTION);
    StructType older = SchemaCheckTest.without(EVENTS_AS_READ, missing.toArray(String[]::new));
    Dataset<Row> input = frame(older, List.of(goodEvent("old-1"), goodEvent("old-2")));

    EventValidationResult result = validate(input);

    assertThat(result.absentOptionalColumns())
        .as("absent optional columns, in contract order")
        .containsExactlyElementsOf(missing);
    assertThat(result.accepted().schema()).as("accepted schema").isEqualTo(EventsSchema.SCHEMA);
    List<Row> accepted = result.accepted().collectAsList();
    assertThat(accepted).as("every row of an older log is accepted").hasSize(2);
    for (String column : missing) {
      assertThat(accepted.get(0).isNullAt(accepted.get(0).fieldIndex(column)))
          .as("absent column %s is null", column)
          .isTrue();
    }
    assertCountsAddUp(result, input);
  }

  @Test
  void compatibleTypesAreCastAndExtraColumnsKeptOnlyInQuarantine() {
    StructType drifted =
        new StructType(
                Arrays.stream(EVENTS_AS_READ.fields())
                    .map(CompatibleLogTest::widenedInLog)
                    .toArray(StructField[]::new))
            .add(EXTRA_COLUMN, DataTypes.StringType);
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(compatible("cast-1", RUN_DATE.toString()));
    rows.add(compatible("cast-2", RUN_DATE.toString()));
    rows.add(compatible("bad-dt-text", "2024-5-1"));
    rows.add(compatible("bad-dt-day", "2024-02-30"));
    Dataset<Row> input = frame(drifted, rows);

    EventValidationResult result = validate(input);

    assertThat(result.accepted().schema())
        .as("accepted schema after casts")
        .isEqualTo(EventsSchema.SCHEMA);
    List<Row> accepted = result.accepted().orderBy(EventsSchema.EVENT_ID).collectAsList();
    assertThat(accepted).as("rows with compatible types are accepted").hasSize(2);
    Row first = accepted.get(0);
    assertThat(first.getList(first.fieldIndex(EventsSchema.ACTION)))
        .as("array<double> action cast to floats")
        .containsExactly(0.25f, 0.75f, 0.5f);
    assertThat(first.getDate(first.fieldIndex(EventsSchema.DT)).toLocalDate())
        .as("string dt parsed")
        .isEqualTo(RUN_DATE);
    assertThat(first.getInt(first.fieldIndex(EventsSchema.POSITION)))
        .as("short position widened")
        .isEqualTo(2);

    List<Row> quarantined = result.quarantined().orderBy(QuarantineSchema.ROW_KEY).collectAsList();
    assertThat(quarantined).as("rows with an unusable dt text").hasSize(2);
    for (Row row : quarantined) {
      String dtText =
          row.getString(row.fieldIndex(QuarantineSchema.ROW_KEY)).equals("bad-dt-text")
              ? "2024-5-1"
              : "2024-02-30";
      assertThat(row.getString(row.fieldIndex(QuarantineSchema.REASON_CODE)))
          .as("reason of dt '%s'", dtText)
          .isEqualTo(ReasonCode.INVALID_DT.name());
      assertThat(row.getString(row.fieldIndex(QuarantineSchema.REASON)))
          .as("message shows the bad dt")
          .contains("dt=" + dtText);
      assertThat(row.getString(row.fieldIndex(QuarantineSchema.ROW_JSON)))
          .as("row_json keeps the extra platform column")
          .contains("\"" + EXTRA_COLUMN + "\":\"7.1\"");
    }
    assertCountsAddUp(result, input);
  }

  /** The type a producer might write instead of the contract's, still accepted. */
  private static StructField widenedInLog(StructField field) {
    return switch (field.name()) {
      case EventsSchema.DT -> retype(field, DataTypes.StringType);
      case EventsSchema.POSITION -> retype(field, DataTypes.ShortType);
      case EventsSchema.DWELL_MS -> retype(field, DataTypes.IntegerType);
      case EventsSchema.PURCHASE_AMOUNT -> retype(field, DataTypes.FloatType);
      case EventsSchema.ACTION -> retype(field, DataTypes.createArrayType(DataTypes.DoubleType));
      default -> field;
    };
  }

  private static StructField retype(StructField field, org.apache.spark.sql.types.DataType type) {
    return new StructField(field.name(), type, true, field.metadata());
  }

  private static Map<String, Object> compatible(String eventId, String dt) {
    Map<String, Object> event = goodEvent(eventId);
    event.put(EventsSchema.DT, dt);
    event.put(EventsSchema.POSITION, (short) 2);
    event.put(EventsSchema.DWELL_MS, 1_500);
    event.put(EventsSchema.PURCHASE_AMOUNT, 0.0f);
    event.put(EventsSchema.ACTION, List.of(0.25, 0.75, 0.5));
    event.put(EXTRA_COLUMN, "7.1");
    return event;
  }
}
