package dev.kindling.features.ope;

/**
 * The off-policy estimators of a target policy's value, with {@code w = pi(a|x) / p} the importance
 * weight of a logged row and {@code n} the number of rows.
 */
public enum OffPolicyEstimator {
  /**
   * Inverse propensity scoring, {@code V = (1/n) sum_i w_i r_i}: unbiased when {@code p > 0}
   * wherever {@code pi > 0}; variance grows with the weights (Horvitz and Thompson 1952).
   */
  IPS,
  /**
   * Self-normalised IPS, {@code V = sum_i w_i r_i / sum_i w_i}: consistent, slightly biased,
   * usually of lower variance than IPS (Swaminathan and Joachims, "The Self-Normalized Estimator
   * for Counterfactual Learning", NeurIPS 2015).
   */
  SNIPS,
  /**
   * Direct method, {@code V = (1/n) sum_i sum_a pi(a|x_i) q(x_i, a)} with {@code q} a reward model:
   * low variance, biased as far as the model is wrong.
   */
  DM,
  /**
   * Doubly robust, {@code V = (1/n) sum_i [sum_a pi(a|x_i) q(x_i, a) + w_i (r_i - q(x_i, a_i))]}:
   * unbiased when the propensities are right, whatever the reward model, and of lower variance than
   * IPS when the model is good (Dudik, Langford and Li, "Doubly Robust Policy Evaluation and
   * Learning", ICML 2011, eq. 3).
   */
  DR;

  /** Whether the estimator needs the reward-model columns. */
  public boolean needsRewardModel() {
    return this == DM || this == DR;
  }
}
