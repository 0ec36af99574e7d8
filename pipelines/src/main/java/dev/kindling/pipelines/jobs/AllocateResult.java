package dev.kindling.pipelines.jobs;

import dev.kindling.agents.system.BusinessWeights;
import java.time.LocalDate;
import java.util.Locale;

/**
 * What one {@link AllocateJob} run did.
 *
 * @param runDate D
 * @param items scored items of D (rows of {@code heating_quotas})
 * @param eligible items that were not fraud-zeroed
 * @param floored eligible items that got the floor
 * @param forecastTraffic the traffic forecast for D + 1
 * @param pool min(budget pool, floor(heating cap × forecast traffic))
 * @param granted heated impressions granted in total
 * @param weights the business weights used
 * @param weightSource config, controller or outside
 * @param fallbackReason why an outside answer was not used, or null
 * @param quotasVersion the Delta version of {@code heating_quotas} after the write
 * @param quotaFile the compact quota file written
 * @param quotaFileEntries entries in it (items with quota > 0)
 * @param seconds wall-clock seconds of the run
 */
public record AllocateResult(
    LocalDate runDate,
    long items,
    long eligible,
    long floored,
    long forecastTraffic,
    long pool,
    long granted,
    BusinessWeights weights,
    String weightSource,
    String fallbackReason,
    long quotasVersion,
    String quotaFile,
    long quotaFileEntries,
    double seconds) {

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "allocate %s: %d of pool %d heated impressions (forecast traffic %d) over %d items (%d"
            + " eligible, %d floored); weights %s from %s%s; heating_quotas version %d; %d"
            + " quotas in %s; %.1f s",
        runDate,
        granted,
        pool,
        forecastTraffic,
        items,
        eligible,
        floored,
        weights,
        weightSource,
        fallbackReason == null ? "" : " (outside answer not used: " + fallbackReason + ")",
        quotasVersion,
        quotaFileEntries,
        quotaFile,
        seconds);
  }
}
