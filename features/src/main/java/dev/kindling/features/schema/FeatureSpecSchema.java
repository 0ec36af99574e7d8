package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The observation feature spec of one run date: one row per observation feature, its name, its
 * position in {@code replay.obs} and the statistics that normalise it, {@code (x - mean) / std}, so
 * that training and serving agree. Computed over the run date's replay rows.
 */
public final class FeatureSpecSchema {

  /** Partition of the {@code replay_feature_spec} table: the run date the statistics describe. */
  public static final String DT = "dt";

  /** The feature's name, as {@code ObservationSpec.featureNames} lists it. */
  public static final String NAME = "name";

  /** 0-based index of the feature in {@code obs}. */
  public static final String POSITION = "position";

  /** Mean of the feature over the replay rows. */
  public static final String MEAN = "mean";

  /**
   * Population standard deviation of the feature over the replay rows; 0 for a constant feature,
   * which a normaliser treats as "leave centred, do not scale".
   */
  public static final String STD = "std";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(NAME, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(POSITION, DataTypes.IntegerType, false /* nullable */),
            DataTypes.createStructField(MEAN, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(STD, DataTypes.DoubleType, false /* nullable */)
          });

  /**
   * The {@code dt} of the {@code item_embeddings} partition whose vectors the replay's encoder
   * columns hold (the same on every row of a run date); null when the replay was built without the
   * encoder or no table was there (every vector then reads as zeros).
   */
  public static final String EMBEDDINGS_DT = "embeddings_dt";

  /**
   * The Delta version of {@code item_embeddings} read for {@link #EMBEDDINGS_DT}; null likewise.
   */
  public static final String EMBEDDINGS_VERSION = "embeddings_version";

  /**
   * The {@code replay_feature_spec} Delta table: {@link #DT}, {@link #SCHEMA}, then the embedding
   * table the replay's encoder inputs were built from.
   */
  public static final StructType TABLE_SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            SCHEMA.apply(NAME),
            SCHEMA.apply(POSITION),
            SCHEMA.apply(MEAN),
            SCHEMA.apply(STD),
            DataTypes.createStructField(EMBEDDINGS_DT, DataTypes.DateType, true /* nullable */),
            DataTypes.createStructField(EMBEDDINGS_VERSION, DataTypes.LongType, true /* nullable */)
          });

  private FeatureSpecSchema() {}
}
