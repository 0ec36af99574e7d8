package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code content_state} Delta table: one row per item published before the end of the run date
 * D that is younger than {@code contentHorizonDays} or was ever exposed, its state after D.
 * Partitioned by {@code dt}. Lifetime totals are the previous content state's (the latest earlier
 * partition) plus D's events; an item's category peers are the rows of the same category in this
 * partition. Thresholds and prior strengths are the fields of {@code FeatureParams}.
 */
public final class ContentStateSchema {

  public static final String ITEM_ID = "item_id";
  public static final String CREATOR_ID = "creator_id";

  /** The item's catalog category; the unit of the CTR and completion priors. */
  public static final String CATEGORY = "category";

  /** Partition: the run date D. */
  public static final String DT = "dt";

  /** Publication time, UTC, from the catalog. */
  public static final String PUBLISH_TS = "publish_ts";

  /** The platform's own quality estimate in [0, 1], from the catalog; null if none. */
  public static final String QUALITY_SCORE = "quality_score";

  /** Days from {@code publish_ts} to the end of D (D + 1 at 00:00 UTC), fractional. */
  public static final String AGE_DAYS = "age_days";

  /** Lifetime impressions of the item. */
  public static final String EXPOSURE = "exposure";

  /** Lifetime clicked impressions. */
  public static final String CLICKS = "clicks";

  /** Lifetime impressions with {@code completed} true. */
  public static final String COMPLETIONS = "completions";

  /** Lifetime impressions with {@code shared} true. */
  public static final String SHARES = "shares";

  /** Lifetime impressions served from a heating quota ({@code heated} true). */
  public static final String HEATED_EXPOSURE = "heated_exposure";

  /** Lifetime GMV: the sum of {@code purchase_amount}, nulls as 0. */
  public static final String PURCHASE_AMOUNT = "purchase_amount";

  /** Impressions of the item on D. */
  public static final String EXPOSURE_TODAY = "exposure_today";

  /** Clicked impressions of the item on D. */
  public static final String CLICKS_TODAY = "clicks_today";

  /**
   * The category's lifetime CTR: the sum of {@link #CLICKS} over the category's rows divided by the
   * sum of their {@link #EXPOSURE}; 0 when the category has no exposure.
   */
  public static final String CTR_CATEGORY = "ctr_category";

  /**
   * The category's completions per click: the sum of {@link #COMPLETIONS} over the category's rows
   * divided by the sum of their {@link #CLICKS}; 0 when the category has no clicks.
   */
  public static final String COMPLETION_RATE_CATEGORY = "completion_rate_category";

  /**
   * {@code (clicks + m * ctr_category) / (exposure + m)} with {@code m = ctrPriorStrength}: the
   * item's CTR shrunk toward its category's.
   */
  public static final String CTR_SMOOTHED = "ctr_smoothed";

  /** {@code completions / clicks}; null when the item has no clicks. */
  public static final String COMPLETION_RATE = "completion_rate";

  /** {@code shares / clicks}; null when the item has no clicks. */
  public static final String SHARE_RATE = "share_rate";

  /**
   * How much more the item attracts clicks than it keeps them, relative to its category: {@code
   * (ctr_smoothed / ctr_category) / (completion_smoothed / completion_rate_category)} with {@code
   * completion_smoothed = (completions + k * completion_rate_category) / (clicks + k)} and {@code k
   * = completionPriorStrength}; null when {@code ctr_category} or {@code completion_rate_category}
   * is 0. About 1 for an ordinary item, large for clickbait.
   */
  public static final String CLICK_INFLATION = "click_inflation";

  /**
   * {@code click_inflation >= clickInflationThreshold} and {@code clicks >= fraudMinClicks}; false
   * when {@link #CLICK_INFLATION} is null.
   */
  public static final String IS_FRAUD_SUSPECT = "is_fraud_suspect";

  /** {@code age_days < coldMaxAgeDays} or {@code exposure < coldMinExposure}. */
  public static final String IS_COLD = "is_cold";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(ITEM_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(CREATOR_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(CATEGORY, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(PUBLISH_TS, DataTypes.TimestampType, false /* nullable */),
            DataTypes.createStructField(QUALITY_SCORE, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(AGE_DAYS, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(EXPOSURE, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(CLICKS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(COMPLETIONS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(SHARES, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(HEATED_EXPOSURE, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(
                PURCHASE_AMOUNT, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(EXPOSURE_TODAY, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(CLICKS_TODAY, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(CTR_CATEGORY, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                COMPLETION_RATE_CATEGORY, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(CTR_SMOOTHED, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(COMPLETION_RATE, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(SHARE_RATE, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(CLICK_INFLATION, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(
                IS_FRAUD_SUSPECT, DataTypes.BooleanType, false /* nullable */),
            DataTypes.createStructField(IS_COLD, DataTypes.BooleanType, false /* nullable */)
          });

  private ContentStateSchema() {}
}
