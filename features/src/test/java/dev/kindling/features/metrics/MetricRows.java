package dev.kindling.features.metrics;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Small row builders for the metric tests, in the production schemas. */
final class MetricRows {

  /** The day D of every metric test. */
  static final LocalDate D = LocalDate.parse("2026-03-10");

  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  private MetricRows() {}

  /** An impression of {@code item} to {@code user} at {@code isoInstant}, nothing engaged. */
  static Event event(String user, String item, String isoInstant) {
    return new Event(user, item, isoInstant);
  }

  /** An impression at noon UTC of {@code day}. */
  static Event event(String user, String item, LocalDate day) {
    return new Event(user, item, day + "T12:00:00Z");
  }

  static Dataset<Row> events(Event... events) {
    List<Row> rows = Arrays.stream(events).map(Event::row).collect(Collectors.toList());
    return SparkTestSession.get().createDataFrame(rows, EventsSchema.SCHEMA);
  }

  static Row item(String itemId, String category, String isoPublish) {
    return RowFactory.create(
        itemId, "creator-" + itemId, category, Timestamp.from(Instant.parse(isoPublish)), 0.5);
  }

  /** An item of category {@code A} published long before D. */
  static Row item(String itemId) {
    return item(itemId, "A", "2026-01-01T00:00:00Z");
  }

  static Dataset<Row> items(Row... items) {
    return SparkTestSession.get().createDataFrame(List.of(items), ItemsSchema.SCHEMA);
  }

  /** A mutable impression in {@link EventsSchema#SCHEMA}; {@code dt} is the UTC date of ts. */
  static final class Event {
    private final String user;
    private final String item;
    private final String isoInstant;
    private String request;
    private boolean clicked;
    private Long dwellMs;
    private Boolean completed;
    private Boolean shared;
    private Double purchaseAmount;
    private boolean heated;

    private Event(String user, String item, String isoInstant) {
      this.user = user;
      this.item = item;
      this.isoInstant = isoInstant;
    }

    Event request(String value) {
      request = value;
      return this;
    }

    Event clicked() {
      clicked = true;
      return this;
    }

    Event clicked(Long dwell) {
      clicked = true;
      dwellMs = dwell;
      return this;
    }

    Event dwell(long value) {
      dwellMs = value;
      return this;
    }

    Event completed() {
      completed = true;
      return this;
    }

    Event shared() {
      shared = true;
      return this;
    }

    Event purchase(Double amount) {
      purchaseAmount = amount;
      return this;
    }

    Event heated() {
      heated = true;
      return this;
    }

    Row row() {
      String id = "e" + SEQUENCE.incrementAndGet();
      LocalDate day = LocalDate.parse(isoInstant.substring(0, "yyyy-MM-dd".length()));
      return RowFactory.create(
          id,
          Timestamp.from(Instant.parse(isoInstant)),
          Date.valueOf(day),
          user,
          item,
          "feed",
          request == null ? "req-" + id : request,
          0,
          clicked,
          dwellMs,
          completed,
          shared,
          purchaseAmount,
          heated,
          null,
          null,
          null,
          null);
    }
  }
}
