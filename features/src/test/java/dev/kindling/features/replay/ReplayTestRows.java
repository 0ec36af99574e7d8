package dev.kindling.features.replay;

import dev.kindling.features.schema.EventsSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Small row builders for the replay tests, each in its production schema; public so that the
 * agents' tests can build a replay day through the features test-jar.
 */
public final class ReplayTestRows {

  /** The {@code explore_prob} every {@link #event} logs. */
  public static final double LOGGED_EXPLORE_PROB = 0.1;

  private ReplayTestRows() {}

  public static Timestamp ts(String isoInstant) {
    return Timestamp.from(Instant.parse(isoInstant));
  }

  /** A logged action: {@code length} weights, 1 at {@code hot}, 0 elsewhere. */
  public static List<Float> oneHotAction(int length, int hot) {
    List<Float> action = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      action.add(i == hot ? 1.0f : 0.0f);
    }
    return action;
  }

  /** An impression's outcome beyond the slot. */
  public record Outcome(boolean clicked, boolean completed, boolean shared, double purchaseAmount) {
    public static final Outcome IGNORED = new Outcome(false, false, false, 0.0);
    public static final Outcome CLICKED = new Outcome(true, false, false, 0.0);
  }

  /**
   * One impression in {@code EventsSchema.SCHEMA}; {@code dt} is the UTC date of {@code
   * isoInstant}, {@code event_id} is {@code requestId/position}.
   */
  public static Row event(
      String userId,
      String requestId,
      String scenario,
      int position,
      String itemId,
      String isoInstant,
      Outcome outcome,
      double propensity,
      List<Float> action) {
    LocalDate day = LocalDate.parse(isoInstant.substring(0, "yyyy-MM-dd".length()));
    return RowFactory.create(
        requestId + "/" + position,
        ts(isoInstant),
        Date.valueOf(day),
        userId,
        itemId,
        scenario,
        requestId,
        position,
        outcome.clicked(),
        outcome.clicked() ? 1000L : null,
        outcome.completed(),
        outcome.shared(),
        outcome.purchaseAmount(),
        false,
        false,
        LOGGED_EXPLORE_PROB,
        propensity,
        action);
  }

  /** {@code event} with its {@code explore_prob} not logged (null). */
  public static Row withoutExploreProb(Row event) {
    Object[] values = new Object[event.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = event.get(i);
    }
    values[EventsSchema.SCHEMA.fieldIndex(EventsSchema.EXPLORE_PROB)] = null;
    return RowFactory.create(values);
  }

  /** One catalog item in {@code ItemsSchema.SCHEMA}. */
  public static Row item(String itemId, String category) {
    return RowFactory.create(
        itemId, "creator-" + itemId, category, ts("2024-01-01T00:00:00Z"), 0.5);
  }

  /** A content state row in {@code ContentStateSchema.SCHEMA}; only {@code is_cold} matters. */
  public static Row contentState(String itemId, String category, LocalDate dt, boolean isCold) {
    return RowFactory.create(
        itemId,
        "creator-" + itemId,
        category,
        Date.valueOf(dt),
        ts("2024-01-01T00:00:00Z"),
        0.5,
        10.0,
        100L,
        10L,
        5L,
        1L,
        0L,
        0.0,
        10L,
        1L,
        0.1,
        0.5,
        0.1,
        0.5,
        0.1,
        1.0,
        false,
        isCold);
  }

  /** A user mind state row in {@code UserMindStateSchema.SCHEMA}. */
  public static Row userState(
      String userId,
      LocalDate dt,
      double exploitation,
      double curiosity,
      double fatigue,
      double satisfaction,
      int breadth,
      double entropy,
      Map<String, Double> affinity,
      int daysActive,
      boolean inProtection) {
    return RowFactory.create(
        userId,
        Date.valueOf(dt),
        10L,
        2L,
        exploitation,
        curiosity,
        fatigue,
        satisfaction,
        breadth,
        entropy,
        affinity,
        List.of(),
        List.of(),
        daysActive,
        100,
        inProtection);
  }
}
