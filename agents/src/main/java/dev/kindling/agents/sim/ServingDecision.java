package dev.kindling.agents.sim;

import java.util.Arrays;

/**
 * A serving policy's answer for one request: the linear ranking weights over {@link
 * RankingFeatures} and the probability of exploring (serving a uniformly random slate).
 *
 * @param weights ranking weights, length {@link RankingFeatures#COUNT}, finite
 * @param exploreProb probability of exploring, in [0, 1]
 */
public record ServingDecision(float[] weights, double exploreProb) {

  public ServingDecision {
    if (weights.length != RankingFeatures.COUNT) {
      throw new IllegalArgumentException(
          "ranking weights must have "
              + RankingFeatures.COUNT
              + " entries "
              + RankingFeatures.NAMES
              + ", got "
              + weights.length);
    }
    for (float w : weights) {
      if (!Float.isFinite(w)) {
        throw new IllegalArgumentException(
            "ranking weights must be finite, got " + Arrays.toString(weights));
      }
    }
    if (!(exploreProb >= 0 && exploreProb <= 1)) {
      throw new IllegalArgumentException("exploreProb must be in [0, 1], got " + exploreProb);
    }
    weights = weights.clone();
  }

  @Override
  public float[] weights() {
    return weights.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServingDecision that
        && Arrays.equals(weights, that.weights)
        && Double.compare(exploreProb, that.exploreProb) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(weights) + Double.hashCode(exploreProb);
  }

  @Override
  public String toString() {
    return "ServingDecision[weights="
        + Arrays.toString(weights)
        + ", exploreProb="
        + exploreProb
        + "]";
  }
}
