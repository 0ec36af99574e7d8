package dev.kindling.features.metrics;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;

import dev.kindling.features.schema.DailyMetricsSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Every evaluation metric of one day D under one policy, the fields of a {@link DailyMetricsSchema}
 * row; see that schema for the meaning of each field and the metric functions for their formulas.
 * Boxed fields are null when their population is empty.
 */
public record DailyMetrics(
    LocalDate dt,
    String policy,
    long impressions,
    long activeUsers,
    long catalogItems,
    double exposureGini,
    double topExposureShare,
    double catalogCoverage,
    Double averagePopularity,
    Double longTailShare,
    Double novelty,
    Double intraListDiversity,
    double ctr,
    Double newContentCtr,
    Double coldStartSuccessRate,
    Double interestCategories,
    Double interestEntropy,
    Double nextDayRetention,
    double gmv,
    Double meanDwellMs,
    double heatedShare,
    double heatingCost) {

  /**
   * The event columns the metrics read; {@code action}, {@code propensity}, {@code explore} and
   * {@code explore_prob} are not among them, so logs without them are measured too.
   */
  private static final String[] NEEDED_EVENT_COLUMNS = {
    EventsSchema.DT,
    EventsSchema.TS,
    EventsSchema.USER_ID,
    EventsSchema.ITEM_ID,
    EventsSchema.REQUEST_ID,
    EventsSchema.CLICKED,
    EventsSchema.DWELL_MS,
    EventsSchema.COMPLETED,
    EventsSchema.SHARED,
    EventsSchema.PURCHASE_AMOUNT,
    EventsSchema.HEATED
  };

  /**
   * The metrics of day {@code day} from {@code validated_events} and {@code raw/items}.
   *
   * <p>Cost: about twenty small Spark jobs, each one or two shuffles over the events of D (or of
   * the windows in {@code params}); cache {@code events} first when it is not already cheap to
   * read. Preconditions: {@code events} has the {@link EventsSchema} columns {@code dt, ts,
   * user_id, item_id, request_id, clicked, dwell_ms, completed, shared, purchase_amount, heated}
   * (the logging policy's {@code action}, {@code propensity} and {@code explore*} are not needed)
   * and holds the days D − {@link MetricParams#lookbackDays()} .. D, plus D + 1 for next-day
   * retention (null without it); {@code items} has the {@link ItemsSchema} columns {@code item_id,
   * category, publish_ts} and every shown item.
   *
   * @throws IllegalArgumentException when D has no impressions (no metric of an empty day is
   *     meaningful: the day is missing from the input or the log is broken), or when a needed
   *     column is missing
   */
  public static DailyMetrics compute(
      Dataset<Row> events, Dataset<Row> items, LocalDate day, String policy, MetricParams params) {
    MetricInputs.requireColumns(events, "daily metrics", NEEDED_EVENT_COLUMNS);
    MetricInputs.requireColumns(
        items, "daily metrics", ItemsSchema.ITEM_ID, ItemsSchema.CATEGORY, ItemsSchema.PUBLISH_TS);
    Row counts =
        MetricInputs.day(events, day)
            .agg(count(lit(1)), countDistinct(col(EventsSchema.USER_ID)))
            .first();
    long impressions = counts.getLong(0);
    if (impressions == 0) {
      throw new IllegalArgumentException(
          "Daily metrics of "
              + day
              + " for policy '"
              + policy
              + "' need impressions of that day, but the events hold none with dt = "
              + day
              + "; pass the validated_events of the window D - "
              + params.lookbackDays()
              + " .. D + 1 and check that the day was logged and validated");
    }
    long catalogItems = MetricInputs.catalog(items, day).count();
    if (catalogItems == 0) {
      throw new IllegalArgumentException(
          "Daily metrics of "
              + day
              + " need the items published by then, but the items hold none with publish_ts"
              + " before the end of "
              + day
              + "; pass raw/items (ItemsSchema), which lists every item the events show");
    }
    UserMetrics.InterestBreadth breadth =
        UserMetrics.interestBreadth(events, items, day, params.interestWindowDays());
    return new DailyMetrics(
        day,
        policy,
        impressions,
        counts.getLong(1),
        catalogItems,
        ExposureMetrics.exposureGini(events, items, day),
        ExposureMetrics.topExposureShare(events, items, day, params.topExposureFraction()),
        ExposureMetrics.catalogCoverage(events, items, day),
        ExposureMetrics.averagePopularity(events, day, params.popularityWindowDays()),
        ExposureMetrics.longTailShare(
            events, day, params.popularityWindowDays(), params.headExposureShare()),
        ExposureMetrics.novelty(events, day, params.popularityWindowDays()),
        UserMetrics.intraListDiversity(events, items, day),
        EngagementMetrics.ctr(events, day),
        EngagementMetrics.newContentCtr(events, items, day, params.newContentHours()),
        EngagementMetrics.coldStartSuccessRate(events, items, day, params),
        breadth.meanDistinctCategories(),
        breadth.meanEntropyBits(),
        UserMetrics.nextDayRetention(events, day),
        EngagementMetrics.gmv(events, day),
        EngagementMetrics.meanDwellMs(events, day),
        EngagementMetrics.heatedShare(events, day),
        EngagementMetrics.heatingCost(events, day, params.heatingCostPerImpression()));
  }

  /** This record as a row of {@link DailyMetricsSchema#SCHEMA}, fields in schema order. */
  public Row toRow() {
    return RowFactory.create(
        Date.valueOf(dt),
        policy,
        impressions,
        activeUsers,
        catalogItems,
        exposureGini,
        topExposureShare,
        catalogCoverage,
        averagePopularity,
        longTailShare,
        novelty,
        intraListDiversity,
        ctr,
        newContentCtr,
        coldStartSuccessRate,
        interestCategories,
        interestEntropy,
        nextDayRetention,
        gmv,
        meanDwellMs,
        heatedShare,
        heatingCost);
  }

  /** A one-row DataFrame of {@link DailyMetricsSchema#SCHEMA} holding this record. */
  public Dataset<Row> toDataFrame(SparkSession spark) {
    return spark.createDataFrame(List.of(toRow()), DailyMetricsSchema.SCHEMA);
  }
}
