package dev.kindling.pipelines.jobs;

import java.util.List;

/**
 * What {@code nightly --demo} did.
 *
 * @param simulated the simulation run, or null when the demo logs were already there
 * @param nights one nightly run per simulated day, in order
 * @param lastDayExposureGini Gini of lifetime item exposure over the last day's content_state
 */
public record DemoResult(
    SimulateResult simulated, List<NightlyResult> nights, double lastDayExposureGini) {

  public DemoResult {
    nights = List.copyOf(nights);
  }
}
