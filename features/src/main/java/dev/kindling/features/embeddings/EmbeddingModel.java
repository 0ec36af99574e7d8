package dev.kindling.features.embeddings;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The MLlib model that learns item vectors from behaviour: its config name and its estimator. */
public enum EmbeddingModel {
  /**
   * Skip-gram Word2Vec over each user's clicked items of one day in click order: items clicked in
   * the same runs of behaviour get near vectors.
   */
  WORD2VEC("word2vec"),
  /**
   * Implicit-feedback ALS on the user × item click counts of the window: items clicked by the same
   * users get near factors, whatever the order.
   */
  ALS("als");

  private final String configName;

  EmbeddingModel(String configName) {
    this.configName = configName;
  }

  /** The model's name in config ({@code embeddings.model}) and in the tables. */
  public String configName() {
    return configName;
  }

  /**
   * The model with this config name.
   *
   * @throws IllegalArgumentException naming the accepted names when none matches
   */
  public static EmbeddingModel fromConfigName(String name) {
    String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (EmbeddingModel model : values()) {
      if (model.configName.equals(wanted)) {
        return model;
      }
    }
    throw new IllegalArgumentException(
        "Embedding model '"
            + name
            + "' is not known; set it to one of "
            + Arrays.stream(values())
                .map(EmbeddingModel::configName)
                .collect(Collectors.joining(", "))
            + ".");
  }
}
