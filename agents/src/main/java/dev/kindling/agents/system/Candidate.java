package dev.kindling.agents.system;

import java.util.List;
import java.util.Objects;

/**
 * One item that may be heated: a row of the content agent's {@code cold_start_scores}.
 *
 * @param itemId the item, unique among the candidates
 * @param creatorId its creator, the unit of the per-creator cap
 * @param score the content agent's heating bid: finite and ≥ 0 unless fraud-zeroed
 * @param fraudZeroed the item is over the fraud threshold and gets nothing
 * @param eligible the item may be heated at all (a new item in its cold-start window); an
 *     ineligible item gets nothing
 */
public record Candidate(
    String itemId, String creatorId, double score, boolean fraudZeroed, boolean eligible) {

  private static final int GOLDEN_RATIO_32 = 0x9E3779B9;

  /** Checks the ids; the score is checked by the allocator, which knows whether it matters. */
  public Candidate {
    Objects.requireNonNull(itemId, "itemId");
    Objects.requireNonNull(creatorId, "creatorId");
  }

  /**
   * Candidates as parallel columns, candidate i at index i of every array: what {@link
   * QuotaAllocator} works on, without one object per candidate. The arrays are handed over, not
   * copied: nobody may change them afterwards.
   *
   * @param itemIds the items, unique, none null
   * @param creatorIds their creators, none null
   * @param creatorNumbers the creators numbered from 0 (see {@link #numberCreators}): equal numbers
   *     for equal creator ids and only for those; the allocator caps creators by number
   * @param scores their heating bids
   * @param fraudZeroed whether each is fraud-zeroed
   * @param eligible whether each may be heated at all
   */
  public record Columns(
      String[] itemIds,
      String[] creatorIds,
      int[] creatorNumbers,
      double[] scores,
      boolean[] fraudZeroed,
      boolean[] eligible) {

    /**
     * Checks that every column has the same length, that no id is null and no creator number is
     * negative; that the numbers match the creator ids is the caller's to keep (checking it would
     * cost what numbering costs).
     */
    public Columns {
      int n = itemIds.length;
      if (creatorIds.length != n
          || creatorNumbers.length != n
          || scores.length != n
          || fraudZeroed.length != n
          || eligible.length != n) {
        throw new IllegalArgumentException("candidate columns differ in length");
      }
      for (int i = 0; i < n; i++) {
        Objects.requireNonNull(itemIds[i], "itemId");
        Objects.requireNonNull(creatorIds[i], "creatorId");
        if (creatorNumbers[i] < 0) {
          throw new IllegalArgumentException("creator numbers must be >= 0");
        }
      }
    }

    /**
     * Numbers {@code creatorIds} by first appearance from 0: equal ids get equal numbers. An
     * open-addressing table, no boxing; O(n).
     */
    public static int[] numberCreators(String[] creatorIds) {
      int n = creatorIds.length;
      int bits = Math.max(4, Integer.SIZE - Integer.numberOfLeadingZeros(2 * n));
      int[] slots = new int[1 << bits];
      int[] slotHashes = new int[1 << bits];
      int mask = slots.length - 1;
      int[] numbers = new int[n];
      int distinct = 0;
      for (int i = 0; i < n; i++) {
        String id = creatorIds[i];
        int hash = id.hashCode();
        int slot = (hash * GOLDEN_RATIO_32) >>> (Integer.SIZE - bits);
        while (true) {
          int held = slots[slot];
          if (held == 0) {
            slots[slot] = i + 1;
            slotHashes[slot] = hash;
            numbers[i] = distinct++;
            break;
          }
          if (slotHashes[slot] == hash
              && (creatorIds[held - 1] == id || creatorIds[held - 1].equals(id))) {
            numbers[i] = numbers[held - 1];
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
      return numbers;
    }

    /** The columns of {@code candidates}, in their order. */
    public static Columns of(List<Candidate> candidates) {
      int n = candidates.size();
      String[] itemIds = new String[n];
      String[] creatorIds = new String[n];
      double[] scores = new double[n];
      boolean[] fraudZeroed = new boolean[n];
      boolean[] eligible = new boolean[n];
      for (int i = 0; i < n; i++) {
        Candidate c = candidates.get(i);
        itemIds[i] = c.itemId();
        creatorIds[i] = c.creatorId();
        scores[i] = c.score();
        fraudZeroed[i] = c.fraudZeroed();
        eligible[i] = c.eligible();
      }
      return new Columns(
          itemIds, creatorIds, numberCreators(creatorIds), scores, fraudZeroed, eligible);
    }

    /** The number of candidates. */
    public int size() {
      return itemIds.length;
    }

    /** Candidate {@code i} as a record. */
    public Candidate get(int i) {
      return new Candidate(itemIds[i], creatorIds[i], scores[i], fraudZeroed[i], eligible[i]);
    }
  }
}
