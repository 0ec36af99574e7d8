package dev.kindling.agents.serving;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * The per-feature normalisation of an observation without Spark: {@code (x - mean) / std}, or
 * {@code x - mean} where {@code std} is 0 (a constant feature: centred, not scaled), for named
 * features in a fixed order. Training ({@code ObservationNormaliser}) and serving ({@link
 * PolicyClient}) both normalise through this class, so they agree to the bit. Immutable; cost per
 * observation: one pass over its features.
 */
public final class FeatureNormalisation implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final double[] means;
  private final double[] stds;

  /**
   * The normalisation of features {@code names} (in observation order) with these statistics.
   *
   * @throws IllegalArgumentException when the lengths differ, or a mean or std is not finite or a
   *     std is negative, naming the feature
   */
  public FeatureNormalisation(List<String> names, double[] means, double[] stds) {
    this.names = List.copyOf(names);
    if (means.length != this.names.size() || stds.length != this.names.size()) {
      throw new IllegalArgumentException(
          "expected one mean and one std per feature of "
              + this.names
              + ", got "
              + means.length
              + " means and "
              + stds.length
              + " stds");
    }
    for (int i = 0; i < means.length; i++) {
      if (!Double.isFinite(means[i]) || !Double.isFinite(stds[i]) || stds[i] < 0.0) {
        throw new IllegalArgumentException(
            "feature spec of '"
                + this.names.get(i)
                + "' has mean "
                + means[i]
                + " and std "
                + stds[i]
                + "; both must be finite and std non-negative");
      }
    }
    this.means = means.clone();
    this.stds = stds.clone();
  }

  /** The feature names, in observation order. */
  public List<String> names() {
    return names;
  }

  /** The number of observation features. */
  public int size() {
    return means.length;
  }

  /** The mean of feature {@code position}. */
  public double mean(int position) {
    return means[position];
  }

  /** The std of feature {@code position} (0 for a constant feature). */
  public double std(int position) {
    return stds[position];
  }

  /** The normalised value of feature {@code position} holding {@code value}. */
  public float normalise(int position, double value) {
    double centred = value - means[position];
    return (float) (stds[position] == 0.0 ? centred : centred / stds[position]);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof FeatureNormalisation that
        && names.equals(that.names)
        && Arrays.equals(means, that.means)
        && Arrays.equals(stds, that.stds);
  }

  @Override
  public int hashCode() {
    return names.hashCode() * 31 + Arrays.hashCode(means) * 17 + Arrays.hashCode(stds);
  }

  @Override
  public String toString() {
    return "FeatureNormalisation" + names;
  }
}
