package dev.kindling.pipelines.jobs;

import java.time.LocalDate;

/** What one {@link NightlyJob} run did, stage by stage. */
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
    PublishResult publish) {

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
        + publish;
  }
}
