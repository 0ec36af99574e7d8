/**
 * The evaluation metrics: exposure concentration and popularity bias ({@link
 * dev.kindling.features.metrics.ExposureMetrics}), engagement, cold start and cost ({@link
 * dev.kindling.features.metrics.EngagementMetrics}), diversity, interest breadth and retention
 * ({@link dev.kindling.features.metrics.UserMetrics}), and all of them for one day and policy
 * ({@link dev.kindling.features.metrics.DailyMetrics}, a row of {@link
 * dev.kindling.features.schema.DailyMetricsSchema}), with their constants in {@link
 * dev.kindling.features.metrics.MetricParams}. Pure functions of {@code validated_events} and
 * {@code raw/items}; each formula and its source is in its Javadoc. No paths, no writes.
 */
package dev.kindling.features.metrics;
