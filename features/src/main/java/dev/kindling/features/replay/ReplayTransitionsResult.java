package dev.kindling.features.replay;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The outcome of {@link ReplayTransitions#build}: the transitions, lazy until the caller writes or
 * counts them, and the counts of the day's steps, already computed. {@code steps =
 * stepsWithoutAction + stepsWithWrongActionLength + transitions' rows}.
 *
 * @param transitions one row per kept step, in {@code ReplaySchema.SCHEMA}
 * @param steps the day's ranking requests (steps) before any was left out
 * @param stepsWithoutAction steps left out because no impression of the request carries an {@code
 *     action}
 * @param stepsWithWrongActionLength steps left out because their {@code action} does not have
 *     {@link ReplayParams#actionLength()} weights
 */
public record ReplayTransitionsResult(
    Dataset<Row> transitions,
    long steps,
    long stepsWithoutAction,
    long stepsWithWrongActionLength) {

  /** The steps that became transitions. */
  public long keptSteps() {
    return steps - stepsWithoutAction - stepsWithWrongActionLength;
  }
}
