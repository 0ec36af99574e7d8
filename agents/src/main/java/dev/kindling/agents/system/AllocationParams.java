package dev.kindling.agents.system;

import java.util.Objects;

/**
 * The figures one allocation runs under.
 *
 * @param budgetPool heated impressions the budget pays for (≥ 0)
 * @param heatingCap the largest share of forecast traffic that may be heated, in [0, 1] (the
 *     design's default is 0.2)
 * @param forecastTraffic all impressions expected on the day the quotas serve (≥ 0)
 * @param floorQuota the fairness floor: heated impressions every eligible item gets before any item
 *     gets more (≥ 0; 0 turns the floor off)
 * @param creatorCapShare the largest share of the pool one creator's items may take together, in
 *     (0, 1]
 * @param creatorCapImpressions an absolute cap per creator on top of the share (≥ 0; 0 = none)
 * @param weights the business weights; the retention weight is the share of the score-driven pool
 *     spread evenly
 */
public record AllocationParams(
    long budgetPool,
    double heatingCap,
    long forecastTraffic,
    long floorQuota,
    double creatorCapShare,
    long creatorCapImpressions,
    BusinessWeights weights) {

  /** The design's heating cap: at most 20% of all impressions are heated. */
  public static final double DEFAULT_HEATING_CAP = 0.2;

  /** Checks every field; throws {@link IllegalArgumentException} naming the bad value. */
  public AllocationParams {
    Objects.requireNonNull(weights, "weights");
    requireNonNegative("budgetPool", budgetPool);
    requireNonNegative("forecastTraffic", forecastTraffic);
    requireNonNegative("floorQuota", floorQuota);
    requireNonNegative("creatorCapImpressions", creatorCapImpressions);
    if (!(heatingCap >= 0 && heatingCap <= 1)) {
      throw new IllegalArgumentException("heatingCap must be in [0, 1], got " + heatingCap);
    }
    if (!(creatorCapShare > 0 && creatorCapShare <= 1)) {
      throw new IllegalArgumentException(
          "creatorCapShare must be in (0, 1], got " + creatorCapShare);
    }
  }

  /**
   * Heated impressions the window needs before its heated CTR is trusted for {@link
   * #ctrBudgetedCap}; with fewer the cap is not lowered.
   */
  public static final long MIN_HEATED_IMPRESSIONS = 1_000;

  /**
   * The heating cap lowered so that heating costs at most {@code maxCtrCost} of the overall CTR. A
   * heated slot replaces an organic one, so heating a share {@code h} of traffic changes the
   * overall CTR by the factor {@code 1 − h·(1 − c_h / c_o)}, with {@code c_h} and {@code c_o} the
   * CTRs of heated and organic impressions observed on recent days; the cost stays within {@code
   * maxCtrCost} while {@code h ≤ maxCtrCost / (1 − c_h / c_o)}. The cap is returned unchanged when
   * heated impressions click at least as well as organic ones, or when the window has fewer than
   * {@value #MIN_HEATED_IMPRESSIONS} heated or no organic impressions (nothing to estimate from).
   *
   * @param heatingCap the configured cap in [0, 1]
   * @param maxCtrCost the largest relative CTR loss heating may cause, in [0, 1]
   * @return the cap in [0, heatingCap]
   */
  public static double ctrBudgetedCap(
      double heatingCap,
      double maxCtrCost,
      long heatedImpressions,
      long heatedClicks,
      long organicImpressions,
      long organicClicks) {
    if (heatedImpressions < MIN_HEATED_IMPRESSIONS
        || organicImpressions == 0
        || organicClicks == 0) {
      return heatingCap;
    }
    double heatedCtr = (double) heatedClicks / heatedImpressions;
    double organicCtr = (double) organicClicks / organicImpressions;
    double relativeLoss = 1.0 - heatedCtr / organicCtr;
    if (relativeLoss <= 0) {
      return heatingCap;
    }
    return Math.min(heatingCap, maxCtrCost / relativeLoss);
  }

  /** floor(heating cap × forecast traffic): the impressions the heating cap allows. */
  public long capImpressions() {
    return (long) Math.floor(heatingCap * (double) forecastTraffic);
  }

  /** min(budget pool, floor(heating cap × forecast traffic)): what may be granted in total. */
  public long pool() {
    return Math.min(budgetPool, capImpressions());
  }

  /**
   * The impressions one creator's items may take together: floor(share × pool), and at most the
   * absolute cap when one is set.
   */
  public long creatorCap() {
    long byShare = (long) Math.floor(creatorCapShare * (double) pool());
    return creatorCapImpressions > 0 ? Math.min(byShare, creatorCapImpressions) : byShare;
  }

  private static void requireNonNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, got " + value);
    }
  }
}
