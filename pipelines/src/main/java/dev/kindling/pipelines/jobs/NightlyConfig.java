package dev.kindling.pipelines.jobs;

import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.Objects;

/** What {@link NightlyJob} needs: one config per stage it runs, all for the same run date. */
public record NightlyConfig(
    LocalDate runDate,
    ValidateConfig validate,
    FeaturesConfig features,
    EmbeddingsConfig embeddings,
    ReplayConfig replay,
    TrainConfig train,
    EvaluateConfig evaluate,
    ScoreColdStartConfig scoreColdStart,
    AllocateConfig allocate,
    PublishConfig publish) {

  public NightlyConfig {
    Objects.requireNonNull(runDate, "runDate");
    if (!validate.runDate().equals(runDate)
        || !features.runDate().equals(runDate)
        || !embeddings.runDate().equals(runDate)
        || !replay.runDate().equals(runDate)
        || !train.runDate().equals(runDate)
        || !evaluate.runDate().equals(runDate)
        || !scoreColdStart.runDate().equals(runDate)
        || !allocate.runDate().equals(runDate)
        || !publish.runDate().equals(runDate)) {
      throw new IllegalArgumentException("every stage of a nightly run must share its run date");
    }
  }

  public static NightlyConfig from(KindlingConfig config, LocalDate runDate) {
    return new NightlyConfig(
        runDate,
        ValidateConfig.from(config, runDate),
        FeaturesConfig.from(config, runDate),
        EmbeddingsConfig.from(config, runDate),
        ReplayConfig.from(config, runDate),
        TrainConfig.from(config, runDate),
        EvaluateConfig.from(config, runDate),
        ScoreColdStartConfig.from(config, runDate),
        AllocateConfig.from(config, runDate),
        PublishConfig.from(config, runDate));
  }
}
