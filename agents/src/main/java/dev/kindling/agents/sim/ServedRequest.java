package dev.kindling.agents.sim;

import java.time.Instant;
import java.util.Arrays;

/**
 * One ranking request a user was already served today, as the platform logged it: the scenario, the
 * time of its first impression, per slot the shown item's category and whether it was clicked, and
 * the serving decision it was ranked with.
 *
 * @param scenario the ranker that served it
 * @param ts the time of its first impression (slot 0)
 * @param categories the category index of the item in each slot, slot order
 * @param clicked whether each slot was clicked, aligned with {@code categories}
 * @param weights the ranking weights it was served with
 * @param exploreProb the exploration probability it was served with
 * @param itemIds the item shown in each slot, aligned with {@code categories}
 * @param completed whether each slot's item was watched to the end, aligned with {@code categories}
 * @param slotMillis when each slot was shown (epoch milliseconds, as logged in its impression's
 *     {@code ts}), aligned with {@code categories}
 */
public record ServedRequest(
    Scenario scenario,
    Instant ts,
    int[] categories,
    boolean[] clicked,
    float[] weights,
    double exploreProb,
    String[] itemIds,
    boolean[] completed,
    long[] slotMillis) {

  public ServedRequest {
    if (categories.length != clicked.length
        || categories.length == 0
        || itemIds.length != categories.length
        || completed.length != categories.length
        || slotMillis.length != categories.length) {
      throw new IllegalArgumentException(
          "a served request needs one category, click flag, item, completion flag and time per"
              + " slot, got "
              + categories.length
              + ", "
              + clicked.length
              + ", "
              + itemIds.length
              + ", "
              + completed.length
              + " and "
              + slotMillis.length);
    }
    categories = categories.clone();
    clicked = clicked.clone();
    weights = weights.clone();
    itemIds = itemIds.clone();
    completed = completed.clone();
    slotMillis = slotMillis.clone();
  }

  @Override
  public String[] itemIds() {
    return itemIds.clone();
  }

  @Override
  public boolean[] completed() {
    return completed.clone();
  }

  @Override
  public long[] slotMillis() {
    return slotMillis.clone();
  }

  @Override
  public int[] categories() {
    return categories.clone();
  }

  @Override
  public boolean[] clicked() {
    return clicked.clone();
  }

  @Override
  public float[] weights() {
    return weights.clone();
  }

  /** Impressions of the request: its slate size. */
  public int impressions() {
    return categories.length;
  }

  /** Clicked slots of the request. */
  public int clicks() {
    int n = 0;
    for (boolean c : clicked) {
      n += c ? 1 : 0;
    }
    return n;
  }

  /** The category of slot {@code slot}. */
  public int category(int slot) {
    return categories[slot];
  }

  /**
   * The request's primary category: the category of its first clicked slot, or of slot 0 when
   * nothing was clicked.
   */
  public int primaryCategory() {
    for (int p = 0; p < clicked.length; p++) {
      if (clicked[p]) {
        return categories[p];
      }
    }
    return categories[0];
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ServedRequest that
        && scenario == that.scenario
        && ts.equals(that.ts)
        && Arrays.equals(categories, that.categories)
        && Arrays.equals(clicked, that.clicked)
        && Arrays.equals(weights, that.weights)
        && Double.compare(exploreProb, that.exploreProb) == 0
        && Arrays.equals(itemIds, that.itemIds)
        && Arrays.equals(completed, that.completed)
        && Arrays.equals(slotMillis, that.slotMillis);
  }

  @Override
  public int hashCode() {
    return 31 * ts.hashCode() + Arrays.hashCode(categories) + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "ServedRequest[scenario="
        + scenario
        + ", ts="
        + ts
        + ", categories="
        + Arrays.toString(categories)
        + ", clicked="
        + Arrays.toString(clicked)
        + ", weights="
        + Arrays.toString(weights)
        + ", exploreProb="
        + exploreProb
        + ", itemIds="
        + Arrays.toString(itemIds)
        + "]";
  }
}
