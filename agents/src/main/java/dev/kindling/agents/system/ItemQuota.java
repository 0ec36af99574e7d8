package dev.kindling.agents.system;

/**
 * The allocator's decision for one candidate: a row of {@code heating_quotas}.
 *
 * @param itemId the item
 * @param creatorId its creator
 * @param score the bid the allocation ranked by
 * @param floorQuota heated impressions of the fairness floor
 * @param scoreQuota heated impressions granted by priority on top of the floor
 * @param reason why: one of the {@code REASON_*} constants of {@link QuotaAllocator}
 */
public record ItemQuota(
    String itemId,
    String creatorId,
    double score,
    long floorQuota,
    long scoreQuota,
    String reason) {

  /** {@code floorQuota + scoreQuota}. */
  public long quota() {
    return floorQuota + scoreQuota;
  }
}
