package dev.kindling.features.ope;

import java.util.SplittableRandom;

/**
 * The action distribution of a top-k Bernoulli Thompson sampling policy, estimated by Monte Carlo:
 * each draw samples {@code theta_i ~ Beta(alpha_i, beta_i)} for every item and shows the {@code k}
 * items of highest {@code theta} in positions 1..k, in decreasing order.
 *
 * <p>This is how the Open Bandit Pipeline evaluates its Bernoulli TS policy ({@code
 * obp.policy.BernoulliTS.compute_batch_action_dist}; Saito et al. 2021): the policy is not
 * contextual, so one table of {@code P(item i shown at position j)} serves every round. Beta draws
 * are {@code X / (X + Y)} with gamma variates by Marsaglia and Tsang ("A Simple Method for
 * Generating Gamma Variables", ACM TOMS 2000). Cost: {@code O(draws * items)} time on the caller's
 * thread, {@code O(items * k)} memory; the Monte Carlo standard error of a probability {@code q} is
 * {@code sqrt(q (1 - q) / draws)}. Deterministic for a given seed.
 */
public final class TopKThompsonSampling {

  /** Marsaglia and Tsang's squeeze constant: accepts most draws without a logarithm. */
  private static final double SQUEEZE = 0.0331;

  private TopKThompsonSampling() {}

  /**
   * {@code P[i][j]}, the estimated probability that item {@code i} is shown at position {@code j}
   * (0-based); each column sums to 1.
   *
   * @param alpha Beta {@code alpha} per item, each positive and finite
   * @param beta Beta {@code beta} per item, same length as {@code alpha}
   * @param positions number of positions {@code k}, between 1 and the number of items
   * @param draws number of Monte Carlo draws, at least 1
   * @param seed seed of the draws
   */
  public static double[][] positionProbabilities(
      double[] alpha, double[] beta, int positions, int draws, long seed) {
    int items = alpha.length;
    if (beta.length != items) {
      throw new IllegalArgumentException(
          "alpha and beta must have one entry per item, got "
              + items
              + " alphas and "
              + beta.length
              + " betas");
    }
    for (int i = 0; i < items; i++) {
      if (!(alpha[i] > 0 && beta[i] > 0) || Double.isInfinite(alpha[i] + beta[i])) {
        throw new IllegalArgumentException(
            "Beta parameters must be positive and finite, got alpha="
                + alpha[i]
                + ", beta="
                + beta[i]
                + " for item "
                + i);
      }
    }
    if (positions < 1 || positions > items) {
      throw new IllegalArgumentException(
          "positions must lie in [1, " + items + "] (the number of items), got " + positions);
    }
    if (draws < 1) {
      throw new IllegalArgumentException("draws must be at least 1, got " + draws);
    }
    SplittableRandom random = new SplittableRandom(seed);
    long[][] counts = new long[items][positions];
    double[] theta = new double[items];
    int[] top = new int[positions];
    for (int d = 0; d < draws; d++) {
      for (int i = 0; i < items; i++) {
        double x = gamma(alpha[i], random);
        theta[i] = x / (x + gamma(beta[i], random));
      }
      topK(theta, top);
      for (int j = 0; j < positions; j++) {
        counts[top[j]][j]++;
      }
    }
    double[][] probabilities = new double[items][positions];
    for (int i = 0; i < items; i++) {
      for (int j = 0; j < positions; j++) {
        probabilities[i][j] = counts[i][j] / (double) draws;
      }
    }
    return probabilities;
  }

  /** Indices of the {@code top.length} largest values, largest first. */
  private static void topK(double[] values, int[] top) {
    int k = top.length;
    int filled = 0;
    for (int i = 0; i < values.length; i++) {
      if (filled < k) {
        filled++;
      } else if (values[i] <= values[top[k - 1]]) {
        continue;
      }
      int slot = filled - 1;
      while (slot > 0 && values[top[slot - 1]] < values[i]) {
        top[slot] = top[slot - 1];
        slot--;
      }
      top[slot] = i;
    }
  }

  /** A Gamma(shape, 1) variate; shapes below 1 use {@code Gamma(a + 1) * U^(1/a)}. */
  static double gamma(double shape, SplittableRandom random) {
    if (shape < 1.0) {
      return gamma(shape + 1.0, random) * Math.pow(random.nextDouble(), 1.0 / shape);
    }
    double d = shape - 1.0 / 3.0;
    double c = 1.0 / Math.sqrt(9.0 * d);
    while (true) {
      double z = random.nextGaussian();
      double v = 1.0 + c * z;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = random.nextDouble();
      double z2 = z * z;
      if (u < 1.0 - SQUEEZE * z2 * z2) {
        return d * v;
      }
      if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
        return d * v;
      }
    }
  }
}
