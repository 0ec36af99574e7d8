package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code heating_allocations} Delta table, written by the allocate stage: one row per run date
 * D with the allocation-level figures behind that day's {@code heating_quotas}: the budget pool,
 * the heating cap, the traffic forecast, what was granted, the business weights, where they came
 * from and why an outside answer was not used. Partitioned by {@code dt}; a re-run replaces the
 * partition. The KPI-gap controller reads the weights of D − 1 from here.
 */
public final class HeatingAllocationsSchema {

  /** Partition: the run date D. */
  public static final String DT = "dt";

  /** Heated impressions the budget pays for. */
  public static final String BUDGET_POOL = "budget_pool";

  /**
   * The largest share of forecast traffic that may be heated on D + 1: {@code
   * allocate.heating-cap}, or lower where the heating's CTR cost budget ({@code
   * allocate.max-ctr-cost}) binds.
   */
  public static final String HEATING_CAP = "heating_cap";

  /** All impressions expected on D + 1 (the allocate stage's forecast). */
  public static final String FORECAST_TRAFFIC = "forecast_traffic";

  /** min(budget pool, floor(heating cap × forecast traffic)): the most that may be granted. */
  public static final String POOL = "pool";

  /** The floor quota per eligible item. */
  public static final String FLOOR_QUOTA = "floor_quota";

  /** The per-creator cap in impressions. */
  public static final String CREATOR_CAP = "creator_cap";

  /** Heated impressions granted in total ({@code sum(heating_quotas.quota)} of D). */
  public static final String TOTAL_GRANTED = "total_granted";

  /** Heated impressions granted by floors. */
  public static final String FLOOR_GRANTED = "floor_granted";

  /** Scored items of D. */
  public static final String ITEMS = "items";

  /** Items that were eligible (not fraud-zeroed). */
  public static final String ITEMS_ELIGIBLE = "items_eligible";

  /** Eligible items that got the floor. */
  public static final String ITEMS_FLOORED = "items_floored";

  public static final String WEIGHT_SATISFACTION = "weight_satisfaction";
  public static final String WEIGHT_REVENUE = "weight_revenue";
  public static final String WEIGHT_RETENTION = "weight_retention";

  /** Where the weights came from: {@code config}, {@code controller} or {@code outside}. */
  public static final String WEIGHT_SOURCE = "weight_source";

  /** Why the outside weight source's answer was not used; null when it was or was not asked. */
  public static final String FALLBACK_REASON = "fallback_reason";

  /** Impressions of D the KPIs were measured on. */
  public static final String IMPRESSIONS = "impressions";

  /** Share of D's impressions whose item was new when shown; null without impressions. */
  public static final String NEW_CONTENT_SHARE = "new_content_share";

  /** Clicks per impression on D; null without impressions. */
  public static final String CTR = "ctr";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(BUDGET_POOL, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(HEATING_CAP, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(FORECAST_TRAFFIC, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(POOL, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(FLOOR_QUOTA, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(CREATOR_CAP, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(TOTAL_GRANTED, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(FLOOR_GRANTED, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(ITEMS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(ITEMS_ELIGIBLE, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(ITEMS_FLOORED, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(
                WEIGHT_SATISFACTION, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(WEIGHT_REVENUE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                WEIGHT_RETENTION, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(WEIGHT_SOURCE, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(FALLBACK_REASON, DataTypes.StringType, true /* nullable */),
            DataTypes.createStructField(IMPRESSIONS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(
                NEW_CONTENT_SHARE, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(CTR, DataTypes.DoubleType, true /* nullable */)
          });

  private HeatingAllocationsSchema() {}
}
