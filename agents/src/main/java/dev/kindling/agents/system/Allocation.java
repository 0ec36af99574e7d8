package dev.kindling.agents.system;

import java.util.List;

/**
 * What one {@link QuotaAllocator#allocate} decided: a quota per candidate, in the candidates'
 * order, and the allocation-level figures.
 *
 * @param params the figures it ran under
 * @param pool min(budget pool, floor(heating cap × forecast traffic))
 * @param creatorCap the per-creator cap in impressions
 * @param floorGranted impressions granted by floors
 * @param scoreGranted impressions granted by priority
 * @param itemsFloored eligible items that got the full floor
 * @param itemsEligible eligible items that are not fraud-zeroed
 * @param items one decision per candidate, same order
 */
public record Allocation(
    AllocationParams params,
    long pool,
    long creatorCap,
    long floorGranted,
    long scoreGranted,
    int itemsFloored,
    int itemsEligible,
    List<ItemQuota> items) {

  /** Wraps the decisions (not copied: the allocator hands over a list nobody else holds). */
  public Allocation {
    items = java.util.Collections.unmodifiableList(items);
  }

  /** Impressions granted in total; never above {@link #pool}. */
  public long granted() {
    return floorGranted + scoreGranted;
  }
}
