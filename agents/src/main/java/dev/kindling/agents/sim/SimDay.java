package dev.kindling.agents.sim;

import java.time.LocalDate;
import java.util.List;

/**
 * What one simulated day produced, besides the impressions streamed to the sink.
 *
 * @param day the simulated day
 * @param impressions impressions streamed to the sink
 * @param requests ranking requests served
 * @param clicks clicked impressions
 * @param heatedImpressions impressions from heated slots
 * @param activeUsers users who had a session
 * @param publishedItems items published this day
 * @param signedUpUsers users who signed up this day
 */
public record SimDay(
    LocalDate day,
    long impressions,
    long requests,
    long clicks,
    long heatedImpressions,
    int activeUsers,
    List<SimItem> publishedItems,
    List<SimUser> signedUpUsers) {

  public SimDay {
    publishedItems = List.copyOf(publishedItems);
    signedUpUsers = List.copyOf(signedUpUsers);
  }
}
