package dev.kindling.features.content;

import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Row builders in the production schemas for the content agent's tests: content-state rows with the
 * counts given and the rates derived from them, and impressions.
 */
public final class ContentStateRows {

  /** The category CTR every built row carries. */
  public static final double CTR_CATEGORY = 0.1;

  /** The category completions per click every built row carries. */
  public static final double COMPLETION_RATE_CATEGORY = 0.5;

  private ContentStateRows() {}

  /** Lifetime counts of one item on one day. */
  public record Counts(
      long exposure,
      long clicks,
      long completions,
      long shares,
      long heated,
      long exposureToday,
      long clicksToday) {}

  /**
   * A {@link ContentStateSchema#SCHEMA} row of an item published one day before {@code dt}, in
   * category {@code category}, with the given counts, quality and click inflation (null for none).
   */
  public static Row contentState(
      String itemId,
      String category,
      LocalDate dt,
      Double quality,
      Counts c,
      Double clickInflation,
      boolean cold) {
    Timestamp published = Timestamp.from(dt.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    double ctrSmoothed = (c.clicks() + 100 * CTR_CATEGORY) / (c.exposure() + 100.0);
    return RowFactory.create(
        itemId,
        "creator-" + itemId,
        category,
        Date.valueOf(dt),
        published,
        quality,
        2.0,
        c.exposure(),
        c.clicks(),
        c.completions(),
        c.shares(),
        c.heated(),
        0.0,
        c.exposureToday(),
        c.clicksToday(),
        CTR_CATEGORY,
        COMPLETION_RATE_CATEGORY,
        ctrSmoothed,
        c.clicks() > 0 ? (double) c.completions() / c.clicks() : null,
        c.clicks() > 0 ? (double) c.shares() / c.clicks() : null,
        clickInflation,
        clickInflation != null && clickInflation >= 2.0,
        cold);
  }

  /** An {@link EventsSchema#SCHEMA} impression on {@code dt}, unheated, without purchase. */
  public static Row impression(
      String eventId,
      String userId,
      String itemId,
      LocalDate dt,
      boolean clicked,
      boolean completed) {
    return RowFactory.create(
        eventId,
        Timestamp.from(dt.atStartOfDay(ZoneOffset.UTC).plusHours(12).toInstant()),
        Date.valueOf(dt),
        userId,
        itemId,
        "feed",
        "req-" + eventId,
        0,
        clicked,
        clicked ? 1000L : null,
        completed,
        false,
        0.0,
        false,
        false,
        0.1,
        0.5,
        null);
  }
}
