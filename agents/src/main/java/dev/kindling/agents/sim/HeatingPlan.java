package dev.kindling.agents.sim;

import java.util.List;

/**
 * One day's heating: with probability {@code requestProbability} a feed request gives one slot,
 * chosen uniformly among the slate's positions, to an item drawn from {@code items} with
 * probability proportional to its weight. Heated items are left out of the organic feed candidates
 * that day so the two routes to a feed slot never collide.
 *
 * @param requestProbability probability that a feed request carries a heated slot, in [0, 1)
 * @param items the heating pool; empty means no heating
 */
public record HeatingPlan(double requestProbability, List<HeatedItem> items) {

  /** A plan that heats nothing. */
  public static final HeatingPlan NONE = new HeatingPlan(0.0, List.of());

  public HeatingPlan {
    if (!(requestProbability >= 0 && requestProbability < 1)) {
      throw new IllegalArgumentException(
          "heating requestProbability must be in [0, 1) so organic slots keep a positive"
              + " propensity, got "
              + requestProbability);
    }
    items = List.copyOf(items);
  }

  /**
   * One item of the heating pool.
   *
   * @param itemId the item
   * @param weight relative share of heated slots, positive and finite
   */
  public record HeatedItem(String itemId, double weight) {

    public HeatedItem {
      if (!(weight > 0 && Double.isFinite(weight))) {
        throw new IllegalArgumentException(
            "heating weight of item " + itemId + " must be positive and finite, got " + weight);
      }
    }
  }
}
