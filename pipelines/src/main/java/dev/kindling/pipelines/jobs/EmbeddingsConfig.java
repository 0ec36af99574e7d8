package dev.kindling.pipelines.jobs;

import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_CONFIDENCE;
import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_CONTEXT_WINDOW;
import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_DIMENSION;
import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_ITERATIONS;
import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_MIN_CLICKS;
import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_MODEL;
import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_REGULARISATION;
import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_SEED;
import static dev.kindling.pipelines.config.ConfigKeys.EMBEDDINGS_WINDOW_DAYS;

import dev.kindling.features.embeddings.EmbeddingModel;
import dev.kindling.features.embeddings.EmbeddingParams;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.Objects;

/** What {@link EmbeddingsJob} needs: the lakehouse, the run date and the model's parameters. */
public record EmbeddingsConfig(String lakehouseRoot, LocalDate runDate, EmbeddingParams params) {

  public EmbeddingsConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(params, "params");
  }

  /** Every field from its key; the keys' own ranges are all the parameters need. */
  public static EmbeddingsConfig from(KindlingConfig config, LocalDate runDate) {
    EmbeddingParams params =
        EmbeddingParams.builder()
            .model(EmbeddingModel.fromConfigName(config.get(EMBEDDINGS_MODEL)))
            .dimension(config.get(EMBEDDINGS_DIMENSION))
            .windowDays(config.get(EMBEDDINGS_WINDOW_DAYS))
            .minClicks(config.get(EMBEDDINGS_MIN_CLICKS))
            .contextWindow(config.get(EMBEDDINGS_CONTEXT_WINDOW))
            .iterations(config.get(EMBEDDINGS_ITERATIONS))
            .regularisation(config.get(EMBEDDINGS_REGULARISATION))
            .confidence(config.get(EMBEDDINGS_CONFIDENCE))
            .seed(config.get(EMBEDDINGS_SEED))
            .build();
    return new EmbeddingsConfig(config.get(ConfigKeys.LAKEHOUSE_ROOT), runDate, params);
  }
}
