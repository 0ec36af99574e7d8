package dev.kindling.features.schema;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The item catalog, {@code raw/items}: one row per item ever published. Parquet. */
public final class ItemsSchema {

  public static final String ITEM_ID = "item_id";
  public static final String CREATOR_ID = "creator_id";

  /** Content category; the unit of interest breadth and of the CTR prior. */
  public static final String CATEGORY = "category";

  /** Publication time, UTC. */
  public static final String PUBLISH_TS = "publish_ts";

  /** The platform's own quality estimate in [0, 1], if it has one. */
  public static final String QUALITY_SCORE = "quality_score";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(ITEM_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(CREATOR_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(CATEGORY, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(PUBLISH_TS, DataTypes.TimestampType, false /* nullable */),
            DataTypes.createStructField(QUALITY_SCORE, DataTypes.DoubleType, true /* nullable */)
          });

  public static final List<String> REQUIRED = List.of(ITEM_ID, CREATOR_ID, CATEGORY, PUBLISH_TS);

  private ItemsSchema() {}
}
