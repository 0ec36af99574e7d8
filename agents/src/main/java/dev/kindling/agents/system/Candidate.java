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
   * @param scores their heating bids
   * @param fraudZeroed whether each is fraud-zeroed
   * @param eligible whether each may be heated at all
   */
  public record Columns(
      String[] itemIds,
      String[] creatorIds,
      double[] scores,
      boolean[] fraudZeroed,
      boolean[] eligible) {

    /** Checks that every column has the same length and that no id is null. */
    public Columns {
      int n = itemIds.length;
      if (creatorIds.length != n
          || scores.length != n
          || fraudZeroed.length != n
          || eligible.length != n) {
        throw new IllegalArgumentException("candidate columns differ in length");
      }
      for (int i = 0; i < n; i++) {
        Objects.requireNonNull(itemIds[i], "itemId");
        Objects.requireNonNull(creatorIds[i], "creatorId");
      }
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
      return new Columns(itemIds, creatorIds, scores, fraudZeroed, eligible);
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
