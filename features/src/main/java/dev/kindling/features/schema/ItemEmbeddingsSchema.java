package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code item_embeddings} Delta table: one row per catalog item published before the end of the
 * run date D, with its vector learned from the validated events of the trailing window, or, for an
 * item with too few clicks to learn from, its category's vector (flagged). Partitioned by {@code
 * dt}. Every vector has the same length; a learned or category vector has unit L2 norm.
 */
public final class ItemEmbeddingsSchema {

  public static final String ITEM_ID = "item_id";

  /** The item's catalog category. */
  public static final String CATEGORY = "category";

  /** Partition: the run date D. */
  public static final String DT = "dt";

  /** The item's vector, {@code dimension} floats. */
  public static final String EMBEDDING = "embedding";

  /** Where the vector comes from: one of the {@code SOURCE_*} values. */
  public static final String SOURCE = "source";

  /** True when the item has no vector of its own ({@link #SOURCE} is not {@code learned}). */
  public static final String FALLBACK = "fallback";

  /** The item's clicks in the window the model learned from. */
  public static final String CLICKS = "clicks";

  /** The model's name, as {@code embeddings.model} spells it. */
  public static final String MODEL = "model";

  /** The parameters the model was fitted with, by name. */
  public static final String MODEL_PARAMS = "model_params";

  /** The model learned the item's vector from its clicks. */
  public static final String SOURCE_LEARNED = "learned";

  /** Too few clicks: the click-weighted mean of its category's learned vectors, normalised. */
  public static final String SOURCE_CATEGORY = "category";

  /** Too few clicks, and no learned item in its category: the mean of every learned vector. */
  public static final String SOURCE_CATALOG = "catalog";

  /** Nothing learned at all in the window (too few clicks anywhere): the zero vector. */
  public static final String SOURCE_NONE = "none";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(ITEM_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(CATEGORY, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(
                EMBEDDING,
                DataTypes.createArrayType(DataTypes.FloatType, false /* containsNull */),
                false /* nullable */),
            DataTypes.createStructField(SOURCE, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(FALLBACK, DataTypes.BooleanType, false /* nullable */),
            DataTypes.createStructField(CLICKS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(MODEL, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(
                MODEL_PARAMS,
                DataTypes.createMapType(
                    DataTypes.StringType, DataTypes.StringType, false /* valueContainsNull */),
                false /* nullable */)
          });

  private ItemEmbeddingsSchema() {}
}
