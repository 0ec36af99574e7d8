package dev.kindling.features.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Shared selections of the metric functions: days of the event log, the catalog of a day. */
final class MetricInputs {

  static final long SECONDS_PER_HOUR = 3600L;

  private MetricInputs() {}

  /**
   * Fails unless {@code df} has every column in {@code columns}.
   *
   * @throws IllegalArgumentException naming the metric, the missing columns and the columns present
   */
  static void requireColumns(Dataset<Row> df, String metric, String... columns) {
    Set<String> present = Set.of(df.columns());
    List<String> missing =
        Arrays.stream(columns).filter(c -> !present.contains(c)).collect(Collectors.toList());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "Metric "
              + metric
              + " needs the column(s) "
              + missing
              + " but its input has only "
              + Arrays.toString(df.columns())
              + "; pass validated_events (EventsSchema) and raw/items (ItemsSchema)");
    }
  }

  /** Events whose {@code dt} lies in {@code from .. to}, both inclusive. */
  static Dataset<Row> days(Dataset<Row> events, LocalDate from, LocalDate to) {
    return events.where(
        col(EventsSchema.DT).between(lit(Date.valueOf(from)), lit(Date.valueOf(to))));
  }

  /** Events of day {@code day}. */
  static Dataset<Row> day(Dataset<Row> events, LocalDate day) {
    return days(events, day, day);
  }

  /** Items published before the end of {@code day}: the catalog a policy could show on it. */
  static Dataset<Row> catalog(Dataset<Row> items, LocalDate day) {
    return items.where(col(ItemsSchema.PUBLISH_TS).lt(lit(startOf(day.plusDays(1)))));
  }

  /** 00:00 UTC of {@code day}. */
  static Timestamp startOf(LocalDate day) {
    return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  /** 1 when {@code flag} is true, else 0 (null counts as 0). */
  static Column indicator(Column flag) {
    return org.apache.spark.sql.functions.when(flag, lit(1L)).otherwise(lit(0L));
  }

  /** {@code numerator / denominator}, or null when the denominator is 0. */
  static Double ratio(double numerator, double denominator) {
    return denominator == 0 ? null : numerator / denominator;
  }
}
