package dev.kindling.pipelines.jobs;

import java.util.List;

/**
 * What {@code nightly --demo} did.
 *
 * @param simulated the simulation run, or null when the demo logs were already there
 * @param nights one nightly run per simulated day, in order
 * @param lastDayExposureGini Gini of lifetime item exposure over the last day's content_state
 * @param report the evaluation report written at the end, or null when no stage has written the
 *     evaluation table yet
 */
public record DemoResult(
    SimulateResult simulated,
    List<NightlyResult> nights,
    double lastDayExposureGini,
    ReportResult report) {

  public DemoResult {
    nights = List.copyOf(nights);
  }
}
