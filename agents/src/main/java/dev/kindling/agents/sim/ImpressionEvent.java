package dev.kindling.agents.sim;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * One logged impression, field for field the {@code raw/events} contract.
 *
 * @param eventId unique per impression: the request ID and the position
 * @param ts event time, UTC
 * @param dt the UTC date of {@code ts}
 * @param userId the user
 * @param itemId the item shown
 * @param scenario the ranker that served it
 * @param requestId the ranking request (slate)
 * @param position 0-based slot
 * @param clicked whether the user clicked
 * @param dwellMs time spent after a click; null without a click
 * @param completed whether the user finished the item
 * @param shared whether the user shared it
 * @param purchaseAmount GMV of this impression, 0 if none
 * @param heated whether the slot came from heating
 * @param explore whether the logging policy explored for this request
 * @param exploreProb the logging policy's exploration probability for this request
 * @param propensity probability that the logging process put this item in this slot
 * @param action the ranking weights used for this request, in {@link RankingFeatures} order
 */
public record ImpressionEvent(
    String eventId,
    Instant ts,
    LocalDate dt,
    String userId,
    String itemId,
    String scenario,
    String requestId,
    int position,
    boolean clicked,
    Long dwellMs,
    Boolean completed,
    Boolean shared,
    Double purchaseAmount,
    boolean heated,
    Boolean explore,
    Double exploreProb,
    Double propensity,
    float[] action) {

  public ImpressionEvent {
    if (!dt.equals(LocalDate.ofInstant(ts, ZoneOffset.UTC))) {
      throw new IllegalArgumentException(
          "event " + eventId + " has dt " + dt + " but ts " + ts + " falls on another UTC date");
    }
    action = action == null ? null : action.clone();
  }

  @Override
  public float[] action() {
    return action == null ? null : action.clone();
  }

  /** This impression's row, matching {@code EventsSchema.SCHEMA}. */
  public Row toRow() {
    return RowFactory.create(
        eventId,
        Timestamp.from(ts),
        Date.valueOf(dt),
        userId,
        itemId,
        scenario,
        requestId,
        position,
        clicked,
        dwellMs,
        completed,
        shared,
        purchaseAmount,
        heated,
        explore,
        exploreProb,
        propensity,
        action == null ? null : action.clone());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImpressionEvent that
        && eventId.equals(that.eventId)
        && ts.equals(that.ts)
        && dt.equals(that.dt)
        && userId.equals(that.userId)
        && itemId.equals(that.itemId)
        && scenario.equals(that.scenario)
        && requestId.equals(that.requestId)
        && position == that.position
        && clicked == that.clicked
        && Objects.equals(dwellMs, that.dwellMs)
        && Objects.equals(completed, that.completed)
        && Objects.equals(shared, that.shared)
        && Objects.equals(purchaseAmount, that.purchaseAmount)
        && heated == that.heated
        && Objects.equals(explore, that.explore)
        && Objects.equals(exploreProb, that.exploreProb)
        && Objects.equals(propensity, that.propensity)
        && Arrays.equals(action, that.action);
  }

  @Override
  public int hashCode() {
    return Objects.hash(eventId, ts, itemId, propensity) * 31 + Arrays.hashCode(action);
  }

  @Override
  public String toString() {
    return "ImpressionEvent[eventId="
        + eventId
        + ", ts="
        + ts
        + ", dt="
        + dt
        + ", userId="
        + userId
        + ", itemId="
        + itemId
        + ", scenario="
        + scenario
        + ", requestId="
        + requestId
        + ", position="
        + position
        + ", clicked="
        + clicked
        + ", dwellMs="
        + dwellMs
        + ", completed="
        + completed
        + ", shared="
        + shared
        + ", purchaseAmount="
        + purchaseAmount
        + ", heated="
        + heated
        + ", explore="
        + explore
        + ", exploreProb="
        + exploreProb
        + ", propensity="
        + propensity
        + ", action="
        + Arrays.toString(action)
        + "]";
  }
}
