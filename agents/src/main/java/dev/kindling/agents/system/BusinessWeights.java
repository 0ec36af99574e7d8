package dev.kindling.agents.system;

import java.util.Locale;

/**
 * The system agent's business weights: user satisfaction, platform revenue and long-term retention
 * (diversity, new content). Always finite, each in [0, 1], summing to 1 (within 1e-9); build them
 * with {@link #normalised}. In the allocation the retention weight is the share of the score-driven
 * pool spread evenly over the items instead of by score (see {@link QuotaAllocator}); satisfaction
 * and revenue are both carried by the content agent's score (true engagement and purchases), so
 * only their sum, 1 − retention, acts on the allocation, and the split between them is recorded for
 * the reward of later training.
 *
 * @param satisfaction weight of user satisfaction (CTR, completions)
 * @param revenue weight of platform revenue
 * @param retention weight of long-term retention and diversity (new-content exposure)
 */
public record BusinessWeights(double satisfaction, double revenue, double retention) {

  private static final double SUM_TOLERANCE = 1e-9;
  private static final int CLAMP_ROUNDS = 10;

  /** Checks that the weights are finite, in [0, 1] and sum to 1. */
  public BusinessWeights {
    for (double w : new double[] {satisfaction, revenue, retention}) {
      if (!Double.isFinite(w) || w < 0 || w > 1) {
        throw new IllegalArgumentException(
            "business weights must be finite and in [0, 1], got " + describe(w));
      }
    }
    if (Math.abs(satisfaction + revenue + retention - 1) > SUM_TOLERANCE) {
      throw new IllegalArgumentException(
          "business weights must sum to 1, got "
              + (satisfaction + revenue + retention)
              + "; build them with BusinessWeights.normalised");
    }
  }

  /**
   * Weights proportional to the three raw values.
   *
   * @throws IllegalArgumentException when a value is negative or not finite, or all are 0
   */
  public static BusinessWeights normalised(double satisfaction, double revenue, double retention) {
    double[] raw = {satisfaction, revenue, retention};
    double sum = 0;
    for (double w : raw) {
      if (!Double.isFinite(w) || w < 0) {
        throw new IllegalArgumentException(
            "raw business weights must be finite and >= 0, got " + describe(w));
      }
      sum += w;
    }
    if (sum <= 0) {
      throw new IllegalArgumentException("raw business weights are all 0");
    }
    return new BusinessWeights(raw[0] / sum, raw[1] / sum, raw[2] / sum);
  }

  /** The weights as {satisfaction, revenue, retention}. */
  public double[] toArray() {
    return new double[] {satisfaction, revenue, retention};
  }

  /**
   * The nearest weights (summing to 1) with each weight in [min, max]: weights outside are set to
   * the bound and the rest is shared among the others in proportion to their values, repeated until
   * nothing moves.
   *
   * @throws IllegalArgumentException when 3·min > 1, 3·max < 1 or min > max (no weights fit)
   */
  public BusinessWeights clamp(double min, double max) {
    if (!(min >= 0 && max <= 1 && min <= max && 3 * min <= 1 && 3 * max >= 1)) {
      throw new IllegalArgumentException(
          "weight bounds [" + min + ", " + max + "] admit no three weights summing to 1");
    }
    double[] w = toArray();
    boolean[] fixed = new boolean[w.length];
    for (int round = 0; round < CLAMP_ROUNDS; round++) {
      double fixedSum = 0;
      double freeSum = 0;
      boolean moved = false;
      for (int i = 0; i < w.length; i++) {
        if (!fixed[i] && (w[i] < min || w[i] > max)) {
          w[i] = Math.min(max, Math.max(min, w[i]));
          fixed[i] = true;
          moved = true;
        }
      }
      for (int i = 0; i < w.length; i++) {
        if (fixed[i]) {
          fixedSum += w[i];
        } else {
          freeSum += w[i];
        }
      }
      double room = 1 - fixedSum;
      for (int i = 0; i < w.length; i++) {
        if (!fixed[i]) {
          w[i] = freeSum > 0 ? w[i] * room / freeSum : room / countFree(fixed);
        }
      }
      if (!moved) {
        break;
      }
    }
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.min(max, Math.max(min, w[i]));
    }
    return normalised(w[0], w[1], w[2]);
  }

  /** The largest absolute difference between one weight here and in {@code other}. */
  public double maxDistance(BusinessWeights other) {
    double[] a = toArray();
    double[] b = other.toArray();
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }

  private static int countFree(boolean[] fixed) {
    int n = 0;
    for (boolean f : fixed) {
      n += f ? 0 : 1;
    }
    return Math.max(1, n);
  }

  private static String describe(double w) {
    return String.valueOf(w);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "satisfaction %.3f, revenue %.3f, retention %.3f",
        satisfaction,
        revenue,
        retention);
  }
}
