package dev.kindling.features.validate;

import static dev.kindling.features.validate.ValidationFixtures.EVENTS_AS_READ;
import static dev.kindling.features.validate.ValidationFixtures.RUN_DATE;
import static dev.kindling.features.validate.ValidationFixtures.SCENARIOS;
import static dev.kindling.features.validate.ValidationFixtures.asRead;
import static dev.kindling.features.validate.ValidationFixtures.items;
import static dev.kindling.features.validate.ValidationFixtures.spark;
import static dev.kindling.features.validate.ValidationFixtures.users;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UsersSchema;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Schema-level faults: a missing required column or a drifted type stops validation with one error
 * naming the log, the column, the expected and the found type, and the fix. Only schemas are
 * inspected, so the logs here are empty.
 */
class SchemaCheckTest {

  /** One drifted column of one log. */
  record Drift(String log, String column, DataType found, String expected) {

    @Override
    public String toString() {
      return log + "." + column + " as " + found.simpleString();
    }
  }

  static Stream<Drift> drifts() {
    return Stream.of(
        new Drift(EventValidation.EVENTS_LOG, EventsSchema.POSITION, DataTypes.StringType, "int"),
        new Drift(EventValidation.EVENTS_LOG, EventsSchema.POSITION, DataTypes.LongType, "int"),
        new Drift(
            EventValidation.EVENTS_LOG, EventsSchema.CLICKED, DataTypes.IntegerType, "boolean"),
        new Drift(EventValidation.EVENTS_LOG, EventsSchema.TS, DataTypes.StringType, "timestamp"),
        new Drift(EventValidation.EVENTS_LOG, EventsSchema.DT, DataTypes.IntegerType, "date"),
        new Drift(
            EventValidation.EVENTS_LOG,
            EventsSchema.ACTION,
            DataTypes.createArrayType(DataTypes.StringType),
            "array<float>"),
        new Drift(
            EventValidation.EVENTS_LOG,
            EventsSchema.PURCHASE_AMOUNT,
            DataTypes.StringType,
            "double"),
        new Drift(
            ReferenceLogs.ITEMS_LOG, ItemsSchema.PUBLISH_TS, DataTypes.StringType, "timestamp"),
        new Drift(ReferenceLogs.USERS_LOG, UsersSchema.USER_ID, DataTypes.LongType, "string"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drifts")
  void driftedTypeIsOneClearError(Drift drift) {
    LogContractException error =
        catchThrowableOfType(() -> validateWith(drift), LogContractException.class);
    assertThat(error).as("drift of %s is an error", drift).isNotNull();
    assertThat(error.log()).as("log named").isEqualTo(drift.log());
    assertThat(error.column()).as("column named").isEqualTo(drift.column());
    assertThat(error.expectedType()).as("expected type").isEqualTo(drift.expected());
    assertThat(error.foundType()).as("found type").isEqualTo(drift.found().simpleString());
    assertThat(error.getMessage())
        .as("message names log, column, both types and the fix")
        .contains("'" + drift.log() + "'")
        .contains("'" + drift.column() + "'")
        .contains("type " + drift.found().simpleString())
        .contains("expected " + drift.expected())
        .contains("Fix: ");
  }

  @Test
  void missingRequiredColumnIsOneClearError() {
    StructType withoutEventId = without(EVENTS_AS_READ, EventsSchema.EVENT_ID);
    LogContractException error =
        catchThrowableOfType(
            () -> validate(empty(withoutEventId), items(), users()), LogContractException.class);
    assertThat(error).as("a log without event_id is an error").isNotNull();
    assertThat(error.column()).as("column named").isEqualTo(EventsSchema.EVENT_ID);
    assertThat(error.expectedType()).as("expected type").isEqualTo("string");
    assertThat(error.foundType()).as("found type").isEqualTo(ContractErrors.ABSENT);
    assertThat(error.getMessage())
        .as("message names the log, the column and the fix")
        .contains("Log 'events' has no column 'event_id'")
        .contains("Fix: ");
  }

  @Test
  void missingRequiredReferenceColumnIsOneClearError() {
    Dataset<Row> itemsWithoutPublishTs =
        empty(without(asRead(ItemsSchema.SCHEMA), ItemsSchema.PUBLISH_TS));
    LogContractException error =
        catchThrowableOfType(
            () -> validate(empty(EVENTS_AS_READ), itemsWithoutPublishTs, users()),
            LogContractException.class);
    assertThat(error).as("an items log without publish_ts is an error").isNotNull();
    assertThat(error.log()).as("log named").isEqualTo(ReferenceLogs.ITEMS_LOG);
    assertThat(error.column()).as("column named").isEqualTo(ItemsSchema.PUBLISH_TS);
  }

  @Test
  void columnDifferingOnlyInCaseGetsAHint() {
    StructType renamed =
        new StructType(
            Arrays.stream(EVENTS_AS_READ.fields())
                .map(
                    field ->
                        field.name().equals(EventsSchema.USER_ID)
                            ? new StructField("User_ID", field.dataType(), true, field.metadata())
                            : field)
                .toArray(StructField[]::new));
    LogContractException error =
        catchThrowableOfType(
            () -> validate(empty(renamed), items(), users()), LogContractException.class);
    assertThat(error.getMessage())
        .as("message points at the column that differs only in case")
        .contains("'User_ID' differs only in case");
  }

  private static void validateWith(Drift drift) {
    Dataset<Row> events = empty(EVENTS_AS_READ);
    Dataset<Row> items = items();
    Dataset<Row> users = users();
    if (drift.log().equals(EventValidation.EVENTS_LOG)) {
      events = empty(retyped(EVENTS_AS_READ, drift.column(), drift.found()));
    } else if (drift.log().equals(ReferenceLogs.ITEMS_LOG)) {
      items = empty(retyped(asRead(ItemsSchema.SCHEMA), drift.column(), drift.found()));
    } else {
      users = empty(retyped(asRead(UsersSchema.SCHEMA), drift.column(), drift.found()));
    }
    validate(events, items, users);
  }

  private static EventValidationResult validate(
      Dataset<Row> events, Dataset<Row> items, Dataset<Row> users) {
    return EventValidation.validate(events, items, users, RUN_DATE, SCENARIOS);
  }

  static StructType retyped(StructType schema, String column, DataType type) {
    return new StructType(
        Arrays.stream(schema.fields())
            .map(
                field ->
                    field.name().equals(column)
                        ? new StructField(column, type, true, field.metadata())
                        : field)
            .toArray(StructField[]::new));
  }

  static StructType without(StructType schema, String... columns) {
    List<String> dropped = List.of(columns);
    return new StructType(
        Arrays.stream(schema.fields())
            .filter(field -> !dropped.contains(field.name()))
            .toArray(StructField[]::new));
  }

  private static Dataset<Row> empty(StructType schema) {
    return spark().createDataFrame(List.of(), schema);
  }
}
