package dev.kindling.features.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UsersSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Small inline logs built from the production schemas, and the assertions every test shares. */
final class ValidationFixtures {

  static final LocalDate RUN_DATE = LocalDate.of(2024, 5, 1);
  static final Instant BASE_TS = Instant.parse("2024-05-01T10:00:00Z");
  static final Set<String> SCENARIOS = Set.of("feed", "search", "detail");
  static final String KNOWN_ITEM = "i1";
  static final String LATE_ITEM = "i-late";
  static final Instant LATE_ITEM_PUBLISHED = Instant.parse("2024-05-01T12:00:00Z");
  static final String KNOWN_USER = "u1";

  /**
   * The events contract as Parquet hands it over: every column nullable and array elements
   * nullable, so tests can feed the nulls a real log may hold.
   */
  static final StructType EVENTS_AS_READ = asRead(EventsSchema.SCHEMA);

  private ValidationFixtures() {}

  static SparkSession spark() {
    return SparkTestSession.get();
  }

  /** Every column nullable, array elements nullable. */
  static StructType asRead(StructType schema) {
    return new StructType(
        Arrays.stream(schema.fields())
            .map(
                field ->
                    new StructField(
                        field.name(),
                        field.dataType() instanceof ArrayType array
                            ? DataTypes.createArrayType(array.elementType(), true)
                            : field.dataType(),
                        true,
                        field.metadata()))
            .toArray(StructField[]::new));
  }

  /** A good event: every field valid, clicked with engagement, known item and user. */
  static Map<String, Object> goodEvent(String eventId) {
    Map<String, Object> event = new HashMap<>();
    event.put(EventsSchema.EVENT_ID, eventId);
    event.put(EventsSchema.TS, Timestamp.from(BASE_TS));
    event.put(EventsSchema.DT, Date.valueOf(RUN_DATE));
    event.put(EventsSchema.USER_ID, KNOWN_USER);
    event.put(EventsSchema.ITEM_ID, KNOWN_ITEM);
    event.put(EventsSchema.SCENARIO, "feed");
    event.put(EventsSchema.REQUEST_ID, "req-" + eventId);
    event.put(EventsSchema.POSITION, 0);
    event.put(EventsSchema.CLICKED, true);
    event.put(EventsSchema.DWELL_MS, 1_500L);
    event.put(EventsSchema.COMPLETED, true);
    event.put(EventsSchema.SHARED, false);
    event.put(EventsSchema.PURCHASE_AMOUNT, 0.0);
    event.put(EventsSchema.HEATED, false);
    event.put(EventsSchema.EXPLORE, true);
    event.put(EventsSchema.EXPLORE_PROB, 0.1);
    event.put(EventsSchema.PROPENSITY, 0.5);
    event.put(EventsSchema.ACTION, Arrays.asList(0.2f, 0.3f, 0.5f));
    return event;
  }

  /** A row of {@code schema} from column values; absent keys become null. */
  static Row row(StructType schema, Map<String, Object> values) {
    return RowFactory.create(
        Arrays.stream(schema.fieldNames()).map(values::get).toArray(Object[]::new));
  }

  static Dataset<Row> events(List<Map<String, Object>> events) {
    return frame(EVENTS_AS_READ, events);
  }

  static Dataset<Row> frame(StructType schema, List<Map<String, Object>> rows) {
    return spark()
        .createDataFrame(rows.stream().map(values -> row(schema, values)).toList(), schema);
  }

  /**
   * The catalog: the known item twice (to prove joins do not multiply events), a late item, and one
   * row without a key.
   */
  static Dataset<Row> items() {
    StructType schema = asRead(ItemsSchema.SCHEMA);
    return spark()
        .createDataFrame(
            List.of(
                RowFactory.create(
                    KNOWN_ITEM,
                    "c1",
                    "news",
                    Timestamp.from(Instant.parse("2024-04-01T00:00:00Z")),
                    0.9),
                RowFactory.create(
                    KNOWN_ITEM,
                    "c1",
                    "news",
                    Timestamp.from(Instant.parse("2024-04-02T00:00:00Z")),
                    null),
                RowFactory.create(
                    LATE_ITEM, "c2", "sport", Timestamp.from(LATE_ITEM_PUBLISHED), 0.5),
                RowFactory.create(null, "c3", "sport", Timestamp.from(BASE_TS), null)),
            schema);
  }

  /** The directory: the known user twice, one more user, and one row without a key. */
  static Dataset<Row> users() {
    StructType schema = asRead(UsersSchema.SCHEMA);
    Timestamp signup = Timestamp.from(Instant.parse("2024-01-01T00:00:00Z"));
    return spark()
        .createDataFrame(
            List.of(
                RowFactory.create(KNOWN_USER, signup),
                RowFactory.create(KNOWN_USER, signup),
                RowFactory.create("u2", signup),
                RowFactory.create(" ", signup)),
            schema);
  }

  static EventValidationResult validate(Dataset<Row> rawEvents) {
    return EventValidation.validate(rawEvents, items(), users(), RUN_DATE, SCENARIOS);
  }

  /** Asserts the invariant of every validation: accepted + duplicates + quarantined = input. */
  static void assertCountsAddUp(EventValidationResult result, Dataset<Row> input) {
    long accepted = result.accepted().count();
    long duplicates = result.duplicates().count();
    long quarantined = result.quarantined().count();
    assertThat(accepted + duplicates + quarantined)
        .as(
            "accepted %d + duplicates %d + quarantined %d must equal the input rows",
            accepted, duplicates, quarantined)
        .isEqualTo(input.count());
  }
}
