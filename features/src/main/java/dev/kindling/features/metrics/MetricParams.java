package dev.kindling.features.metrics;

import dev.kindling.features.ParamChecks;

/**
 * Every constant of the evaluation metrics, validated when built: a value outside its range fails
 * with a message naming the field, the bad value and the allowed range.
 *
 * @param newContentHours an item is new content while younger than this many hours at impression
 *     time (new-content CTR)
 * @param coldStartHours the span after publication in which a cold item has to earn its engagements
 *     (cold-start success)
 * @param coldStartEngagements k: true engagements (completions + shares + purchases) a cold item
 *     needs within {@code coldStartHours} to count as a success
 * @param coldStartWindowDays items published in the days D − coldStartWindowDays + 1 .. D whose
 *     {@code coldStartHours} ended by the end of D form the cold-start cohort of D
 * @param headExposureShare the head is the smallest set of most-exposed items holding at least this
 *     share of the reference exposure; every other item is long tail
 * @param topExposureFraction the fraction of the catalog whose exposure share the top-exposure
 *     metric reports (0.01: top 1%)
 * @param popularityWindowDays the reference of item popularity is the impressions of the days D −
 *     popularityWindowDays .. D − 1 (average popularity, long-tail share, novelty)
 * @param interestWindowDays interest breadth reads the clicks of the days D − interestWindowDays +
 *     1 .. D
 * @param heatingCostPerImpression cost of one heated impression, in the platform's cost unit
 */
public record MetricParams(
    int newContentHours,
    int coldStartHours,
    long coldStartEngagements,
    int coldStartWindowDays,
    double headExposureShare,
    double topExposureFraction,
    int popularityWindowDays,
    int interestWindowDays,
    double heatingCostPerImpression) {

  public static final int DEFAULT_NEW_CONTENT_HOURS = 72;
  public static final int DEFAULT_COLD_START_HOURS = 72;
  public static final long DEFAULT_COLD_START_ENGAGEMENTS = 5L;
  public static final int DEFAULT_COLD_START_WINDOW_DAYS = 7;
  public static final double DEFAULT_HEAD_EXPOSURE_SHARE = 0.8;
  public static final double DEFAULT_TOP_EXPOSURE_FRACTION = 0.01;
  public static final int DEFAULT_POPULARITY_WINDOW_DAYS = 7;
  public static final int DEFAULT_INTEREST_WINDOW_DAYS = 7;
  public static final double DEFAULT_HEATING_COST_PER_IMPRESSION = 1.0;

  /** Hours in a day, to relate the hour spans to the day windows. */
  public static final int HOURS_PER_DAY = 24;

  /** Longest window accepted, in days: ten years. */
  public static final int MAX_DAYS = 3650;

  /** Largest cost or count accepted. */
  public static final double MAX_VALUE = 1e12;

  /** Validates every field, and that the cold-start span fits inside the cold-start window. */
  public MetricParams {
    requireInRange("newContentHours", newContentHours, 1, true, MAX_DAYS * HOURS_PER_DAY);
    requireInRange("coldStartWindowDays", coldStartWindowDays, 1, true, MAX_DAYS);
    requireInRange(
        "coldStartHours", coldStartHours, 1, true, (double) coldStartWindowDays * HOURS_PER_DAY);
    requireInRange("coldStartEngagements", coldStartEngagements, 1, true, MAX_VALUE);
    requireInRange("headExposureShare", headExposureShare, 0, false, 1);
    requireInRange("topExposureFraction", topExposureFraction, 0, false, 1);
    requireInRange("popularityWindowDays", popularityWindowDays, 1, true, MAX_DAYS);
    requireInRange("interestWindowDays", interestWindowDays, 1, true, MAX_DAYS);
    requireInRange("heatingCostPerImpression", heatingCostPerImpression, 0, true, MAX_VALUE);
  }

  /** The defaults, every field at its {@code DEFAULT_*} value. */
  public static MetricParams defaults() {
    return new MetricParams(
        DEFAULT_NEW_CONTENT_HOURS,
        DEFAULT_COLD_START_HOURS,
        DEFAULT_COLD_START_ENGAGEMENTS,
        DEFAULT_COLD_START_WINDOW_DAYS,
        DEFAULT_HEAD_EXPOSURE_SHARE,
        DEFAULT_TOP_EXPOSURE_FRACTION,
        DEFAULT_POPULARITY_WINDOW_DAYS,
        DEFAULT_INTEREST_WINDOW_DAYS,
        DEFAULT_HEATING_COST_PER_IMPRESSION);
  }

  /**
   * Days before D whose events the daily metrics read: the input of {@link DailyMetrics#compute}
   * must hold the days D − lookbackDays() .. D, and D + 1 for next-day retention.
   */
  public int lookbackDays() {
    return Math.max(
        popularityWindowDays, Math.max(interestWindowDays, coldStartWindowDays) - 1 /* D itself */);
  }

  /**
   * Fails unless {@code value} lies in the range (upper bound inclusive); the one place that words
   * a bad parameter.
   *
   * @throws IllegalArgumentException naming the field, the bad value and the allowed range
   */
  private static void requireInRange(
      String field, double value, double min, boolean minInclusive, double max) {
    ParamChecks.requireInRange("Metric parameter", field, value, min, minInclusive, max, true);
  }
}
