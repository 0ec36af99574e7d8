package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The evaluation metrics of one day D under one policy: one row per {@code dt} and {@code policy},
 * computed from {@code validated_events} and {@code raw/items} by {@code
 * dev.kindling.features.metrics.DailyMetrics}. The formulas, their sources and parameters are in
 * the Javadoc of {@code ExposureMetrics}, {@code EngagementMetrics} and {@code UserMetrics}. A
 * ratio whose population is empty is null, not 0.
 */
public final class DailyMetricsSchema {

  /** The day D the metrics describe. */
  public static final String DT = "dt";

  /** The policy that produced the impressions, e.g. {@code logging} or a policy version. */
  public static final String POLICY = "policy";

  /** Impressions of D. */
  public static final String IMPRESSIONS = "impressions";

  /** Users with at least one impression on D. */
  public static final String ACTIVE_USERS = "active_users";

  /** Catalog items published before the end of D. */
  public static final String CATALOG_ITEMS = "catalog_items";

  /** RecBole GiniIndex of D's impressions over the catalog. */
  public static final String EXPOSURE_GINI = "exposure_gini";

  /** Share of D's impressions held by the top {@code topExposureFraction} of the catalog. */
  public static final String TOP_EXPOSURE_SHARE = "top_exposure_share";

  /** RecBole ItemCoverage: share of the catalog shown on D. */
  public static final String CATALOG_COVERAGE = "catalog_coverage";

  /** RecBole AveragePopularity against the reference window; null without reference. */
  public static final String AVERAGE_POPULARITY = "average_popularity";

  /**
   * RecBole TailPercentage, tail outside the head holding the head share; null without reference.
   */
  public static final String LONG_TAIL_SHARE = "long_tail_share";

  /** Mean self-information (bits) of shown items against the reference; null without reference. */
  public static final String NOVELTY = "novelty";

  /** Ziegler ILD by category over D's slates; null without a slate of two. */
  public static final String INTRA_LIST_DIVERSITY = "intra_list_diversity";

  /** Clicks per impression on D. */
  public static final String CTR = "ctr";

  /** Clicks per impression of items younger than {@code newContentHours}; null without any. */
  public static final String NEW_CONTENT_CTR = "new_content_ctr";

  /** Share of the cold-start cohort reaching k true engagements; null without a cohort. */
  public static final String COLD_START_SUCCESS_RATE = "cold_start_success_rate";

  /** Mean distinct clicked categories per active user over the interest window. */
  public static final String INTEREST_CATEGORIES = "interest_categories";

  /** Mean Shannon entropy (bits) of clicked categories per active user over the window. */
  public static final String INTEREST_ENTROPY = "interest_entropy";

  /** Share of D's active users active on D + 1; null when D + 1 is not in the input. */
  public static final String NEXT_DAY_RETENTION = "next_day_retention";

  /** Sum of purchase amounts on D. */
  public static final String GMV = "gmv";

  /** Mean dwell time per click on D, ms; null without a click with known dwell. */
  public static final String MEAN_DWELL_MS = "mean_dwell_ms";

  /** Heated impressions / impressions on D. */
  public static final String HEATED_SHARE = "heated_share";

  /** Heated impressions × heating cost per impression. */
  public static final String HEATING_COST = "heating_cost";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(POLICY, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(IMPRESSIONS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(ACTIVE_USERS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(CATALOG_ITEMS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(EXPOSURE_GINI, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                TOP_EXPOSURE_SHARE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                CATALOG_COVERAGE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                AVERAGE_POPULARITY, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(LONG_TAIL_SHARE, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(NOVELTY, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(
                INTRA_LIST_DIVERSITY, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(CTR, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(NEW_CONTENT_CTR, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(
                COLD_START_SUCCESS_RATE, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(
                INTEREST_CATEGORIES, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(
                INTEREST_ENTROPY, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(
                NEXT_DAY_RETENTION, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(GMV, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(MEAN_DWELL_MS, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(HEATED_SHARE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(HEATING_COST, DataTypes.DoubleType, false /* nullable */)
          });

  private DailyMetricsSchema() {}
}
