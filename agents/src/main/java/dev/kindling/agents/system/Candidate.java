package dev.kindling.agents.system;

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
}
