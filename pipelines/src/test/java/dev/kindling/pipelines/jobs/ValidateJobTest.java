package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.QuarantineSchema;
import dev.kindling.features.validate.EventValidation;
import dev.kindling.features.validate.ReasonCode;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.TestFiles;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ValidateJob} on two simulated days, the first with a few hand-broken rows appended to its
 * raw Parquet.
 */
class ValidateJobTest {

  private static final String NULL_USER_EVENT = "broken-null-user";
  private static final String BAD_PROPENSITY_EVENT = "broken-propensity";
  private static final String UNKNOWN_ITEM_EVENT = "broken-unknown-item";
  private static final double BAD_PROPENSITY = 1.5;

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path root;
  private static Lakehouse lakehouse;
  private static LocalDate day1;
  private static LocalDate day2;
  private static String duplicatedEventId;
  private static long rawRowsDay1;
  private static ValidateResult first1;
  private static ValidateResult first2;

  @BeforeAll
  static void simulateBreakAndValidate() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    JobFixtures.simulate(spark, root, 2);
    lakehouse = new Lakehouse(spark, root.toString());
    day1 = JobFixtures.startDate();
    day2 = day1.plusDays(1);
    appendBrokenRows();
    rawRowsDay1 = spark.read().parquet(dayDir(root, day1).toString()).count();
    first1 = JobFixtures.validate(spark, root, day1);
    first2 = JobFixtures.validate(spark, root, day2);
  }

  /**
   * Appends one Parquet file to day 1: an exact copy of a simulated row (a duplicate event_id) and
   * three rows that each break one rule. The broken rows get request ids of their own, so they do
   * not collide with a simulated slate.
   */
  private static void appendBrokenRows() {
    Dataset<Row> day = spark.read().parquet(dayDir(root, day1).toString());
    StructType fileSchema = day.schema();
    List<Row> samples = day.orderBy(EventsSchema.EVENT_ID).limit(4).collectAsList();
    duplicatedEventId = samples.get(0).getAs(EventsSchema.EVENT_ID);
    List<Row> extra = new ArrayList<>();
    extra.add(samples.get(0));
    extra.add(withValues(samples.get(1), fileSchema, NULL_USER_EVENT, EventsSchema.USER_ID, null));
    extra.add(
        withValues(
            samples.get(2),
            fileSchema,
            BAD_PROPENSITY_EVENT,
            EventsSchema.PROPENSITY,
            BAD_PROPENSITY));
    extra.add(
        withValues(
            samples.get(3), fileSchema, UNKNOWN_ITEM_EVENT, EventsSchema.ITEM_ID, "no-such-item"));
    spark
        .createDataFrame(extra, nullable(fileSchema))
        .coalesce(1)
        .write()
        .mode(SaveMode.Append)
        .parquet(dayDir(root, day1).toString());
  }

  /** A copy of {@code row} with a new event id, its own request id and one column changed. */
  private static Row withValues(
      Row row, StructType schema, String eventId, String column, Object value) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < row.length(); i++) {
      values[i] = row.get(i);
    }
    values[schema.fieldIndex(EventsSchema.EVENT_ID)] = eventId;
    values[schema.fieldIndex(EventsSchema.REQUEST_ID)] = "request-of-" + eventId;
    values[schema.fieldIndex(column)] = value;
    return RowFactory.create(values);
  }

  private static StructType nullable(StructType schema) {
    return new StructType(
        Arrays.stream(schema.fields())
            .map(f -> DataTypes.createStructField(f.name(), f.dataType(), true))
            .toArray(StructField[]::new));
  }

  private static Path dayDir(Path lakehouseRoot, LocalDate day) {
    return lakehouseRoot.resolve(Lakehouse.RAW_EVENTS).resolve(Lakehouse.DT + "=" + day);
  }

  @Test
  void aRunOfADateAnotherRunHoldsFailsBeforeWritingAnything() {
    long versionBefore = deltaVersion(Table.VALIDATED_EVENTS);
    try (RunLease other = lakehouse.lease("validate", day2)) {
      assertThatThrownBy(() -> JobFixtures.validate(spark, root, day2))
          .isInstanceOf(KindlingException.class)
          .hasMessageContaining("Another run of validate for " + day2 + " is in progress")
          .hasMessageContaining(RunLease.relativePath("validate", day2));
      assertThat(deltaVersion(Table.VALIDATED_EVENTS))
          .as("nothing was committed by the refused run")
          .isEqualTo(versionBefore);
    }
    ValidateResult rerun = JobFixtures.validate(spark, root, day2);
    assertThat(rerun.accepted()).as("once released, a rerun runs").isEqualTo(first2.accepted());
    assertThat(root.resolve(RunLease.relativePath("validate", day2)))
        .as("and releases its lease")
        .doesNotExist();
  }

  private static long deltaVersion(Table table) {
    return io.delta.tables.DeltaTable.forPath(spark, lakehouse.path(table))
        .history(1)
        .first()
        .getLong(0);
  }

  @Test
  void everyInputRowIsAcceptedDroppedAsDuplicateOrQuarantined() {
    assertThat(first1.input())
        .as("input counts every raw row of the day, the appended ones included")
        .isEqualTo(rawRowsDay1);
    assertThat(first1.accepted() + first1.duplicates() + first1.quarantined())
        .as("accepted + duplicates + quarantined == input on the broken day: %s", first1)
        .isEqualTo(first1.input());
    assertThat(first2.accepted() + first2.duplicates() + first2.quarantined())
        .as("accepted + duplicates + quarantined == input on the clean day: %s", first2)
        .isEqualTo(first2.input());
    assertThat(first1.duplicates()).as("the copied row is dropped as a duplicate").isEqualTo(1);
    assertThat(first1.quarantined()).as("the three broken rows are quarantined").isEqualTo(3);
    assertThat(first1.accepted())
        .as("accepted rows are what validated_events holds for the day")
        .isEqualTo(lakehouse.read(Table.VALIDATED_EVENTS, day1).count());
  }

  @Test
  void quarantineHoldsTheBrokenRowsWithTheirReasonCodes() {
    Dataset<Row> events =
        lakehouse
            .read(Table.QUARANTINE, day1)
            .where(col(QuarantineSchema.SOURCE).equalTo(EventValidation.EVENTS_LOG));
    List<Row> rows =
        events.select(QuarantineSchema.ROW_KEY, QuarantineSchema.REASON_CODE).collectAsList();
    assertThat(rows)
        .as("exactly the hand-broken event rows are quarantined, each with its first broken rule")
        .extracting(r -> r.getString(0), r -> r.getString(1))
        .containsExactlyInAnyOrder(
            tuple(NULL_USER_EVENT, ReasonCode.MISSING_USER_ID.name()),
            tuple(BAD_PROPENSITY_EVENT, ReasonCode.INVALID_PROPENSITY.name()),
            tuple(UNKNOWN_ITEM_EVENT, ReasonCode.UNKNOWN_ITEM.name()));
    String propensityReason =
        events
            .where(col(QuarantineSchema.ROW_KEY).equalTo(BAD_PROPENSITY_EVENT))
            .select(QuarantineSchema.REASON)
            .first()
            .getString(0);
    assertThat(propensityReason)
        .as("the reason shows the bad value")
        .contains(String.valueOf(BAD_PROPENSITY));
    assertThat(
            lakehouse
                .read(Table.QUARANTINE, day2)
                .where(col(QuarantineSchema.SOURCE).equalTo(EventValidation.EVENTS_LOG))
                .count())
        .as("the simulated day without broken rows quarantines no event")
        .isZero();
  }

  @Test
  void theDuplicateIsKeptOnceAndNoBrokenRowIsAccepted() {
    Dataset<Row> validated = lakehouse.read(Table.VALIDATED_EVENTS, day1);
    assertThat(validated.where(col(EventsSchema.EVENT_ID).equalTo(duplicatedEventId)).count())
        .as("a duplicated event_id is accepted once")
        .isEqualTo(1);
    assertThat(
            validated
                .where(
                    col(EventsSchema.EVENT_ID)
                        .isin(NULL_USER_EVENT, BAD_PROPENSITY_EVENT, UNKNOWN_ITEM_EVENT))
                .count())
        .as("no broken row reaches validated_events")
        .isZero();
    assertThat(validated.select(EventsSchema.EVENT_ID).distinct().count())
        .as("validated_events holds one row per event_id")
        .isEqualTo(validated.count());
  }

  @Test
  void reRunningADateLeavesIdenticalTablesAndOtherDatesUntouched() {
    Dataset<Row> validated1 = JobFixtures.snapshot(spark, read(Table.VALIDATED_EVENTS, day1));
    Dataset<Row> quarantine1 = JobFixtures.snapshot(spark, read(Table.QUARANTINE, day1));
    Dataset<Row> validated2 = JobFixtures.snapshot(spark, read(Table.VALIDATED_EVENTS, day2));
    Dataset<Row> quarantine2 = JobFixtures.snapshot(spark, read(Table.QUARANTINE, day2));

    ValidateResult again = JobFixtures.validate(spark, root, day1);

    assertThat(List.of(again.input(), again.accepted(), again.duplicates(), again.quarantined()))
        .as("the re-run counts what the first run counted")
        .isEqualTo(
            List.of(first1.input(), first1.accepted(), first1.duplicates(), first1.quarantined()));
    assertThat(again.validatedVersion())
        .as("the re-run commits a new version of validated_events")
        .isGreaterThan(first1.validatedVersion());
    JobFixtures.assertSameRows(
        "validated_events " + day1 + " after a re-run",
        validated1,
        read(Table.VALIDATED_EVENTS, day1));
    JobFixtures.assertSameRows(
        "quarantine " + day1 + " after a re-run", quarantine1, read(Table.QUARANTINE, day1));
    JobFixtures.assertSameRows(
        "validated_events " + day2 + " after re-running " + day1,
        validated2,
        read(Table.VALIDATED_EVENTS, day2));
    JobFixtures.assertSameRows(
        "quarantine " + day2 + " after re-running " + day1,
        quarantine2,
        read(Table.QUARANTINE, day2));
  }

  @Test
  void aDayWithoutARequiredColumnFailsNamingItAndWritesNothing() throws IOException {
    Path other = dir.resolve("missing-column");
    TestFiles.copyTree(root.resolve(Lakehouse.RAW_ITEMS), other.resolve(Lakehouse.RAW_ITEMS));
    TestFiles.copyTree(root.resolve(Lakehouse.RAW_USERS), other.resolve(Lakehouse.RAW_USERS));
    spark
        .read()
        .parquet(dayDir(root, day2).toString())
        .drop(EventsSchema.USER_ID)
        .write()
        .parquet(dayDir(other, day2).toString());

    assertThatThrownBy(() -> JobFixtures.validate(spark, other, day2))
        .as("a missing required column stops validate with a message naming the column")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("'" + EventsSchema.USER_ID + "'");

    Lakehouse otherLakehouse = new Lakehouse(spark, other.toString());
    assertThat(otherLakehouse.exists(Table.VALIDATED_EVENTS))
        .as("no validated_events table is written")
        .isFalse();
    assertThat(otherLakehouse.exists(Table.QUARANTINE))
        .as("no quarantine table is written")
        .isFalse();
    try (Stream<Path> top = Files.list(other)) {
      assertThat(top.map(p -> p.getFileName().toString()))
          .as("nothing but the raw logs (and the lease directory) under the lakehouse root")
          .containsExactlyInAnyOrder("raw", RunLease.LOCKS);
    }
    try (Stream<Path> locks = Files.walk(other.resolve(RunLease.LOCKS))) {
      assertThat(locks.filter(Files::isRegularFile).toList())
          .as("the failed run released its lease")
          .isEmpty();
    }
  }

  private static Dataset<Row> read(Table table, LocalDate day) {
    return lakehouse.read(table, day);
  }
}
