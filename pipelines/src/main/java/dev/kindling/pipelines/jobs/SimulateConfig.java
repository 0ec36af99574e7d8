package dev.kindling.pipelines.jobs;

import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_CATEGORIES;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_CLICKBAIT_SHARE;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_CREATORS;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_CREATOR_ZIPF;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_DAYS;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_DETAIL_SLATE;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_EXPLORATION_RATE;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_FEED_SLATE;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_HEATING_REQUEST_PROB;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_HEATING_SHARE;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_INTEREST_CONCENTRATION;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_ITEMS;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_NEW_ITEMS_PER_DAY;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_NEW_USERS_PER_DAY;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_PROTECTION_DAYS;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_SEARCH_SLATE;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_SEED;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_START_DATE;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_THREADS;
import static dev.kindling.pipelines.config.ConfigKeys.SIMULATE_USERS;

import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What {@link SimulateJob} needs: the lakehouse, how many days to serve from the simulator's start
 * date, and the simulated world.
 */
public record SimulateConfig(String lakehouseRoot, int days, SimulatorConfig simulator) {

  public SimulateConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(simulator, "simulator");
    if (days < 1) {
      throw new IllegalArgumentException("days must be at least 1, got " + days);
    }
  }

  /** The first simulated day. */
  public LocalDate startDate() {
    return simulator.startDate();
  }

  /** The last simulated day. */
  public LocalDate lastDate() {
    return simulator.startDate().plusDays(days - 1L);
  }

  public static SimulateConfig from(KindlingConfig config) {
    SimulatorConfig simulator;
    try {
      simulator =
          new SimulatorConfig(
              config.get(SIMULATE_START_DATE),
              config.get(SIMULATE_SEED),
              config.get(SIMULATE_USERS),
              config.get(SIMULATE_NEW_USERS_PER_DAY),
              config.get(SIMULATE_ITEMS),
              config.get(SIMULATE_NEW_ITEMS_PER_DAY),
              config.get(SIMULATE_CATEGORIES),
              config.get(SIMULATE_CREATORS),
              config.get(SIMULATE_CREATOR_ZIPF),
              config.get(SIMULATE_INTEREST_CONCENTRATION),
              config.get(SIMULATE_FEED_SLATE),
              config.get(SIMULATE_SEARCH_SLATE),
              config.get(SIMULATE_DETAIL_SLATE),
              config.get(SIMULATE_CLICKBAIT_SHARE),
              config.get(SIMULATE_HEATING_SHARE),
              config.get(SIMULATE_HEATING_REQUEST_PROB),
              config.get(SIMULATE_EXPLORATION_RATE),
              config.get(SIMULATE_PROTECTION_DAYS),
              config.get(SIMULATE_THREADS));
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Invalid simulate configuration: " + e.getMessage() + ".",
          "The simulate.* keys must describe a consistent world.",
          "Fix the keys under 'simulate' (bin/kindling config lists them).");
    }
    return new SimulateConfig(
        config.get(ConfigKeys.LAKEHOUSE_ROOT), config.get(SIMULATE_DAYS), simulator);
  }
}
