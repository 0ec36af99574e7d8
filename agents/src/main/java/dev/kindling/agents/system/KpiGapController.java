package dev.kindling.agents.system;

import java.util.Optional;

/**
 * Moves the business weights a bounded step towards the KPI targets, one step per run date: the
 * retention weight rises when the new-content share of impressions is under its target (and falls
 * when over), the satisfaction weight rises when CTR is under its target; revenue keeps its raw
 * value, so normalisation takes the room from it and from the other weight. Deterministic: the same
 * previous weights and KPIs give the same weights.
 *
 * <p>Step: each moved weight changes by step × clamp((target − actual) / target, −1, 1) before
 * normalisation, so by at most {@code step}; then the weights are normalised and clamped to [min
 * weight, max weight] ({@link BusinessWeights#clamp}). With no impressions the weights stay as they
 * were (clamped).
 *
 * @param targetNewContentShare the new-content share of impressions aimed at, in (0, 1]
 * @param targetCtr the CTR aimed at, in (0, 1]
 * @param step the largest move of one weight in one run, in [0, 1]
 * @param minWeight the lower bound of every weight
 * @param maxWeight the upper bound of every weight
 */
public record KpiGapController(
    double targetNewContentShare,
    double targetCtr,
    double step,
    double minWeight,
    double maxWeight) {

  /** Checks the targets, the step and that the bounds admit weights summing to 1. */
  public KpiGapController {
    if (!(targetNewContentShare > 0 && targetNewContentShare <= 1)) {
      throw new IllegalArgumentException(
          "targetNewContentShare must be in (0, 1], got " + targetNewContentShare);
    }
    if (!(targetCtr > 0 && targetCtr <= 1)) {
      throw new IllegalArgumentException("targetCtr must be in (0, 1], got " + targetCtr);
    }
    if (!(step >= 0 && step <= 1)) {
      throw new IllegalArgumentException("step must be in [0, 1], got " + step);
    }
    BusinessWeights.normalised(1, 1, 1).clamp(minWeight, maxWeight);
  }

  /**
   * The weights of the run date: {@code previous} (the day before's, when recorded) or else {@code
   * configured}, moved towards the targets by {@code kpis}.
   */
  public BusinessWeights next(
      Optional<BusinessWeights> previous, BusinessWeights configured, Kpis kpis) {
    BusinessWeights start = previous.orElse(configured);
    if (kpis.impressions() == 0) {
      return start.clamp(minWeight, maxWeight);
    }
    double retention =
        start.retention() + step * gap(targetNewContentShare, kpis.newContentShare());
    double satisfaction = start.satisfaction() + step * gap(targetCtr, kpis.ctr());
    return BusinessWeights.normalised(
            Math.max(0, satisfaction), start.revenue(), Math.max(0, retention))
        .clamp(minWeight, maxWeight);
  }

  private static double gap(double target, double actual) {
    return Math.max(-1, Math.min(1, (target - actual) / target));
  }
}
