package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code cold_start_scores} Delta table, written by the score-cold-start stage (the content
 * agent): one row per item with {@code content_state.is_cold} on the run date D, its heating bid
 * and the parts the bid is made of. Partitioned by {@code dt}; a re-run replaces the partition.
 * Every cold item of D has a row, zero-bid ones included, so the table explains every item the
 * allocator skipped.
 */
public final class ColdStartScoresSchema {

  /** Partition: the run date D whose content state was scored. */
  public static final String DT = "dt";

  public static final String ITEM_ID = "item_id";
  public static final String CREATOR_ID = "creator_id";
  public static final String CATEGORY = "category";

  /** Days from publication to the end of D, from {@code content_state}. */
  public static final String AGE_DAYS = "age_days";

  /**
   * The content agent's predicted value of heating the item on D + 1: expected true engagement
   * (completions, shares, purchases, weighted) minus the heating cost, per heated impression.
   */
  public static final String PREDICTED_VALUE = "predicted_value";

  /** The spread of the prediction (≥ 0); the bid adds an exploration bonus in proportion to it. */
  public static final String UNCERTAINTY = "uncertainty";

  /** The fraud penalty in [0, 1] that scales the bid down: 0 for an ordinary item. */
  public static final String FRAUD_PENALTY = "fraud_penalty";

  /** The bid for heating (≥ 0, finite): what the allocator ranks by. 0 when fraud-zeroed. */
  public static final String SCORE = "score";

  /** The item is over the fraud threshold: its score is 0 and it gets no heating quota. */
  public static final String FRAUD_ZEROED = "fraud_zeroed";

  /**
   * Why the score is what it is, in words a reviewer can check (for example the fraud signal and
   * its threshold); null for an ordinary scored item.
   */
  public static final String REASON = "reason";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(ITEM_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(CREATOR_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(CATEGORY, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(AGE_DAYS, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                PREDICTED_VALUE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(UNCERTAINTY, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(FRAUD_PENALTY, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(SCORE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(FRAUD_ZEROED, DataTypes.BooleanType, false /* nullable */),
            DataTypes.createStructField(REASON, DataTypes.StringType, true /* nullable */)
          });

  private ColdStartScoresSchema() {}
}
