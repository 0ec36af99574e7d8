package dev.kindling.pipelines.jobs;

import java.time.LocalDate;

/**
 * What one {@link ScoreColdStartJob} run wrote.
 *
 * @param coldItems rows written to {@code cold_start_scores}: the cold items of the run date
 * @param fraudZeroed of those, the items over a fraud threshold (score 0)
 * @param transitions item-day transitions in the window the learner saw
 * @param learner {@code random-forest}, or {@code category-prior} when there were too few
 *     transitions
 * @param modelPath where the fitted forest was saved, or null for the prior
 * @param version the Delta version of {@code cold_start_scores} after the write
 */
public record ScoreColdStartResult(
    LocalDate runDate,
    long coldItems,
    long fraudZeroed,
    long transitions,
    String learner,
    String modelPath,
    long version) {

  @Override
  public String toString() {
    return String.format(
        "score-cold-start %s: %d cold items in cold_start_scores, %d fraud-zeroed; value from %s"
            + " over %d transitions%s",
        runDate,
        coldItems,
        fraudZeroed,
        learner,
        transitions,
        modelPath == null ? "" : " (model " + modelPath + ")");
  }
}
