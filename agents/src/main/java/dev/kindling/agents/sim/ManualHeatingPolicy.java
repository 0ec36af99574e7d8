package dev.kindling.agents.sim;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The platform's crude manual heating: every day an operator picks a random share of the items
 * published today and yesterday and heats them equally, blind to their quality or traction.
 */
public final class ManualHeatingPolicy implements HeatingPolicy {

  /** Items published this many days back (today included) are eligible. */
  public static final int ELIGIBLE_AGE_DAYS = 2;

  private static final double EQUAL_WEIGHT = 1.0;

  private final double heatingShare;
  private final double requestProbability;

  /**
   * Heats {@code heatingShare} of the eligible items, in {@code requestProbability} of feed
   * requests.
   */
  public ManualHeatingPolicy(double heatingShare, double requestProbability) {
    if (!(heatingShare >= 0 && heatingShare <= 1)) {
      throw new IllegalArgumentException("heatingShare must be in [0, 1], got " + heatingShare);
    }
    if (!(requestProbability >= 0 && requestProbability < 1)) {
      throw new IllegalArgumentException(
          "heating requestProbability must be in [0, 1), got " + requestProbability);
    }
    this.heatingShare = heatingShare;
    this.requestProbability = requestProbability;
  }

  /** The manual heating a config describes. */
  public static ManualHeatingPolicy fromConfig(SimulatorConfig config) {
    return new ManualHeatingPolicy(config.heatingShare(), config.heatingRequestProb());
  }

  @Override
  public HeatingPlan plan(LocalDate day, List<SimItem> items, List<ItemStats> stats, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    LocalDate firstEligible = day.minusDays(ELIGIBLE_AGE_DAYS - 1L);
    List<HeatingPlan.HeatedItem> pool = new ArrayList<>();
    for (SimItem item : items) {
      LocalDate published = LocalDate.ofInstant(item.publishTs(), ZoneOffset.UTC);
      if (!published.isBefore(firstEligible)
          && !published.isAfter(day)
          && rng.nextDouble() < heatingShare) {
        pool.add(new HeatingPlan.HeatedItem(item.itemId(), EQUAL_WEIGHT));
      }
    }
    return pool.isEmpty() ? HeatingPlan.NONE : new HeatingPlan(requestProbability, pool);
  }
}
