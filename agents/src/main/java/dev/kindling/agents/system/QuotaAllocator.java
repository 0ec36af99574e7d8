package dev.kindling.agents.system;

import java.util.Arrays;
import java.util.List;

/**
 * The system agent's allocation of heated impressions over the content agent's bids: a fairness
 * floor first, then the rest by priority, under the budget pool, the heating cap and a per-creator
 * cap. Deterministic: the same candidates and parameters give the same quotas.
 *
 * <p>Algorithm. Let pool = min(budget pool, floor(heating cap × forecast traffic)) and creator cap
 * = {@link AllocationParams#creatorCap()}. Fraud-zeroed and ineligible candidates are set aside
 * with quota 0. The eligible ones are ranked by score, highest first (ties by item id).
 *
 * <ol>
 *   <li>Floors: in rank order each item gets the whole floor quota if the pool still holds it and
 *       its creator's items stay within the creator cap; otherwise 0 ({@code budget_exhausted} or
 *       {@code creator_cap}). A floor is never split: once the pool holds less than one floor,
 *       every later item is {@code budget_exhausted} and the few impressions left stay unspent. So
 *       when the pool cannot cover every floor, the highest bids get theirs, and a creator's floors
 *       stop at the creator cap (a creator whose cap is below one floor gets none).
 *   <li>Priority: only when every eligible item that the creator cap allowed got its floor, the
 *       remaining pool R is shared among the floored items (all eligible items when the floor is 0)
 *       in proportion to priority p = (1 − d)·score/Σscore + d/n, where d is the retention weight
 *       and n the number of sharing items (p = 1/n when every score is 0): d = 0 is purely by bid,
 *       d = 1 an even spread. Water-filling enforces the creator cap: a creator whose items' shares
 *       would break it gets exactly its room, split in proportion to priority, and the rest is
 *       shared again among the other creators (at most one round per capped creator). Shares are
 *       rounded down; the impressions rounding leaves over go to items in rank order whose creator
 *       has room, one each (an even part each when there are more than such items).
 * </ol>
 *
 * <p>Invariants (held by {@code QuotaAllocatorTest} over seeded random inputs):
 *
 * <ul>
 *   <li>quotas are integers ≥ 0, quota = floor_quota + score_quota, and Σ quota ≤ pool, so never
 *       above the budget pool nor floor(heating cap × forecast traffic);
 *   <li>fraud-zeroed and ineligible items get 0;
 *   <li>Σ quota over one creator's items ≤ creator cap;
 *   <li>floor_quota is 0 or the floor quota; when pool ≥ floor × eligible items and the creator cap
 *       holds floor × (its eligible items) for every creator, every eligible item gets the floor;
 *       no item gets score_quota unless every eligible item the creator cap allowed got the floor;
 *   <li>reasons: {@link #REASON_FRAUD_ZEROED}, {@link #REASON_NOT_ELIGIBLE}, {@link
 *       #REASON_BUDGET_EXHAUSTED}, {@link #REASON_CREATOR_CAP}, {@link #REASON_FLOOR}, {@link
 *       #REASON_FLOOR_AND_SCORE}, {@link #REASON_SCORE}.
 * </ul>
 *
 * <p>Cost: one radix sort of the eligible candidates' scores (O(n), ties by item id in O(t log t)
 * per run of t equal scores), open-addressing tables for the item-id check and the creators, and
 * O(n) per water-filling round; memory a few primitive arrays of n, no object per candidate.
 */
public final class QuotaAllocator {

  /** The item is over the fraud threshold: nothing. */
  public static final String REASON_FRAUD_ZEROED = "fraud_zeroed";

  /** The item is not in its cold-start window: nothing. */
  public static final String REASON_NOT_ELIGIBLE = "not_eligible";

  /** The pool ran out before the item's floor (or the item's share rounded to nothing). */
  public static final String REASON_BUDGET_EXHAUSTED = "budget_exhausted";

  /** The creator cap stopped the item's floor, or cut its priority share. */
  public static final String REASON_CREATOR_CAP = "creator_cap";

  /** The floor and no more (no pool left after the floors, or a share that rounded to 0). */
  public static final String REASON_FLOOR = "floor";

  /** The floor and a priority share. */
  public static final String REASON_FLOOR_AND_SCORE = "floor_and_score";

  /** A priority share with the floor turned off (floor quota 0). */
  public static final String REASON_SCORE = "score";

  /**
   * Every reason, indexed by the reason codes of {@link Allocation#reasonCode}: fraud-zeroed, not
   * eligible, budget exhausted, creator cap, floor, floor and score, score.
   */
  public static final List<String> REASONS =
      List.of(
          REASON_FRAUD_ZEROED,
          REASON_NOT_ELIGIBLE,
          REASON_BUDGET_EXHAUSTED,
          REASON_CREATOR_CAP,
          REASON_FLOOR,
          REASON_FLOOR_AND_SCORE,
          REASON_SCORE);

  private static final byte UNDECIDED = -1;
  private static final byte FRAUD_ZEROED = 0;
  private static final byte NOT_ELIGIBLE = 1;
  private static final byte BUDGET_EXHAUSTED = 2;
  private static final byte CREATOR_CAP = 3;
  private static final byte FLOOR = 4;
  private static final byte FLOOR_AND_SCORE = 5;
  private static final byte SCORE = 6;

  private static final int INSERTION_SORT_MAX = 32;
  private static final int RADIX_BITS = 8;
  private static final int RADIX = 1 << RADIX_BITS;
  private static final int RADIX_MASK = RADIX - 1;

  private QuotaAllocator() {}

  /**
   * Allocates {@code params.pool()} heated impressions over {@code candidates}.
   *
   * @throws IllegalArgumentException when an eligible, not fraud-zeroed candidate has a score that
   *     is negative or not finite, or item ids repeat
   */
  public static Allocation allocate(List<Candidate> candidates, AllocationParams params) {
    return allocate(Candidate.Columns.of(candidates), params);
  }

  /**
   * Allocates {@code params.pool()} heated impressions over {@code candidates} given as columns.
   *
   * @throws IllegalArgumentException when an eligible, not fraud-zeroed candidate has a score that
   *     is negative or not finite, or item ids repeat
   */
  public static Allocation allocate(Candidate.Columns candidates, AllocationParams params) {
    int n = candidates.size();
    long pool = params.pool();
    long creatorCap = params.creatorCap();
    long floorQuota = params.floorQuota();
    double evenShare = params.weights().retention();
    String[] ids = candidates.itemIds();
    double[] scores = candidates.scores();
    boolean[] fraudZeroed = candidates.fraudZeroed();
    boolean[] eligible = candidates.eligible();

    byte[] reasons = new byte[n];
    Arrays.fill(reasons, UNDECIDED);
    long[] floors = new long[n];
    long[] shares = new long[n];
    int[] creatorOf = candidates.creatorNumbers();
    int creators = 0;
    for (int creator : creatorOf) {
      creators = Math.max(creators, creator + 1);
    }
    requireUniqueIds(ids);
    int[] ranked = new int[n];
    int rankedCount = 0;
    for (int i = 0; i < n; i++) {
      if (fraudZeroed[i]) {
        reasons[i] = FRAUD_ZEROED;
      } else if (!eligible[i]) {
        reasons[i] = NOT_ELIGIBLE;
      } else {
        if (!Double.isFinite(scores[i]) || scores[i] < 0) {
          throw new IllegalArgumentException(
              "item " + ids[i] + " has score " + scores[i] + "; scores must be finite, >= 0");
        }
        ranked[rankedCount++] = i;
      }
    }
    int[] order = Arrays.copyOf(ranked, rankedCount);
    sortByRank(order, scores, ids);

    long[] creatorUsed = new long[creators];
    long remaining = pool;
    long floorGranted = 0;
    int floored = 0;
    boolean budgetExhausted = false;
    int[] sharing = new int[order.length];
    int sharingCount = 0;
    for (int i : order) {
      if (floorQuota == 0) {
        sharing[sharingCount++] = i;
      } else if (remaining < floorQuota) {
        reasons[i] = BUDGET_EXHAUSTED;
        budgetExhausted = true;
      } else if (creatorUsed[creatorOf[i]] + floorQuota > creatorCap) {
        reasons[i] = CREATOR_CAP;
      } else {
        floors[i] = floorQuota;
        creatorUsed[creatorOf[i]] += floorQuota;
        remaining -= floorQuota;
        floorGranted += floorQuota;
        floored++;
        sharing[sharingCount++] = i;
      }
    }

    long scoreGranted = 0;
    boolean[] capped = new boolean[n];
    if (!budgetExhausted && remaining > 0 && sharingCount > 0) {
      scoreGranted =
          shareByPriority(
              scores,
              Arrays.copyOf(sharing, sharingCount),
              remaining,
              evenShare,
              creatorOf,
              creatorUsed,
              creatorCap,
              shares,
              capped);
    }

    for (int i = 0; i < n; i++) {
      if (reasons[i] == UNDECIDED) {
        if (capped[i]) {
          reasons[i] = CREATOR_CAP;
        } else if (shares[i] > 0) {
          reasons[i] = floors[i] > 0 ? FLOOR_AND_SCORE : SCORE;
        } else {
          reasons[i] = floors[i] > 0 ? FLOOR : BUDGET_EXHAUSTED;
        }
      }
    }
    return new Allocation(
        params,
        pool,
        creatorCap,
        floorGranted,
        scoreGranted,
        floored,
        order.length,
        candidates,
        floors,
        shares,
        reasons);
  }

  /**
   * Shares {@code pool} among {@code sharing} (in rank order) by priority, water-filling the
   * creator cap; fills {@code shares} and {@code capped}; returns the impressions granted.
   */
  private static long shareByPriority(
      double[] scores,
      int[] sharing,
      long pool,
      double evenShare,
      int[] creatorOf,
      long[] creatorUsed,
      long creatorCap,
      long[] shares,
      boolean[] capped) {
    int m = sharing.length;
    double scoreSum = 0;
    for (int i : sharing) {
      scoreSum += scores[i];
    }
    double[] priority = new double[m];
    // The creator of each sharing item, read in rank order below instead of through the indices.
    int[] creatorOfShare = new int[m];
    for (int k = 0; k < m; k++) {
      creatorOfShare[k] = creatorOf[sharing[k]];
      double byScore = scoreSum > 0 ? scores[sharing[k]] / scoreSum : 1.0 / m;
      priority[k] = (1 - evenShare) * byScore + evenShare / m;
    }
    boolean[] active = new boolean[m];
    Arrays.fill(active, true);
    long left = pool;
    double[] creatorDemand = new double[creatorUsed.length];
    while (true) {
      double prioritySum = 0;
      for (int k = 0; k < m; k++) {
        if (active[k]) {
          prioritySum += priority[k];
        }
      }
      if (prioritySum <= 0 || left <= 0) {
        break;
      }
      Arrays.fill(creatorDemand, 0);
      for (int k = 0; k < m; k++) {
        if (active[k]) {
          creatorDemand[creatorOfShare[k]] += left * priority[k] / prioritySum;
        }
      }
      // A creator with no active item has no demand, and no creator is over its cap yet.
      boolean overflow = false;
      for (int c = 0; c < creatorUsed.length; c++) {
        if (creatorDemand[c] > 0 && creatorUsed[c] + creatorDemand[c] > creatorCap) {
          overflow = true;
          break;
        }
      }
      if (!overflow) {
        for (int k = 0; k < m; k++) {
          if (active[k]) {
            long share = (long) Math.floor(left * priority[k] / prioritySum);
            shares[sharing[k]] = share;
            creatorUsed[creatorOfShare[k]] += share;
          }
        }
        break;
      }
      // Creators over their cap get exactly their room, in proportion to priority; they leave.
      long[] room = new long[creatorUsed.length];
      boolean[] over = new boolean[creatorUsed.length];
      for (int c = 0; c < creatorUsed.length; c++) {
        over[c] = creatorDemand[c] > 0 && creatorUsed[c] + creatorDemand[c] > creatorCap;
        room[c] = over[c] ? creatorCap - creatorUsed[c] : 0;
      }
      for (int k = 0; k < m; k++) {
        int item = sharing[k];
        int creator = creatorOfShare[k];
        if (active[k] && over[creator]) {
          double itemDemand = left * priority[k] / prioritySum;
          long share = (long) Math.floor(room[creator] * itemDemand / creatorDemand[creator]);
          shares[item] = share;
          creatorUsed[creator] += share;
          left -= share;
          active[k] = false;
          capped[item] = true;
        }
      }
    }
    long granted = 0;
    for (int item : sharing) {
      granted += shares[item];
    }
    // Rounding leftovers, in rank order, to items with creator room: one each per pass while
    // leftovers are fewer than such items (the usual case), else an even part each.
    long leftover = pool - granted;
    while (leftover > 0) {
      long withRoom = 0;
      for (int k = 0; k < m; k++) {
        if (priority[k] > 0 && creatorUsed[creatorOfShare[k]] < creatorCap) {
          withRoom++;
        }
      }
      if (withRoom == 0) {
        break;
      }
      long part = Math.max(1, leftover / withRoom);
      for (int k = 0; k < m && leftover > 0; k++) {
        int creator = creatorOfShare[k];
        long room = creatorCap - creatorUsed[creator];
        if (priority[k] > 0 && room > 0) {
          long extra = Math.min(Math.min(part, room), leftover);
          shares[sharing[k]] += extra;
          creatorUsed[creator] += extra;
          leftover -= extra;
        }
      }
    }
    return pool - leftover;
  }

  /**
   * Sorts item indices by score, highest first, then by item id: a stable LSD radix sort of the
   * scores' order-preserving bit patterns (O(n)), then a merge sort by id of each run of equal
   * scores.
   */
  private static void sortByRank(int[] order, double[] scores, String[] ids) {
    int m = order.length;
    long[] keys = new long[m];
    for (int k = 0; k < m; k++) {
      keys[k] = descendingKey(scores[order[k]]);
    }
    radixSort(keys, order, 0);
    int[] buffer = null;
    for (int from = 0; from < m; ) {
      int to = from + 1;
      while (to < m && keys[to] == keys[from]) {
        to++;
      }
      if (to - from > 1) {
        if (buffer == null) {
          buffer = new int[m];
        }
        mergeSort(order, buffer, from, to, scores, ids);
      }
      from = to;
    }
  }

  /**
   * A key whose unsigned order is the descending order of {@code score} as {@link Double#compare}
   * sees it (not NaN).
   */
  private static long descendingKey(double score) {
    long bits = Double.doubleToRawLongBits(score);
    long ascending = bits ^ ((bits >> (Long.SIZE - 1)) & Long.MAX_VALUE);
    return ~ascending ^ Long.MIN_VALUE;
  }

  /**
   * Sorts {@code keys} as unsigned, ascending, by their bits from {@code fromBit} up, moving {@code
   * values} (when not null) along; stable.
   */
  private static void radixSort(long[] keys, int[] values, int fromBit) {
    int m = keys.length;
    long[] keysBuffer = new long[m];
    int[] valuesBuffer = values == null ? null : new int[m];
    long[] fromKeys = keys;
    int[] fromValues = values;
    long[] toKeys = keysBuffer;
    int[] toValues = valuesBuffer;
    int[] start = new int[RADIX + 1];
    for (int shift = fromBit; shift < Long.SIZE; shift += RADIX_BITS) {
      Arrays.fill(start, 0);
      for (int k = 0; k < m; k++) {
        start[(int) ((fromKeys[k] >>> shift) & RADIX_MASK) + 1]++;
      }
      boolean oneDigit = false;
      for (int d = 1; d <= RADIX; d++) {
        oneDigit |= start[d] == m;
        start[d] += start[d - 1];
      }
      if (oneDigit) {
        continue;
      }
      for (int k = 0; k < m; k++) {
        int at = start[(int) ((fromKeys[k] >>> shift) & RADIX_MASK)]++;
        toKeys[at] = fromKeys[k];
        if (fromValues != null) {
          toValues[at] = fromValues[k];
        }
      }
      long[] swapKeys = fromKeys;
      fromKeys = toKeys;
      toKeys = swapKeys;
      int[] swapValues = fromValues;
      fromValues = toValues;
      toValues = swapValues;
    }
    if (fromKeys != keys) {
      System.arraycopy(fromKeys, 0, keys, 0, m);
      if (values != null) {
        System.arraycopy(fromValues, 0, values, 0, m);
      }
    }
  }

  /**
   * Throws when two item ids are equal: sorts (hash code, index) pairs by hash code with the radix
   * sort and compares only the ids whose hash codes are equal.
   */
  private static void requireUniqueIds(String[] ids) {
    int n = ids.length;
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = ((long) ids[i].hashCode() << Integer.SIZE) | i;
    }
    radixSort(keys, null, Integer.SIZE);
    for (int from = 0; from < n; ) {
      long hash = keys[from] >>> Integer.SIZE;
      int to = from + 1;
      while (to < n && keys[to] >>> Integer.SIZE == hash) {
        to++;
      }
      for (int a = from; a < to; a++) {
        for (int b = a + 1; b < to; b++) {
          String id = ids[(int) keys[a]];
          if (id.equals(ids[(int) keys[b]])) {
            throw new IllegalArgumentException("item " + id + " repeats");
          }
        }
      }
      from = to;
    }
  }

  private static void mergeSort(
      int[] a, int[] buffer, int from, int to, double[] scores, String[] ids) {
    if (to - from <= INSERTION_SORT_MAX) {
      for (int i = from + 1; i < to; i++) {
        int x = a[i];
        int j = i - 1;
        while (j >= from && before(x, a[j], scores, ids)) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = x;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, buffer, from, mid, scores, ids);
    mergeSort(a, buffer, mid, to, scores, ids);
    if (!before(a[mid], a[mid - 1], scores, ids)) {
      return;
    }
    System.arraycopy(a, from, buffer, from, to - from);
    int i = from;
    int j = mid;
    for (int k = from; k < to; k++) {
      if (j >= to || (i < mid && !before(buffer[j], buffer[i], scores, ids))) {
        a[k] = buffer[i++];
      } else {
        a[k] = buffer[j++];
      }
    }
  }

  /** Whether item x ranks before item y: higher score, or equal score and smaller id. */
  private static boolean before(int x, int y, double[] scores, String[] ids) {
    int byScore = Double.compare(scores[y], scores[x]);
    return byScore < 0 || (byScore == 0 && ids[x].compareTo(ids[y]) < 0);
  }
}
