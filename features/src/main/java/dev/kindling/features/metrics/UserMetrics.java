package dev.kindling.features.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;

import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.sql.Date;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Diversity and user metrics of one day D of {@code validated_events}: intra-list diversity by
 * category, users' interest breadth over a trailing window, next-day retention. Pure functions;
 * each returns a scalar or a small record computed by aggregations.
 *
 * <p>Preconditions: {@code events} has the {@link EventsSchema} columns named in each function
 * ({@code dt} as a date), {@code items} the {@link ItemsSchema} columns named, and every shown item
 * is in {@code items}.
 */
public final class UserMetrics {

  private static final String CATALOG_ITEM = "m_catalog_item";
  private static final String CATEGORY_COUNT = "m_category_count";
  private static final String LIST_SIZE = "m_list_size";
  private static final String SAME_PAIRS = "m_same_pairs";
  private static final String CLICKS = "m_clicks";
  private static final String CATEGORIES = "m_categories";
  private static final String WEIGHTED_LOG = "m_weighted_log";
  private static final String ACTIVE_USER = "m_active_user";
  private static final String ACTIVE_TODAY = "m_active_today";
  private static final String ACTIVE_NEXT = "m_active_next";
  private static final double LN_2 = Math.log(2.0);

  private UserMetrics() {}

  /**
   * Users' interest breadth over a trailing window, averaged over users.
   *
   * @param meanDistinctCategories mean over users of the number of distinct categories clicked
   * @param meanEntropyBits mean over users of the Shannon entropy, in bits, of the categories of
   *     their clicks
   * @param users users averaged over: active on D with at least one click in the window
   */
  public record InterestBreadth(
      Double meanDistinctCategories, Double meanEntropyBits, long users) {}

  /**
   * Intra-list diversity by category of D's slates, after Ziegler et al., "Improving recommendation
   * lists through topic diversification", WWW 2005: {@code ILD(L) = sum_{i != j in L} d(i, j) /
   * (|L| (|L| - 1))} with {@code d(i, j) = 1} when the two items' categories differ, else 0, which
   * with {@code n_c} items of category c in L equals {@code 1 - sum_c n_c (n_c - 1) / (|L| (|L| -
   * 1))}; averaged over D's slates ({@code request_id}) of at least two impressions.
   *
   * <p>Cost: one join with the items, two shuffles (per slate and category, per slate), one
   * aggregate; no pairwise self-join. Needs {@code events.dt, request_id, item_id} and {@code
   * items.item_id, category}. Returns null when D has no slate of two or more impressions.
   */
  public static Double intraListDiversity(Dataset<Row> events, Dataset<Row> items, LocalDate day) {
    MetricInputs.requireColumns(
        events,
        "intra-list diversity",
        EventsSchema.DT,
        EventsSchema.REQUEST_ID,
        EventsSchema.ITEM_ID);
    MetricInputs.requireColumns(
        items, "intra-list diversity", ItemsSchema.ITEM_ID, ItemsSchema.CATEGORY);
    Column n = col(LIST_SIZE).cast("double");
    Row r =
        withCategory(MetricInputs.day(events, day), items)
            .groupBy(col(EventsSchema.REQUEST_ID), col(ItemsSchema.CATEGORY))
            .agg(count(lit(1)).as(CATEGORY_COUNT))
            .groupBy(col(EventsSchema.REQUEST_ID))
            .agg(
                sum(col(CATEGORY_COUNT)).as(LIST_SIZE),
                sum(col(CATEGORY_COUNT).multiply(col(CATEGORY_COUNT).minus(1))).as(SAME_PAIRS))
            .where(col(LIST_SIZE).geq(2))
            .agg(avg(lit(1.0).minus(col(SAME_PAIRS).divide(n.multiply(n.minus(1))))))
            .first();
    return r.isNullAt(0) ? null : r.getDouble(0);
  }

  /**
   * Interest breadth of D's active users (any impression on D): for each such user with at least
   * one click in the days D − interestWindowDays + 1 .. D, the number of distinct categories
   * clicked and the Shannon entropy of the clicked categories, {@code H = -sum_c p_c log2 p_c} with
   * {@code p_c} the share of the user's clicks in category c (computed as {@code log2 N - sum_c n_c
   * log2 n_c / N}); both averaged over those users. Users without a click in the window have no
   * click distribution and are left out. Source: Shannon, "A mathematical theory of communication",
   * 1948.
   *
   * <p>Cost: one join with the items, two shuffles (per user and category, per user), one join with
   * D's active users (a shuffle), one aggregate. Needs {@code events.dt, user_id, item_id, clicked}
   * over the window and {@code items.item_id, category}. The means are null when no user qualifies.
   */
  public static InterestBreadth interestBreadth(
      Dataset<Row> events, Dataset<Row> items, LocalDate day, int interestWindowDays) {
    MetricInputs.requireColumns(
        events,
        "interest breadth",
        EventsSchema.DT,
        EventsSchema.USER_ID,
        EventsSchema.ITEM_ID,
        EventsSchema.CLICKED);
    MetricInputs.requireColumns(
        items, "interest breadth", ItemsSchema.ITEM_ID, ItemsSchema.CATEGORY);
    Dataset<Row> clicks =
        MetricInputs.days(events, day.minusDays(interestWindowDays - 1L), day)
            .where(col(EventsSchema.CLICKED));
    Column c = col(CATEGORY_COUNT).cast("double");
    Dataset<Row> perUser =
        withCategory(clicks, items)
            .groupBy(col(EventsSchema.USER_ID), col(ItemsSchema.CATEGORY))
            .agg(count(lit(1)).as(CATEGORY_COUNT))
            .groupBy(col(EventsSchema.USER_ID))
            .agg(
                sum(c).as(CLICKS),
                count(lit(1)).as(CATEGORIES),
                sum(c.multiply(log(c)).divide(LN_2)).as(WEIGHTED_LOG));
    Dataset<Row> active =
        MetricInputs.day(events, day).select(col(EventsSchema.USER_ID).as(ACTIVE_USER)).distinct();
    Column entropy = log(col(CLICKS)).divide(LN_2).minus(col(WEIGHTED_LOG).divide(col(CLICKS)));
    Row r =
        perUser
            .join(active, col(EventsSchema.USER_ID).equalTo(col(ACTIVE_USER)), "left_semi")
            .agg(avg(col(CATEGORIES).cast("double")), avg(entropy), count(lit(1)))
            .first();
    return new InterestBreadth(
        r.isNullAt(0) ? null : r.getDouble(0), r.isNullAt(1) ? null : r.getDouble(1), r.getLong(2));
  }

  /**
   * Next-day retention of D: {@code |users active on D and on D + 1| / |users active on D|}, active
   * meaning at least one impression that day.
   *
   * <p>Cost: one shuffle by user over the events of D and D + 1, one aggregate. Needs {@code
   * events.dt, user_id}. Returns null when D has no impressions, and null when the input holds no
   * impression of D + 1 (the next day is not in the input yet: retention is unknown, not 0).
   */
  public static Double nextDayRetention(Dataset<Row> events, LocalDate day) {
    MetricInputs.requireColumns(
        events, "next-day retention", EventsSchema.DT, EventsSchema.USER_ID);
    Column isToday = col(EventsSchema.DT).equalTo(lit(Date.valueOf(day)));
    Column isNext = col(EventsSchema.DT).equalTo(lit(Date.valueOf(day.plusDays(1))));
    Row r =
        MetricInputs.days(events, day, day.plusDays(1))
            .groupBy(col(EventsSchema.USER_ID))
            .agg(
                max(MetricInputs.indicator(isToday)).as(ACTIVE_TODAY),
                max(MetricInputs.indicator(isNext)).as(ACTIVE_NEXT))
            .agg(
                sum(col(ACTIVE_TODAY)),
                sum(col(ACTIVE_NEXT)),
                sum(col(ACTIVE_TODAY).multiply(col(ACTIVE_NEXT))))
            .first();
    if (r.isNullAt(0) || r.getLong(0) == 0 || r.getLong(1) == 0) {
      return null;
    }
    return MetricInputs.ratio(r.getLong(2), r.getLong(0));
  }

  /** The events with their item's category (inner join on item id). */
  private static Dataset<Row> withCategory(Dataset<Row> events, Dataset<Row> items) {
    Dataset<Row> categories =
        items.select(col(ItemsSchema.ITEM_ID).as(CATALOG_ITEM), col(ItemsSchema.CATEGORY));
    return events
        .join(categories, events.col(EventsSchema.ITEM_ID).equalTo(col(CATALOG_ITEM)))
        .drop(CATALOG_ITEM);
  }
}
