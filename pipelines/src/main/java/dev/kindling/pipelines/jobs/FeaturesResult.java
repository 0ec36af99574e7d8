package dev.kindling.pipelines.jobs;

import java.time.LocalDate;

/**
 * What one {@link FeaturesJob} run wrote.
 *
 * @param users rows written to {@code user_mind_state} (the users active on the run date)
 * @param items rows written to {@code content_state} (the live items on the run date)
 * @param carriedContentStateFrom date of the content state carried over, or null if none
 */
public record FeaturesResult(
    LocalDate runDate,
    long users,
    long items,
    LocalDate carriedContentStateFrom,
    long userStateVersion,
    long contentStateVersion) {

  @Override
  public String toString() {
    return String.format(
        "features %s: %d users in user_mind_state, %d items in content_state (content state"
            + " carried from %s)",
        runDate,
        users,
        items,
        carriedContentStateFrom == null ? "nothing" : carriedContentStateFrom);
  }
}
