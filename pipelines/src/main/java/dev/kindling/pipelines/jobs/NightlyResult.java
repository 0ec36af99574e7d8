package dev.kindling.pipelines.jobs;

import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one {@link NightlyJob} run did, stage by stage.
 *
 * @param stageSeconds each stage's wall time in seconds, keyed by stage name in {@link
 *     NightlyJob#STAGES} order
 */
public record NightlyResult(
    LocalDate runDate,
    ValidateResult validate,
    FeaturesResult features,
    EmbeddingsResult embeddings,
    ReplayResult replay,
    TrainResult train,
    EvaluateResult evaluate,
    ScoreColdStartResult scoreColdStart,
    AllocateResult allocate,
    PublishResult publish,
    Map<String, Double> stageSeconds) {

  /** The stages' times, e.g. {@code validate 7.1 s, features 8.0 s, ...}. */
  public String stageTimes() {
    return stageSeconds.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.1f s", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return "nightly "
        + runDate
        + "\n  "
        + validate
        + "\n  "
        + features
        + "\n  "
        + embeddings
        + "\n  "
        + replay
        + "\n  "
        + train
        + "\n  "
        + evaluate
        + "\n  "
        + scoreColdStart
        + "\n  "
        + allocate
        + "\n  "
        + publish
        + "\n  stage times: "
        + stageTimes();
  }
}
