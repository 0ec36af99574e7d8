package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code category_embeddings} Delta table: one row per catalog category on the run date D, the
 * vector an item of that category gets before it has clicks of its own (today's cold items, and
 * items published after D at serving time). Partitioned by {@code dt}.
 */
public final class CategoryEmbeddingsSchema {

  public static final String CATEGORY = "category";

  /** Partition: the run date D. */
  public static final String DT = "dt";

  /**
   * The click-weighted mean of the category's learned item vectors, normalised to unit length; the
   * mean of every learned vector when the category has none; the zero vector when nothing was
   * learned.
   */
  public static final String EMBEDDING = "embedding";

  /** {@code category}, {@code catalog} or {@code none}: as {@link ItemEmbeddingsSchema#SOURCE}. */
  public static final String SOURCE = "source";

  /** Items of the category with a learned vector. */
  public static final String LEARNED_ITEMS = "learned_items";

  /** Clicks of those items in the window: the weight of the mean. */
  public static final String CLICKS = "clicks";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(CATEGORY, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(
                EMBEDDING,
                DataTypes.createArrayType(DataTypes.FloatType, false /* containsNull */),
                false /* nullable */),
            DataTypes.createStructField(SOURCE, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(LEARNED_ITEMS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(CLICKS, DataTypes.LongType, false /* nullable */)
          });

  private CategoryEmbeddingsSchema() {}
}
