package dev.kindling.features.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.sql.Timestamp;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Engagement and business metrics of one day D of {@code validated_events}: CTR, new-content CTR,
 * cold-start success, GMV, dwell time, heated share and heating cost. Pure functions; each returns
 * a scalar computed by one aggregation (plus a join with {@code raw/items} where item age matters).
 *
 * <p>Preconditions: {@code events} has the {@link EventsSchema} columns named in each function
 * ({@code dt} as a date, {@code ts} as a UTC timestamp), {@code items} the {@link ItemsSchema}
 * columns named, and every shown item is in {@code items}. Nullable log columns ({@code completed},
 * {@code shared}, {@code purchase_amount}, {@code dwell_ms}) count null as "no".
 */
public final class EngagementMetrics {

  private static final String PUBLISHED = "m_publish_ts";
  private static final String CATALOG_ITEM = "m_catalog_item";
  private static final String ENGAGED_ITEM = "m_engaged_item";
  private static final String ENGAGEMENTS = "m_engagements";

  private EngagementMetrics() {}

  /**
   * Overall click-through rate of D: {@code clicked impressions / impressions}.
   *
   * <p>Cost: one aggregate, no shuffle beyond it. Needs {@code events.dt, clicked}. Returns null
   * when D has no impressions.
   */
  public static Double ctr(Dataset<Row> events, LocalDate day) {
    MetricInputs.requireColumns(events, "CTR", EventsSchema.DT, EventsSchema.CLICKED);
    return clickRate(MetricInputs.day(events, day));
  }

  /**
   * New-content click-through rate of D: {@code clicked / impressions} over the impressions whose
   * item was younger than {@code newContentHours} at impression time, {@code 0 <= ts - publish_ts <
   * newContentHours}.
   *
   * <p>Cost: one join of D's impressions with the items (a shuffle, or a broadcast of the items
   * when small), one aggregate. Needs {@code events.dt, ts, item_id, clicked} and {@code
   * items.item_id, publish_ts}. Returns null when D showed no new content.
   */
  public static Double newContentCtr(
      Dataset<Row> events, Dataset<Row> items, LocalDate day, int newContentHours) {
    MetricInputs.requireColumns(
        events,
        "new-content CTR",
        EventsSchema.DT,
        EventsSchema.TS,
        EventsSchema.ITEM_ID,
        EventsSchema.CLICKED);
    MetricInputs.requireColumns(
        items, "new-content CTR", ItemsSchema.ITEM_ID, ItemsSchema.PUBLISH_TS);
    return clickRate(newContentImpressions(events, items, day, newContentHours));
  }

  /**
   * Impressions of D whose item was younger than {@code newContentHours} at impression time, with
   * the event columns; the population of {@link #newContentCtr}.
   */
  public static Dataset<Row> newContentImpressions(
      Dataset<Row> events, Dataset<Row> items, LocalDate day, int newContentHours) {
    Dataset<Row> dayEvents = MetricInputs.day(events, day);
    Dataset<Row> published =
        items.select(
            col(ItemsSchema.ITEM_ID).as(CATALOG_ITEM), col(ItemsSchema.PUBLISH_TS).as(PUBLISHED));
    Column ageSeconds = col(EventsSchema.TS).cast("long").minus(col(PUBLISHED).cast("long"));
    return dayEvents
        .join(published, dayEvents.col(EventsSchema.ITEM_ID).equalTo(col(CATALOG_ITEM)))
        .where(
            ageSeconds.geq(0).and(ageSeconds.lt(newContentHours * MetricInputs.SECONDS_PER_HOUR)))
        .drop(CATALOG_ITEM, PUBLISHED);
  }

  /**
   * Cold-start success rate of D: among the items published in [00:00 of D − coldStartWindowDays +
   * 1, 24:00 of D − coldStartHours], that is the items whose first {@code coldStartHours} lie
   * wholly inside the window, the share that earned at least {@code coldStartEngagements} true
   * engagements within {@code coldStartHours} of publication. One impression's true engagements are
   * {@code [completed] + [shared] + [purchase_amount > 0]}, so an impression counts up to 3; clicks
   * alone do not count. Items of the cohort never shown count as failures.
   *
   * <p>Cost: one join of the window's engaged impressions with the cohort, one shuffle to sum
   * engagements per item, one join back to the cohort and an aggregate. Needs {@code events.dt, ts,
   * item_id, completed, shared, purchase_amount} over the days D − coldStartWindowDays + 1 .. D and
   * {@code items.item_id, publish_ts}. Returns null when the cohort is empty.
   */
  public static Double coldStartSuccessRate(
      Dataset<Row> events, Dataset<Row> items, LocalDate day, MetricParams params) {
    MetricInputs.requireColumns(
        events,
        "cold-start success rate",
        EventsSchema.DT,
        EventsSchema.TS,
        EventsSchema.ITEM_ID,
        EventsSchema.COMPLETED,
        EventsSchema.SHARED,
        EventsSchema.PURCHASE_AMOUNT);
    MetricInputs.requireColumns(
        items, "cold-start success rate", ItemsSchema.ITEM_ID, ItemsSchema.PUBLISH_TS);
    LocalDate windowStart = day.minusDays(params.coldStartWindowDays() - 1L);
    long spanSeconds = params.coldStartHours() * MetricInputs.SECONDS_PER_HOUR;
    Timestamp latestPublish =
        Timestamp.from(MetricInputs.startOf(day.plusDays(1)).toInstant().minusSeconds(spanSeconds));
    Dataset<Row> cohort =
        items
            .where(
                col(ItemsSchema.PUBLISH_TS)
                    .geq(lit(MetricInputs.startOf(windowStart)))
                    .and(col(ItemsSchema.PUBLISH_TS).leq(lit(latestPublish))))
            .select(
                col(ItemsSchema.ITEM_ID).as(CATALOG_ITEM),
                col(ItemsSchema.PUBLISH_TS).as(PUBLISHED));
    Column engagements =
        MetricInputs.indicator(col(EventsSchema.COMPLETED))
            .plus(MetricInputs.indicator(col(EventsSchema.SHARED)))
            .plus(MetricInputs.indicator(col(EventsSchema.PURCHASE_AMOUNT).gt(0)));
    Dataset<Row> windowEvents = MetricInputs.days(events, windowStart, day);
    Column ageSeconds = col(EventsSchema.TS).cast("long").minus(col(PUBLISHED).cast("long"));
    Dataset<Row> earned =
        windowEvents
            .join(cohort, windowEvents.col(EventsSchema.ITEM_ID).equalTo(col(CATALOG_ITEM)))
            .where(ageSeconds.geq(0).and(ageSeconds.lt(spanSeconds)))
            .groupBy(col(CATALOG_ITEM).as(ENGAGED_ITEM))
            .agg(sum(engagements).as(ENGAGEMENTS));
    Row r =
        cohort
            .join(earned, col(CATALOG_ITEM).equalTo(col(ENGAGED_ITEM)), "left")
            .agg(
                count(lit(1)),
                sum(
                    MetricInputs.indicator(
                        coalesce(col(ENGAGEMENTS), lit(0L)).geq(params.coldStartEngagements()))))
            .first();
    long cohortSize = r.getLong(0);
    return cohortSize == 0 ? null : MetricInputs.ratio(r.getLong(1), cohortSize);
  }

  /**
   * Gross merchandise value of D: {@code sum(purchase_amount)}, null amounts as 0.
   *
   * <p>Cost: one aggregate. Needs {@code events.dt, purchase_amount}. 0 when D has no impressions.
   */
  public static double gmv(Dataset<Row> events, LocalDate day) {
    MetricInputs.requireColumns(events, "GMV", EventsSchema.DT, EventsSchema.PURCHASE_AMOUNT);
    Row r =
        MetricInputs.day(events, day)
            .agg(sum(coalesce(col(EventsSchema.PURCHASE_AMOUNT), lit(0.0))))
            .first();
    return r.isNullAt(0) ? 0.0 : r.getDouble(0);
  }

  /**
   * Mean dwell time per click on D, in milliseconds: {@code avg(dwell_ms)} over clicked impressions
   * whose {@code dwell_ms} is known.
   *
   * <p>Cost: one aggregate. Needs {@code events.dt, clicked, dwell_ms}. Returns null when D has no
   * click with a known dwell time.
   */
  public static Double meanDwellMs(Dataset<Row> events, LocalDate day) {
    MetricInputs.requireColumns(
        events, "dwell time", EventsSchema.DT, EventsSchema.CLICKED, EventsSchema.DWELL_MS);
    Row r =
        MetricInputs.day(events, day)
            .where(col(EventsSchema.CLICKED).and(col(EventsSchema.DWELL_MS).isNotNull()))
            .agg(avg(col(EventsSchema.DWELL_MS)))
            .first();
    return r.isNullAt(0) ? null : r.getDouble(0);
  }

  /**
   * Heated share of D: {@code heated impressions / impressions}; the system agent caps it.
   *
   * <p>Cost: one aggregate. Needs {@code events.dt, heated}. Returns null when D has no
   * impressions.
   */
  public static Double heatedShare(Dataset<Row> events, LocalDate day) {
    MetricInputs.requireColumns(events, "heated share", EventsSchema.DT, EventsSchema.HEATED);
    long[] counts = heatedCounts(events, day);
    return MetricInputs.ratio(counts[1], counts[0]);
  }

  /**
   * Heating cost of D: {@code heated impressions * heatingCostPerImpression}.
   *
   * <p>Cost: one aggregate. Needs {@code events.dt, heated}. 0 when D has no impressions.
   */
  public static double heatingCost(
      Dataset<Row> events, LocalDate day, double heatingCostPerImpression) {
    MetricInputs.requireColumns(events, "heating cost", EventsSchema.DT, EventsSchema.HEATED);
    return heatedCounts(events, day)[1] * heatingCostPerImpression;
  }

  /** {impressions, heated impressions} of D. */
  private static long[] heatedCounts(Dataset<Row> events, LocalDate day) {
    Row r =
        MetricInputs.day(events, day)
            .agg(count(lit(1)), sum(MetricInputs.indicator(col(EventsSchema.HEATED))))
            .first();
    long impressions = r.getLong(0);
    return new long[] {impressions, impressions == 0 ? 0L : r.getLong(1)};
  }

  private static Double clickRate(Dataset<Row> impressions) {
    Row r =
        impressions
            .agg(count(lit(1)), sum(MetricInputs.indicator(col(EventsSchema.CLICKED))))
            .first();
    long n = r.getLong(0);
    return n == 0 ? null : MetricInputs.ratio(r.getLong(1), n);
  }
}
