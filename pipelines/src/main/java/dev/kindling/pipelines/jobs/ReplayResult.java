package dev.kindling.pipelines.jobs;

import java.time.LocalDate;

/**
 * What one {@link ReplayJob} run wrote. {@code steps = transitions + stepsWithoutAction +
 * stepsWithWrongActionLength}.
 *
 * @param steps ranking requests of the run date
 * @param transitions rows written to {@code replay}
 * @param stepsWithoutAction requests left out because no impression carried an {@code action}
 * @param stepsWithWrongActionLength requests left out because their action had another length
 * @param specFeatures rows written to {@code replay_feature_spec} (one per observation feature)
 */
public record ReplayResult(
    LocalDate runDate,
    long steps,
    long transitions,
    long stepsWithoutAction,
    long stepsWithWrongActionLength,
    long specFeatures,
    long replayVersion) {

  @Override
  public String toString() {
    return String.format(
        "replay %s: %d transitions from %d steps (%d without action, %d with another action"
            + " length), feature spec of %d features",
        runDate, transitions, steps, stepsWithoutAction, stepsWithWrongActionLength, specFeatures);
  }
}
