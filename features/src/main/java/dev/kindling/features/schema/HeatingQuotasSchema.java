package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code heating_quotas} Delta table, written by the allocate stage (the system agent): one row
 * per item of {@code cold_start_scores} of the run date D, with the heated impressions it may
 * receive on D + 1. Partitioned by {@code dt}; a re-run replaces the partition. Items that get
 * nothing have a row with quota 0 and the reason, so every scored item is accounted for. The sum of
 * {@code quota} over a {@code dt} never exceeds min(budget pool, heating cap × forecast traffic).
 */
public final class HeatingQuotasSchema {

  /** Partition: the run date D whose scores were allocated; the quotas serve D + 1. */
  public static final String DT = "dt";

  public static final String ITEM_ID = "item_id";
  public static final String CREATOR_ID = "creator_id";

  /** The content agent's bid the allocation ranked by ({@code cold_start_scores.score}). */
  public static final String SCORE = "score";

  /** Heated impressions granted by the fairness floor. */
  public static final String FLOOR_QUOTA = "floor_quota";

  /** Heated impressions granted by score, on top of the floor. */
  public static final String SCORE_QUOTA = "score_quota";

  /** {@code floor_quota + score_quota}: the heated impressions the item may receive on D + 1. */
  public static final String QUOTA = "quota";

  /**
   * Why the quota is what it is: for example {@code fraud_zeroed}, {@code creator_cap}, {@code
   * budget_exhausted}, {@code floor}, {@code floor_and_score}.
   */
  public static final String REASON = "reason";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(ITEM_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(CREATOR_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(SCORE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(FLOOR_QUOTA, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(SCORE_QUOTA, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(QUOTA, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(REASON, DataTypes.StringType, false /* nullable */)
          });

  private HeatingQuotasSchema() {}
}
