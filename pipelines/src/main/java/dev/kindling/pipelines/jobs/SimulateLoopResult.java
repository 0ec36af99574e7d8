package dev.kindling.pipelines.jobs;

import dev.kindling.features.metrics.DailyMetrics;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@link SimulateLoopJob} run did.
 *
 * @param arm the arm's name (its policy's unless {@code simulate-loop.arm} names it)
 * @param seed the world's seed
 * @param armRoot the arm's world lakehouse
 * @param firstLoopDate the first day served by the arm's policy
 * @param lastDate the last loop day
 * @param loopImpressions impressions of the loop days
 * @param daily the metrics of every loop day, in order (each also in {@code evaluation})
 * @param means per summary metric ({@link SimulateLoopJob#SUMMARY_METRICS}), the mean of its
 *     non-null daily values over the loop days; null when every day's is null
 * @param servedBy for the kindling arm, per loop day the run date of the artifact that served it;
 *     empty for the other arms
 * @param seconds wall time of the run
 */
public record SimulateLoopResult(
    String arm,
    long seed,
    String armRoot,
    LocalDate firstLoopDate,
    LocalDate lastDate,
    long loopImpressions,
    List<DailyMetrics> daily,
    Map<String, Double> means,
    Map<LocalDate, String> servedBy,
    double seconds) {

  public SimulateLoopResult {
    daily = List.copyOf(daily);
    means = Collections.unmodifiableMap(new LinkedHashMap<>(means));
    servedBy = Map.copyOf(servedBy);
  }

  @Override
  public String toString() {
    StringBuilder out =
        new StringBuilder(
            String.format(
                "simulate-loop %s seed %d, loop days %s..%s: %d impressions in %.1f s%n",
                arm, seed, firstLoopDate, lastDate, loopImpressions, seconds));
    out.append("  mean over the loop days:\n");
    means.forEach(
        (metric, value) ->
            out.append(
                String.format(
                    "    %-24s %s%n",
                    metric, value == null ? "null" : String.format("%.4f", value))));
    out.append("  arm lakehouse: ").append(armRoot);
    return out.toString();
  }
}
