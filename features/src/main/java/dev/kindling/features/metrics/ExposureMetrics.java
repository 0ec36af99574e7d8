package dev.kindling.features.metrics;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Exposure metrics of one day D of {@code validated_events} (exposure = impressions): concentration
 * (Gini, top share), catalog coverage, and the popularity-bias family (average popularity,
 * long-tail share, novelty) measured against the popularity of a reference window of days before D.
 * Pure functions; each returns a scalar computed by aggregations, only the scalar reaches the
 * driver.
 *
 * <p>Preconditions shared by the day functions: {@code events} has the {@link EventsSchema} columns
 * named in each function ({@code dt} as a date), {@code items} the {@link ItemsSchema} columns, and
 * every shown item is in {@code items} (validation quarantines unknown items). Functions that use a
 * reference window read it from the same {@code events}, which must then hold those days.
 */
public final class ExposureMetrics {

  private static final String VALUE = "gini_value";
  private static final String MULTIPLICITY = "gini_multiplicity";
  private static final String COUNT_BELOW = "gini_count_below";
  private static final String SHOWN_ITEM = "m_shown_item";
  private static final String IMPRESSIONS = "m_impressions";
  private static final String USERS = "m_users";
  private static final String CUMULATIVE_BEFORE = "m_cumulative_before";
  private static final String TOTAL = "m_total";
  private static final String IN_HEAD = "m_in_head";
  private static final String PER_USER = "m_per_user";
  private static final double LN_2 = Math.log(2.0);

  private ExposureMetrics() {}

  /**
   * The Gini coefficient of {@code valueColumn} over the rows of {@code df}, e.g. one row per item
   * with its impression count: 0 when every row has the same value, {@code (n - 1) / n} when one
   * row holds everything.
   *
   * <p>With the {@code n} values sorted ascending, {@code x(1) <= ... <= x(n)}, the result is
   * {@code G = 2 * sum_i(i * x(i)) / (n * sum_i x(i)) - (n + 1) / n}. Tied values may take their
   * ranks in any order without changing the sum, so the sum is computed per distinct value {@code
   * v} with multiplicity {@code c} and {@code a} rows strictly below it as {@code v * (c * a + c *
   * (c + 1) / 2)}.
   *
   * <p>Cost: one shuffle to group by distinct value, then a window over the distinct values in a
   * single partition (small for counts: at most the number of distinct values), then one global
   * aggregate; only the final scalar returns to the driver. Rows whose value is null are ignored;
   * entities that should count with zero exposure must be present with 0, not absent. Returns 0
   * when there are no rows or every value is 0.
   *
   * @throws IllegalArgumentException if a value is negative
   */
  public static double gini(Dataset<Row> df, String valueColumn) {
    Dataset<Row> distinct =
        df.select(col(valueColumn).cast("double").as(VALUE))
            .where(col(VALUE).isNotNull())
            .groupBy(VALUE)
            .agg(count(lit(1)).cast("double").as(MULTIPLICITY));
    // One partition on purpose (see Cost); named as a constant key so that Spark does not warn
    // about a window without a partition on every call.
    WindowSpec below =
        Window.partitionBy(lit(0))
            .orderBy(VALUE)
            .rowsBetween(Window.unboundedPreceding(), -1 /* strictly below */);
    Column countBelow = coalesceZero(sum(col(MULTIPLICITY)).over(below));
    Column c = col(MULTIPLICITY);
    Column rankWeightedSum =
        col(VALUE).multiply(c.multiply(col(COUNT_BELOW)).plus(c.multiply(c.plus(1)).divide(2)));
    Row totals =
        distinct
            .withColumn(COUNT_BELOW, countBelow)
            .agg(
                sum(c).as("n"),
                sum(col(VALUE).multiply(c)).as("total"),
                sum(rankWeightedSum).as("ranked"),
                min(col(VALUE)).as("smallest"))
            .first();
    if (totals.isNullAt(0)) {
      return 0.0;
    }
    double n = totals.getDouble(0);
    double total = totals.getDouble(1);
    double ranked = totals.getDouble(2);
    double smallest = totals.getDouble(3);
    if (smallest < 0) {
      throw new IllegalArgumentException(
          "Gini of column '"
              + valueColumn
              + "' needs non-negative values, found "
              + smallest
              + "; exposure counts cannot be negative, check the aggregation feeding it");
    }
    if (total == 0) {
      return 0.0;
    }
    return 2 * ranked / (n * total) - (n + 1) / n;
  }

  /**
   * Exposure Gini over the catalog on day D, RecBole's {@code GiniIndex}: with the {@code n} items
   * of the catalog (published before the end of D) sorted by their impressions on D ascending,
   * {@code G = sum_i (2i - n - 1) * P(i) / (n * sum_i P(i))}, items never shown counting with
   * {@code P(i) = 0}. 0 when exposure is equal, {@code (n - 1) / n} when one item takes all.
   * Source: RecBole {@code recbole.evaluator.metrics.GiniIndex} (Lin et al.'s form of the Gini
   * coefficient over recommended items); the same value as {@link #gini}.
   *
   * <p>Cost: one shuffle to count impressions per item, one join with the catalog, then {@link
   * #gini}'s shuffle, window and aggregate. Needs {@code events.dt, item_id} and {@code
   * items.item_id, publish_ts}. Returns 0 when nothing was shown or the catalog is empty.
   */
  public static double exposureGini(Dataset<Row> events, Dataset<Row> items, LocalDate day) {
    MetricInputs.requireColumns(events, "exposure Gini", EventsSchema.DT, EventsSchema.ITEM_ID);
    MetricInputs.requireColumns(
        items, "exposure Gini", ItemsSchema.ITEM_ID, ItemsSchema.PUBLISH_TS);
    return gini(catalogExposure(events, items, day), IMPRESSIONS);
  }

  /**
   * The Lorenz curve of D's impressions over the catalog: {@code points + 1} values, where value
   * {@code p} is the share of D's impressions held by the {@code p / points} least-shown fraction
   * of the catalog's {@code n} items (items never shown count with 0). The curve starts at 0, ends
   * at 1, and lies on the diagonal when exposure is equal; {@link #exposureGini} is twice the area
   * between them. Between whole items the curve is interpolated linearly, the usual convention for
   * a discrete population (Lorenz, 1905; Gastwirth, 1972).
   *
   * <p>Cost: one shuffle to count impressions per item, one join with the catalog, one more to
   * group items by their count; only the distinct counts with their multiplicities (at most the
   * largest count, small) reach the driver. Returns all zeros when nothing was shown.
   *
   * @param points the number of equal steps along the catalog, at least 1 (100 for percentiles)
   */
  public static double[] lorenzCurve(
      Dataset<Row> events, Dataset<Row> items, LocalDate day, int points) {
    if (points < 1) {
      throw new IllegalArgumentException("a Lorenz curve needs at least 1 step, got " + points);
    }
    MetricInputs.requireColumns(
        events, "exposure Lorenz curve", EventsSchema.DT, EventsSchema.ITEM_ID);
    MetricInputs.requireColumns(
        items, "exposure Lorenz curve", ItemsSchema.ITEM_ID, ItemsSchema.PUBLISH_TS);
    java.util.List<Row> groups =
        catalogExposure(events, items, day)
            .groupBy(col(IMPRESSIONS).as(VALUE))
            .agg(count(lit(1)).as(MULTIPLICITY))
            .orderBy(col(VALUE))
            .collectAsList();
    long n = 0;
    double total = 0;
    for (Row group : groups) {
      n += group.getLong(1);
      total += (double) group.getLong(0) * group.getLong(1);
    }
    double[] curve = new double[points + 1];
    if (n == 0 || total == 0) {
      return curve;
    }
    // Walk the items in ascending order of impressions, group by group; cumulative(k) is the
    // impressions of the k least-shown items, read at k = p * n / points.
    int group = 0;
    long itemsBefore = 0;
    double sharesBefore = 0;
    for (int p = 0; p <= points; p++) {
      double k = (double) p * n / points;
      while (group < groups.size() && itemsBefore + groups.get(group).getLong(1) < k) {
        itemsBefore += groups.get(group).getLong(1);
        sharesBefore += (double) groups.get(group).getLong(0) * groups.get(group).getLong(1);
        group++;
      }
      double perItem = group < groups.size() ? groups.get(group).getLong(0) : 0.0;
      curve[p] = Math.min(1.0, (sharesBefore + (k - itemsBefore) * perItem) / total);
    }
    curve[points] = 1.0;
    return curve;
  }

  /**
   * Share of D's impressions held by the most-exposed {@code ceil(fraction * n)} items (at least
   * one) of the {@code n}-item catalog, e.g. the top 1%: {@code sum_{i in top} P(i) / sum_i P(i)}.
   * Ties at the cut are broken by item id.
   *
   * <p>Cost: one job to count the catalog, one shuffle to count impressions per item, a top-k sort
   * (k items reach the driver's plan, not its memory) and one aggregate. Needs {@code events.dt,
   * item_id} and {@code items.publish_ts}. Returns null when D has no impressions.
   */
  public static Double topExposureShare(
      Dataset<Row> events, Dataset<Row> items, LocalDate day, double fraction) {
    MetricInputs.requireColumns(
        events, "top exposure share", EventsSchema.DT, EventsSchema.ITEM_ID);
    MetricInputs.requireColumns(items, "top exposure share", ItemsSchema.PUBLISH_TS);
    long catalogSize = MetricInputs.catalog(items, day).count();
    int top =
        (int) Math.min(Integer.MAX_VALUE, Math.max(1L, (long) Math.ceil(fraction * catalogSize)));
    Dataset<Row> shown = shownCounts(events, day);
    Row total = shown.agg(sum(col(IMPRESSIONS))).first();
    if (total.isNullAt(0)) {
      return null;
    }
    Row topSum =
        shown
            .orderBy(col(IMPRESSIONS).desc(), col(SHOWN_ITEM).asc())
            .limit(top)
            .agg(sum(col(IMPRESSIONS)))
            .first();
    return MetricInputs.ratio(topSum.getLong(0), total.getLong(0));
  }

  /**
   * Catalog coverage on D, RecBole's {@code ItemCoverage}: {@code |items shown on D| / |catalog|},
   * the catalog being the items published before the end of D. Source: RecBole {@code
   * recbole.evaluator.metrics.ItemCoverage} (Ge et al., "Beyond accuracy", RecSys 2010).
   *
   * <p>Cost: one shuffle for the distinct shown items, one join with the catalog, one aggregate.
   * Needs {@code events.dt, item_id} and {@code items.item_id, publish_ts}. Returns null when the
   * catalog is empty.
   */
  public static Double catalogCoverage(Dataset<Row> events, Dataset<Row> items, LocalDate day) {
    MetricInputs.requireColumns(events, "catalog coverage", EventsSchema.DT, EventsSchema.ITEM_ID);
    MetricInputs.requireColumns(
        items, "catalog coverage", ItemsSchema.ITEM_ID, ItemsSchema.PUBLISH_TS);
    Row r =
        catalogExposure(events, items, day)
            .agg(count(lit(1)), sum(MetricInputs.indicator(col(IMPRESSIONS).gt(0))))
            .first();
    long catalogSize = r.getLong(0);
    return catalogSize == 0 ? null : MetricInputs.ratio(r.getLong(1), catalogSize);
  }

  /**
   * Average popularity of what D showed, RecBole's {@code AveragePopularity}: {@code 1/|U| * sum_u
   * (sum_{i in R(u)} phi(i)) / |R(u)|} over the users U active on D, with {@code R(u)} the user's
   * impressions on D and {@code phi(i)} the item's impressions in the reference days D −
   * popularityWindowDays .. D − 1 (0 for items the reference never showed). Source: RecBole {@code
   * recbole.evaluator.metrics.AveragePopularity} (Abdollahpouri et al., 2019); RecBole's "training
   * data" popularity is here the reference window.
   *
   * <p>Cost: two shuffles (per-item reference counts, per-user means), one join, one aggregate.
   * Needs {@code events.dt, user_id, item_id} over D and the reference days. Returns null when D or
   * the reference has no impressions.
   */
  public static Double averagePopularity(
      Dataset<Row> events, LocalDate day, int popularityWindowDays) {
    MetricInputs.requireColumns(
        events, "average popularity", EventsSchema.DT, EventsSchema.USER_ID, EventsSchema.ITEM_ID);
    Dataset<Row> reference = referenceCounts(events, day, popularityWindowDays);
    if (reference.isEmpty()) {
      return null;
    }
    return perUserMean(
        MetricInputs.day(events, day),
        reference,
        coalesce(col(IMPRESSIONS), lit(0L)).cast("double"));
  }

  /**
   * Long-tail share of what D showed, RecBole's {@code TailPercentage}: {@code 1/|U| * sum_u
   * (sum_{i in R(u)} [i in T]) / |R(u)|} over the users active on D. The head is the smallest set
   * of the most-exposed items of the reference days D − popularityWindowDays .. D − 1 that together
   * hold at least {@code headExposureShare} of the reference impressions (ties broken by item id);
   * the tail T is every other item, new items and items the reference never showed included.
   * Source: RecBole {@code recbole.evaluator.metrics.TailPercentage} with the tail chosen by
   * exposure mass (the Pareto 80/20 head) instead of RecBole's {@code tail_ratio} item count.
   *
   * <p>Cost: one shuffle for the reference counts, a window over them in a single partition (one
   * row per item the reference showed: bounded by the catalog), one join, one shuffle for the
   * per-user means. Needs {@code events.dt, user_id, item_id}. Returns null when D or the reference
   * has no impressions.
   */
  public static Double longTailShare(
      Dataset<Row> events, LocalDate day, int popularityWindowDays, double headExposureShare) {
    MetricInputs.requireColumns(
        events, "long-tail share", EventsSchema.DT, EventsSchema.USER_ID, EventsSchema.ITEM_ID);
    Dataset<Row> reference = referenceCounts(events, day, popularityWindowDays);
    if (reference.isEmpty()) {
      return null;
    }
    // One partition on purpose (see Cost), keyed by a constant as in gini.
    WindowSpec all = Window.partitionBy(lit(0));
    WindowSpec byExposure =
        all.orderBy(col(IMPRESSIONS).desc(), col(SHOWN_ITEM).asc())
            .rowsBetween(Window.unboundedPreceding(), -1 /* strictly before */);
    Dataset<Row> head =
        reference
            .withColumn(
                CUMULATIVE_BEFORE, coalesce(sum(col(IMPRESSIONS)).over(byExposure), lit(0L)))
            .withColumn(TOTAL, sum(col(IMPRESSIONS)).over(all))
            .where(col(CUMULATIVE_BEFORE).lt(col(TOTAL).multiply(headExposureShare)))
            .select(col(SHOWN_ITEM), lit(true).as(IN_HEAD));
    return perUserMean(
        MetricInputs.day(events, day),
        head,
        MetricInputs.indicator(col(IN_HEAD).isNull()).cast("double"));
  }

  /**
   * Novelty of what D showed: the mean self-information of the shown items, {@code 1/|U| * sum_u
   * (sum_{i in R(u)} log2((|V| + 1) / (k_i + 1))) / |R(u)|}, with {@code V} the users of the
   * reference days D − popularityWindowDays .. D − 1 and {@code k_i} those among them who were
   * shown item i. An item the whole reference saw scores 0, an item it never showed {@code log2(|V|
   * + 1)}. Source: Zhou et al., "Solving the apparent diversity-accuracy dilemma of recommender
   * systems", PNAS 2010 (novelty as self-information {@code log2(|V| / k_i)}), with add-one
   * smoothing so unseen items stay finite.
   *
   * <p>Cost: two shuffles for the reference (distinct users overall and per item), one join, one
   * shuffle for the per-user means. Needs {@code events.dt, user_id, item_id}. Returns null when D
   * or the reference has no impressions.
   */
  public static Double novelty(Dataset<Row> events, LocalDate day, int popularityWindowDays) {
    MetricInputs.requireColumns(
        events, "novelty", EventsSchema.DT, EventsSchema.USER_ID, EventsSchema.ITEM_ID);
    Dataset<Row> referenceEvents = referenceDays(events, day, popularityWindowDays);
    long referenceUsers =
        referenceEvents.agg(countDistinct(col(EventsSchema.USER_ID))).first().getLong(0);
    if (referenceUsers == 0) {
      return null;
    }
    Dataset<Row> reference = referenceCounts(events, day, popularityWindowDays);
    Column selfInformation =
        log(lit(referenceUsers + 1.0).divide(coalesce(col(USERS), lit(0L)).plus(1.0))).divide(LN_2);
    return perUserMean(MetricInputs.day(events, day), reference, selfInformation);
  }

  /** Catalog items of D with their impressions on D, 0 when not shown; column IMPRESSIONS. */
  private static Dataset<Row> catalogExposure(
      Dataset<Row> events, Dataset<Row> items, LocalDate day) {
    Dataset<Row> shown = shownCounts(events, day);
    Dataset<Row> catalog = MetricInputs.catalog(items, day);
    return catalog
        .join(shown, catalog.col(ItemsSchema.ITEM_ID).equalTo(shown.col(SHOWN_ITEM)), "left")
        .select(coalesce(col(IMPRESSIONS), lit(0L)).as(IMPRESSIONS));
  }

  /** Impressions per item shown on D: columns SHOWN_ITEM, IMPRESSIONS. */
  private static Dataset<Row> shownCounts(Dataset<Row> events, LocalDate day) {
    return MetricInputs.day(events, day)
        .groupBy(col(EventsSchema.ITEM_ID).as(SHOWN_ITEM))
        .agg(count(lit(1)).as(IMPRESSIONS));
  }

  private static Dataset<Row> referenceDays(Dataset<Row> events, LocalDate day, int windowDays) {
    return MetricInputs.days(events, day.minusDays(windowDays), day.minusDays(1));
  }

  /** Per item of the reference days: SHOWN_ITEM, IMPRESSIONS, USERS (distinct users shown it). */
  private static Dataset<Row> referenceCounts(Dataset<Row> events, LocalDate day, int windowDays) {
    return referenceDays(events, day, windowDays)
        .groupBy(col(EventsSchema.ITEM_ID).as(SHOWN_ITEM))
        .agg(count(lit(1)).as(IMPRESSIONS), countDistinct(col(EventsSchema.USER_ID)).as(USERS));
  }

  /**
   * The mean over users of the per-user mean of {@code value} over their impressions on D, {@code
   * value} reading the columns of {@code perItem} (null when the item is absent from it); null when
   * D has no impressions.
   */
  private static Double perUserMean(Dataset<Row> dayEvents, Dataset<Row> perItem, Column value) {
    Row r =
        dayEvents
            .join(
                perItem,
                dayEvents.col(EventsSchema.ITEM_ID).equalTo(perItem.col(SHOWN_ITEM)),
                "left")
            .groupBy(col(EventsSchema.USER_ID))
            .agg(avg(value).as(PER_USER))
            .agg(avg(col(PER_USER)))
            .first();
    return r.isNullAt(0) ? null : r.getDouble(0);
  }

  private static Column coalesceZero(Column column) {
    return coalesce(column, lit(0.0));
  }
}
