package dev.kindling.agents.sim;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What a serving policy sees of one ranking request: the scenario and the platform-observable state
 * of the user (never the user's latent interests or mind state).
 *
 * @param scenario the ranker being asked
 * @param userId the user's ID
 * @param daysSinceSignup whole UTC days from sign-up to the request's day, 0 on the sign-up day
 * @param recentClickedItemIds the user's most recent clicks, oldest first, at most {@link
 *     Simulator#RECENT_CLICKS_KEPT}
 * @param observedCategoryAffinity the user's click counts per category index (decayed across days),
 *     length = number of categories
 * @param fatigueProxy consecutive impressions of one category the platform showed the user last, a
 *     platform-side proxy for fatigue
 * @param requestsToday ranking requests the user already made today
 * @param requestId the request's ID, as logged in {@code request_id}
 * @param requestTs the time of the request's first impression
 * @param earlierToday the requests the user was already served today, oldest first ({@code
 *     requestsToday} of them), with their slates, clicks and decisions
 */
public record RequestContext(
    Scenario scenario,
    String userId,
    int daysSinceSignup,
    List<String> recentClickedItemIds,
    float[] observedCategoryAffinity,
    int fatigueProxy,
    int requestsToday,
    String requestId,
    Instant requestTs,
    List<ServedRequest> earlierToday) {

  public RequestContext {
    recentClickedItemIds = List.copyOf(recentClickedItemIds);
    observedCategoryAffinity = observedCategoryAffinity.clone();
    earlierToday = List.copyOf(earlierToday);
    if (earlierToday.size() != requestsToday) {
      throw new IllegalArgumentException(
          "requestsToday ("
              + requestsToday
              + ") must count the earlier requests of the day ("
              + earlierToday.size()
              + ")");
    }
  }

  @Override
  public float[] observedCategoryAffinity() {
    return observedCategoryAffinity.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RequestContext that
        && scenario == that.scenario
        && userId.equals(that.userId)
        && daysSinceSignup == that.daysSinceSignup
        && recentClickedItemIds.equals(that.recentClickedItemIds)
        && Arrays.equals(observedCategoryAffinity, that.observedCategoryAffinity)
        && fatigueProxy == that.fatigueProxy
        && requestsToday == that.requestsToday
        && requestId.equals(that.requestId)
        && requestTs.equals(that.requestTs)
        && earlierToday.equals(that.earlierToday);
  }

  @Override
  public int hashCode() {
    return 31 * userId.hashCode() + Arrays.hashCode(observedCategoryAffinity) + requestsToday;
  }

  @Override
  public String toString() {
    return "RequestContext[scenario="
        + scenario
        + ", userId="
        + userId
        + ", daysSinceSignup="
        + daysSinceSignup
        + ", recentClickedItemIds="
        + recentClickedItemIds
        + ", observedCategoryAffinity="
        + Arrays.toString(observedCategoryAffinity)
        + ", fatigueProxy="
        + fatigueProxy
        + ", requestsToday="
        + requestsToday
        + ", requestId="
        + requestId
        + ", requestTs="
        + requestTs
        + ", earlierToday="
        + earlierToday
        + "]";
  }
}
