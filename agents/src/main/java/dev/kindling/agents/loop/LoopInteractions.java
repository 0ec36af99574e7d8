package dev.kindling.agents.loop;

import dev.kindling.agents.serving.SequenceInputs;
import dev.kindling.agents.sim.RequestContext;
import dev.kindling.agents.sim.ServedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user's interactions before a request in the closed loop, as the replay's encoder columns read
 * them ({@code EncoderReplay}): every impression of the earlier days of the encoder's window (from
 * the logs) and of the day so far (the request's {@link RequestContext#earlierToday()}), newest
 * first, each with its click, completion and age in hours back from the request. Ties in time are
 * broken by slot position as the replay does (of one request's impressions, the lower position
 * counts as seen first).
 *
 * <p>Immutable and thread-safe. Memory: the earlier days' impressions of every user, three arrays
 * per user.
 */
public final class LoopInteractions {

  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  private final Map<String, History> earlierDays;

  /**
   * Interactions over {@code earlierDays}: per user ID the impressions of the window's days before
   * the served day; a user not in it has none.
   */
  public LoopInteractions(Map<String, History> earlierDays) {
    this.earlierDays = Map.copyOf(earlierDays);
  }

  /**
   * One user's impressions of earlier days, oldest first (ascending by time, then slot position).
   *
   * @param tsMillis when each was shown (epoch milliseconds)
   * @param itemIds the item shown
   * @param clicked whether it was clicked
   * @param completed whether it was watched to the end
   */
  public record History(long[] tsMillis, String[] itemIds, boolean[] clicked, boolean[] completed) {

    /** Checks the arrays line up and copies them. */
    public History {
      Objects.requireNonNull(tsMillis, "tsMillis");
      if (itemIds.length != tsMillis.length
          || clicked.length != tsMillis.length
          || completed.length != tsMillis.length) {
        throw new IllegalArgumentException(
            "a history needs one time, item, click and completion flag per impression");
      }
      tsMillis = tsMillis.clone();
      itemIds = itemIds.clone();
      clicked = clicked.clone();
      completed = completed.clone();
    }

    /** The number of impressions. */
    public int size() {
      return tsMillis.length;
    }
  }

  /** The user's interactions before {@code context}'s request, newest first. */
  public List<SequenceInputs.Interaction> before(RequestContext context) {
    long at = context.requestTs().toEpochMilli();
    List<SequenceInputs.Interaction> newestFirst = new ArrayList<>();
    List<ServedRequest> today = context.earlierToday();
    for (int r = today.size() - 1; r >= 0; r--) {
      ServedRequest served = today.get(r);
      String[] items = served.itemIds();
      boolean[] clicked = served.clicked();
      boolean[] completed = served.completed();
      long[] millis = served.slotMillis();
      for (int p = items.length - 1; p >= 0; p--) {
        if (millis[p] < at) {
          newestFirst.add(
              new SequenceInputs.Interaction(
                  items[p], clicked[p], completed[p], (at - millis[p]) / MILLIS_PER_HOUR));
        }
      }
    }
    History history = earlierDays.get(context.userId());
    if (history != null) {
      for (int i = history.size() - 1; i >= 0; i--) {
        long ts = history.tsMillis[i];
        if (ts < at) {
          newestFirst.add(
              new SequenceInputs.Interaction(
                  history.itemIds[i],
                  history.clicked[i],
                  history.completed[i],
                  (at - ts) / MILLIS_PER_HOUR));
        }
      }
    }
    return newestFirst;
  }
}
