package dev.kindling.agents.system;

import java.util.AbstractList;
import java.util.List;

/**
 * What one {@link QuotaAllocator#allocate} decided: a quota per candidate, in the candidates'
 * order, and the allocation-level figures. The decisions are held as columns (one array entry per
 * candidate); {@link #items()} shows them as records, made on demand.
 */
public final class Allocation {

  private final AllocationParams params;
  private final long pool;
  private final long creatorCap;
  private final long floorGranted;
  private final long scoreGranted;
  private final int itemsFloored;
  private final int itemsEligible;
  private final Candidate.Columns candidates;
  private final long[] floorQuotas;
  private final long[] scoreQuotas;
  private final byte[] reasonCodes;

  /**
   * The allocation's figures and decisions (the arrays are handed over, not copied: the allocator
   * hands over arrays nobody else holds).
   *
   * @param params the figures it ran under
   * @param pool min(budget pool, floor(heating cap × forecast traffic))
   * @param creatorCap the per-creator cap in impressions
   * @param floorGranted impressions granted by floors
   * @param scoreGranted impressions granted by priority
   * @param itemsFloored eligible items that got the full floor
   * @param itemsEligible eligible items that are not fraud-zeroed
   * @param candidates the candidates, in order
   * @param floorQuotas the floor quota per candidate
   * @param scoreQuotas the priority quota per candidate
   * @param reasonCodes the reason per candidate, an index into {@link QuotaAllocator#REASONS}
   */
  Allocation(
      AllocationParams params,
      long pool,
      long creatorCap,
      long floorGranted,
      long scoreGranted,
      int itemsFloored,
      int itemsEligible,
      Candidate.Columns candidates,
      long[] floorQuotas,
      long[] scoreQuotas,
      byte[] reasonCodes) {
    this.params = params;
    this.pool = pool;
    this.creatorCap = creatorCap;
    this.floorGranted = floorGranted;
    this.scoreGranted = scoreGranted;
    this.itemsFloored = itemsFloored;
    this.itemsEligible = itemsEligible;
    this.candidates = candidates;
    this.floorQuotas = floorQuotas;
    this.scoreQuotas = scoreQuotas;
    this.reasonCodes = reasonCodes;
  }

  /** The figures it ran under. */
  public AllocationParams params() {
    return params;
  }

  /** min(budget pool, floor(heating cap × forecast traffic)). */
  public long pool() {
    return pool;
  }

  /** The per-creator cap in impressions. */
  public long creatorCap() {
    return creatorCap;
  }

  /** Impressions granted by floors. */
  public long floorGranted() {
    return floorGranted;
  }

  /** Impressions granted by priority. */
  public long scoreGranted() {
    return scoreGranted;
  }

  /** Eligible items that got the full floor. */
  public int itemsFloored() {
    return itemsFloored;
  }

  /** Eligible items that are not fraud-zeroed. */
  public int itemsEligible() {
    return itemsEligible;
  }

  /** Impressions granted in total; never above {@link #pool}. */
  public long granted() {
    return floorGranted + scoreGranted;
  }

  /** The number of decisions: one per candidate. */
  public int size() {
    return floorQuotas.length;
  }

  /** The candidates the decisions are for, in order. */
  public Candidate.Columns candidates() {
    return candidates;
  }

  /** The floor quota of candidate {@code i}. */
  public long floorQuota(int i) {
    return floorQuotas[i];
  }

  /** The priority quota of candidate {@code i}. */
  public long scoreQuota(int i) {
    return scoreQuotas[i];
  }

  /** The quota of candidate {@code i}: floor plus priority. */
  public long quota(int i) {
    return floorQuotas[i] + scoreQuotas[i];
  }

  /** The reason code of candidate {@code i}: an index into {@link QuotaAllocator#REASONS}. */
  public int reasonCode(int i) {
    return reasonCodes[i];
  }

  /**
   * One decision per candidate, same order, as records made on each {@code get} (an unmodifiable
   * view: walking it allocates one record per item, so hot paths read the columns instead).
   */
  public List<ItemQuota> items() {
    return new AbstractList<>() {
      @Override
      public ItemQuota get(int i) {
        return new ItemQuota(
            candidates.itemIds()[i],
            candidates.creatorIds()[i],
            candidates.scores()[i],
            floorQuotas[i],
            scoreQuotas[i],
            QuotaAllocator.REASONS.get(reasonCodes[i]));
      }

      @Override
      public int size() {
        return floorQuotas.length;
      }
    };
  }

  @Override
  public String toString() {
    return "Allocation[pool="
        + pool
        + ", creatorCap="
        + creatorCap
        + ", floorGranted="
        + floorGranted
        + ", scoreGranted="
        + scoreGranted
        + ", itemsFloored="
        + itemsFloored
        + ", itemsEligible="
        + itemsEligible
        + ", items="
        + size()
        + "]";
  }
}
