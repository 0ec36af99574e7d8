package dev.kindling.agents.sim;

import java.time.LocalDate;
import java.util.List;

/**
 * Decides, once per simulated day, which items are heated (given boosted feed slots) and how much.
 * The default is {@link ManualHeatingPolicy}; heating quotas from the system agent plug in here.
 */
@FunctionalInterface
public interface HeatingPolicy {

  /**
   * The heating plan for {@code day}.
   *
   * @param day the day being simulated
   * @param items every item published so far (including today's), in index order
   * @param stats the platform's cumulative counters per item up to the end of the previous day,
   *     aligned with {@code items}
   * @param seed a seed derived from the simulator's seed and the day, for policies that sample
   */
  HeatingPlan plan(LocalDate day, List<SimItem> items, List<ItemStats> stats, long seed);
}
