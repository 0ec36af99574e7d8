package dev.kindling.features.ope;

/**
 * One estimator's estimate of a target policy's value with its bootstrap percentile interval.
 *
 * @param estimator the estimator
 * @param estimate the point estimate on all rows
 * @param lower lower end of the percentile interval
 * @param upper upper end of the percentile interval
 * @param replicates bootstrap replicates drawn
 * @param level coverage of the interval
 * @param rows logged rows used
 * @param effectiveSampleSize Kish's effective sample size of the importance weights, {@code (sum
 *     w)^2 / sum w^2}, for IPS, SNIPS and DR; {@code rows} for DM, which does not weight rows
 */
public record OpeEstimate(
    OffPolicyEstimator estimator,
    double estimate,
    double lower,
    double upper,
    int replicates,
    double level,
    long rows,
    double effectiveSampleSize) {

  /** {@code |estimate - truth| / |truth|}, the relative error against a known value. */
  public double relativeError(double truth) {
    return Math.abs(estimate - truth) / Math.abs(truth);
  }

  /** Whether {@code value} lies in {@code [lower, upper]}. */
  public boolean covers(double value) {
    return lower <= value && value <= upper;
  }

  @Override
  public String toString() {
    return String.format(
        "%s %.6f [%.6f, %.6f] (%d replicates, level %.2f, %d rows, ESS %.1f)",
        estimator, estimate, lower, upper, replicates, level, rows, effectiveSampleSize);
  }
}
