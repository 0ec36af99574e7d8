package dev.kindling.pipelines.report;

import dev.kindling.features.schema.EvaluationSchema;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One row of the {@code evaluation} table ({@link EvaluationSchema}) held in driver memory; the
 * nullable columns are null here too.
 *
 * @param dt the day the figure describes
 * @param run the writer, {@link EvaluationSchema#RUN_EVALUATE} or {@link
 *     EvaluationSchema#RUN_SIMULATE_LOOP}
 * @param seed the closed loop's seed; null for the evaluate stage
 * @param policy the policy the figure is about
 * @param kind metric, off_policy, gate or curve
 * @param metric the figure's name
 * @param estimator how the value was obtained; null for gate and curve rows
 * @param value the figure; null when its population is empty
 * @param lower lower end of the interval, or null
 * @param upper upper end of the interval, or null
 * @param n rows behind the figure, or null
 * @param point the point's index along a curve, or null
 * @param detail free text, or null
 */
public record EvaluationRow(
    LocalDate dt,
    String run,
    Long seed,
    String policy,
    String kind,
    String metric,
    String estimator,
    Double value,
    Double lower,
    Double upper,
    Long n,
    Integer point,
    String detail) {

  /** Checks the columns the schema declares non-nullable. */
  public EvaluationRow {
    Objects.requireNonNull(dt, EvaluationSchema.DT);
    Objects.requireNonNull(run, EvaluationSchema.RUN);
    Objects.requireNonNull(policy, EvaluationSchema.POLICY);
    Objects.requireNonNull(kind, EvaluationSchema.KIND);
    Objects.requireNonNull(metric, EvaluationSchema.METRIC);
  }

  /** A closed-loop metric row: {@code run = 'simulate-loop'}, {@code kind = 'metric'}. */
  public static EvaluationRow loopMetric(
      LocalDate dt, String policy, long seed, String metric, Double value) {
    return new EvaluationRow(
        dt,
        EvaluationSchema.RUN_SIMULATE_LOOP,
        seed,
        policy,
        EvaluationSchema.KIND_METRIC,
        metric,
        "observed",
        value,
        null,
        null,
        null,
        null,
        null);
  }

  /** Whether the row was written by {@code run}. */
  public boolean isRun(String expected) {
    return run.equals(expected);
  }

  /** Whether the row is of {@code kind}. */
  public boolean isKind(String expected) {
    return kind.equals(expected);
  }
}
