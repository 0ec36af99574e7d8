package dev.kindling.pipelines.jobs;

import java.time.LocalDate;

/**
 * What one {@link SimulateJob} run wrote to {@code raw/*}.
 *
 * @param impressions rows written to {@code raw/events} over all days
 * @param users rows in {@code raw/users} (every user signed up by the last day)
 * @param items rows in {@code raw/items} (every item published by the last day)
 * @param seconds wall time of the run
 */
public record SimulateResult(
    LocalDate firstDate,
    LocalDate lastDate,
    long impressions,
    long clicks,
    long users,
    long items,
    double seconds) {

  @Override
  public String toString() {
    return String.format(
        "simulate %s..%s: %d impressions, %d clicks, %d users, %d items in %.1f s",
        firstDate, lastDate, impressions, clicks, users, items, seconds);
  }
}
