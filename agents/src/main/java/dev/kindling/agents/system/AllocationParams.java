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
