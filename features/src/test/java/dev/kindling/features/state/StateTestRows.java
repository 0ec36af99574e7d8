package dev.kindling.features.state;

import dev.kindling.features.schema.EventsSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** Small row builders for the state tests, all in the production schemas. */
public final class StateTestRows {

  private StateTestRows() {}

  public static Timestamp ts(String isoInstant) {
    return Timestamp.from(Instant.parse(isoInstant));
  }

  static Date date(LocalDate day) {
    return Date.valueOf(day);
  }

  /**
   * One impression in {@link EventsSchema#SCHEMA}; {@code dt} is the UTC date of {@code
   * isoInstant}.
   */
  public static Row event(
      String eventId,
      String userId,
      String itemId,
      String isoInstant,
      boolean clicked,
      boolean completed,
      boolean shared,
      double purchaseAmount,
      boolean heated) {
    LocalDate day = LocalDate.parse(isoInstant.substring(0, "yyyy-MM-dd".length()));
    return RowFactory.create(
        eventId,
        ts(isoInstant),
        date(day),
        userId,
        itemId,
        "feed",
        "req-" + eventId,
        0,
        clicked,
        clicked ? 1000L : null,
        completed,
        shared,
        purchaseAmount,
        heated,
        false,
        0.1,
        0.5,
        null);
  }

  /** An impression with no engagement beyond the click flag and no heating. */
  public static Row impression(
      String eventId, String userId, String itemId, String isoInstant, boolean clicked) {
    return event(eventId, userId, itemId, isoInstant, clicked, false, false, 0.0, false);
  }

  static Dataset<Row> frame(SparkSession spark, List<Row> rows, StructType schema) {
    return spark.createDataFrame(rows, schema);
  }

  /** A {@code map} column value as a Java map. */
  static Map<String, Double> javaMap(Row row, String column) {
    return row.getJavaMap(row.fieldIndex(column));
  }
}
