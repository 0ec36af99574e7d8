package dev.kindling.agents.loop;

import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.sim.HeatingPlan;
import dev.kindling.agents.sim.HeatingPolicy;
import dev.kindling.agents.sim.ItemStats;
import dev.kindling.agents.sim.SimItem;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Heating from a published artifact's quotas: every item with a positive quota is heated, weighted
 * by its quota, in a share of feed requests chosen to spend the quotas over the expected feed
 * requests of the day: {@code H = min(total quota / expected feed requests, heating cap × expected
 * impressions / expected feed requests, }{@value #MAX_REQUEST_PROBABILITY}{@code )}, since each
 * heated request shows one heated impression. Expected traffic is the caller's forecast (the loop
 * uses the previous day's).
 */
public final class QuotaHeatingPolicy implements HeatingPolicy {

  /** The largest request probability: a heated slot never takes every feed request. */
  public static final double MAX_REQUEST_PROBABILITY = 0.99;

  private final PolicyClient client;
  private final long expectedFeedRequests;
  private final long expectedImpressions;
  private final double heatingCap;

  /**
   * Heats {@code client}'s quotas over a day of {@code expectedFeedRequests} feed requests and
   * {@code expectedImpressions} impressions, heated impressions capped at {@code heatingCap} of
   * them.
   */
  public QuotaHeatingPolicy(
      PolicyClient client, long expectedFeedRequests, long expectedImpressions, double heatingCap) {
    if (expectedFeedRequests < 0 || expectedImpressions < 0) {
      throw new IllegalArgumentException(
          "expected traffic must be >= 0, got "
              + expectedFeedRequests
              + " feed requests and "
              + expectedImpressions
              + " impressions");
    }
    if (!(heatingCap >= 0 && heatingCap <= 1)) {
      throw new IllegalArgumentException("heatingCap must be in [0, 1], got " + heatingCap);
    }
    this.client = client;
    this.expectedFeedRequests = expectedFeedRequests;
    this.expectedImpressions = expectedImpressions;
    this.heatingCap = heatingCap;
  }

  /**
   * The share of feed requests that carries a heated slot to spend {@code totalQuota} heated
   * impressions, within the cap; 0 without feed traffic.
   */
  public static double requestProbability(
      long totalQuota, long feedRequests, long impressions, double heatingCap) {
    if (feedRequests <= 0 || totalQuota <= 0) {
      return 0.0;
    }
    double spend = (double) totalQuota / feedRequests;
    double cap = heatingCap * impressions / feedRequests;
    return Math.min(MAX_REQUEST_PROBABILITY, Math.min(spend, cap));
  }

  @Override
  public HeatingPlan plan(LocalDate day, List<SimItem> items, List<ItemStats> stats, long seed) {
    List<HeatingPlan.HeatedItem> pool = new ArrayList<>();
    long total = 0;
    for (SimItem item : items) {
      long quota = client.quota(item.itemId());
      if (quota > 0) {
        pool.add(new HeatingPlan.HeatedItem(item.itemId(), quota));
        total += quota;
      }
    }
    double probability =
        requestProbability(total, expectedFeedRequests, expectedImpressions, heatingCap);
    return pool.isEmpty() || probability <= 0
        ? HeatingPlan.NONE
        : new HeatingPlan(probability, pool);
  }
}
