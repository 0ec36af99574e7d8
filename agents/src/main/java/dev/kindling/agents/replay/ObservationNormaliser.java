package dev.kindling.agents.replay;

import dev.kindling.agents.serving.FeatureNormalisation;
import dev.kindling.features.schema.FeatureSpecSchema;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * The per-feature normalisation of an observation, {@code (x - mean) / std}, or {@code x - mean}
 * where {@code std} is 0 (a constant feature: centred, not scaled), with the statistics of one
 * feature spec ({@link FeatureSpecSchema}). Immutable; cost per observation: one pass over its
 * features.
 */
public final class ObservationNormaliser implements Serializable {

  private static final long serialVersionUID = 1L;

  private final FeatureNormalisation normalisation;

  private ObservationNormaliser(FeatureNormalisation normalisation) {
    this.normalisation = normalisation;
  }

  /**
   * The normaliser of the feature-spec rows {@code specRows}, checked against the observation
   * layout {@code featureNames} that the replay rows carry.
   *
   * <p>Preconditions: one row per feature in {@link FeatureSpecSchema#SCHEMA} (rows with a schema
   * are read by column name, rows without one, such as {@code RowFactory} rows, by the position of
   * the column in that schema); every position in {@code [0, featureNames.size())} exactly once,
   * with the name {@code featureNames} has there, a finite mean and a finite, non-negative std.
   *
   * @throws IllegalArgumentException naming the bad row and value otherwise
   */
  public static ObservationNormaliser fromFeatureSpec(
      List<Row> specRows, List<String> featureNames) {
    int size = featureNames.size();
    if (specRows.size() != size) {
      throw new IllegalArgumentException(
          "the feature spec has "
              + specRows.size()
              + " rows but the observation has "
              + size
              + " features "
              + featureNames
              + "; use the replay_feature_spec partition of the replay's run date");
    }
    double[] means = new double[size];
    double[] stds = new double[size];
    boolean[] seen = new boolean[size];
    for (Row row : specRows) {
      String name = row.getString(index(row, FeatureSpecSchema.NAME));
      int position = row.getInt(index(row, FeatureSpecSchema.POSITION));
      double mean = row.getDouble(index(row, FeatureSpecSchema.MEAN));
      double std = row.getDouble(index(row, FeatureSpecSchema.STD));
      if (position < 0 || position >= size || seen[position]) {
        throw new IllegalArgumentException(
            "feature spec row "
                + row
                + " has position "
                + position
                + ", outside [0, "
                + size
                + ") or repeated; every position must appear once");
      }
      if (!featureNames.get(position).equals(name)) {
        throw new IllegalArgumentException(
            "feature spec names position "
                + position
                + " '"
                + name
                + "' but the observation has '"
                + featureNames.get(position)
                + "' there; the spec and the replay rows come from different layouts (scenarios)");
      }
      if (!Double.isFinite(mean) || !Double.isFinite(std) || std < 0.0) {
        throw new IllegalArgumentException(
            "feature spec of '"
                + name
                + "' has mean "
                + mean
                + " and std "
                + std
                + "; both must be finite and std non-negative");
      }
      seen[position] = true;
      means[position] = mean;
      stds[position] = std;
    }
    return new ObservationNormaliser(new FeatureNormalisation(featureNames, means, stds));
  }

  /** The Spark-free normalisation these rows describe (names, order, means, stds). */
  public FeatureNormalisation normalisation() {
    return normalisation;
  }

  /** The number of observation features. */
  public int size() {
    return normalisation.size();
  }

  /** The normalised value of feature {@code position} holding {@code value}. */
  public float normalise(int position, double value) {
    return normalisation.normalise(position, value);
  }

  /** Column {@code column}'s index in {@code row}: by name with a schema, else by the spec's. */
  private static int index(Row row, String column) {
    return row.schema() == null
        ? FeatureSpecSchema.SCHEMA.fieldIndex(column)
        : row.fieldIndex(column);
  }
}
