package dev.kindling.features.embeddings;

import dev.kindling.features.ParamChecks;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Every constant of the item-embedding stage, validated when built: a value outside its range fails
 * with a message naming the field, the bad value and the allowed range.
 *
 * @param model the MLlib model that learns the vectors
 * @param dimension length of every item and category vector
 * @param windowDays validated-event days D-windowDays+1..D the model learns from
 * @param minClicks clicks an item needs in the window to get a vector of its own; an item with
 *     fewer gets its category's vector and is flagged as a fallback. Word2Vec counts only the
 *     clicks it learns from: those in a user's day with at least one other click
 * @param contextWindow Word2Vec: how many clicks either side of an item count as its context
 * @param iterations passes over the data: Word2Vec's {@code maxIter}, ALS's {@code maxIter}
 * @param regularisation ALS: the L2 penalty on the factors ({@code regParam})
 * @param confidence ALS: α in the confidence 1 + α·clicks of an observed user-item pair
 * @param seed seed of the model's initialisation and sampling
 */
public record EmbeddingParams(
    EmbeddingModel model,
    int dimension,
    int windowDays,
    long minClicks,
    int contextWindow,
    int iterations,
    double regularisation,
    double confidence,
    long seed) {

  public static final EmbeddingModel DEFAULT_MODEL = EmbeddingModel.WORD2VEC;
  public static final int DEFAULT_DIMENSION = 16;
  public static final int DEFAULT_WINDOW_DAYS = 14;
  public static final long DEFAULT_MIN_CLICKS = 5L;
  public static final int DEFAULT_CONTEXT_WINDOW = 5;
  public static final int DEFAULT_ITERATIONS = 5;
  public static final double DEFAULT_REGULARISATION = 0.1;
  public static final double DEFAULT_CONFIDENCE = 10.0;
  public static final long DEFAULT_SEED = 7L;

  /** Longest vector accepted. */
  public static final int MAX_DIMENSION = 512;

  /** Longest window accepted, in days: ten years. */
  public static final int MAX_DAYS = 3650;

  /** Widest Word2Vec context and most passes accepted. */
  public static final int MAX_CONTEXT_OR_ITERATIONS = 1000;

  /** Largest penalty or confidence weight accepted. */
  public static final double MAX_WEIGHT = 1e9;

  /** Validates every field; see {@link #requireInRange}. */
  public EmbeddingParams {
    Objects.requireNonNull(model, "model");
    requireInRange("dimension", dimension, 2, true, MAX_DIMENSION, true);
    requireInRange("windowDays", windowDays, 1, true, MAX_DAYS, true);
    requireInRange("minClicks", minClicks, 1, true, Long.MAX_VALUE, true);
    requireInRange("contextWindow", contextWindow, 1, true, MAX_CONTEXT_OR_ITERATIONS, true);
    requireInRange("iterations", iterations, 1, true, MAX_CONTEXT_OR_ITERATIONS, true);
    requireInRange("regularisation", regularisation, 0, true, MAX_WEIGHT, true);
    requireInRange("confidence", confidence, 0, true, MAX_WEIGHT, true);
  }

  /** The defaults, every field at its {@code DEFAULT_*} value. */
  public static EmbeddingParams defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.model = model;
    b.dimension = dimension;
    b.windowDays = windowDays;
    b.minClicks = minClicks;
    b.contextWindow = contextWindow;
    b.iterations = iterations;
    b.regularisation = regularisation;
    b.confidence = confidence;
    b.seed = seed;
    return b;
  }

  /**
   * The parameters the chosen model used, by name, as the tables record them: the shared ones and
   * the model's own (Word2Vec's context window, or ALS's penalty and confidence).
   */
  public Map<String, String> modelParams() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("model", model.configName());
    out.put("dimension", Integer.toString(dimension));
    out.put("window_days", Integer.toString(windowDays));
    out.put("min_clicks", Long.toString(minClicks));
    out.put("iterations", Integer.toString(iterations));
    if (model == EmbeddingModel.WORD2VEC) {
      out.put("context_window", Integer.toString(contextWindow));
    } else {
      out.put("regularisation", Double.toString(regularisation));
      out.put("confidence", Double.toString(confidence));
    }
    out.put("seed", Long.toString(seed));
    return out;
  }

  private static void requireInRange(
      String field,
      double value,
      double min,
      boolean minInclusive,
      double max,
      boolean maxInclusive) {
    ParamChecks.requireInRange(
        "Embedding parameter", field, value, min, minInclusive, max, maxInclusive);
  }

  /** Mutable holder of the fields, validated by {@link #build()}. */
  public static final class Builder {
    private EmbeddingModel model = DEFAULT_MODEL;
    private int dimension = DEFAULT_DIMENSION;
    private int windowDays = DEFAULT_WINDOW_DAYS;
    private long minClicks = DEFAULT_MIN_CLICKS;
    private int contextWindow = DEFAULT_CONTEXT_WINDOW;
    private int iterations = DEFAULT_ITERATIONS;
    private double regularisation = DEFAULT_REGULARISATION;
    private double confidence = DEFAULT_CONFIDENCE;
    private long seed = DEFAULT_SEED;

    private Builder() {}

    public Builder model(EmbeddingModel value) {
      model = value;
      return this;
    }

    public Builder dimension(int value) {
      dimension = value;
      return this;
    }

    public Builder windowDays(int value) {
      windowDays = value;
      return this;
    }

    public Builder minClicks(long value) {
      minClicks = value;
      return this;
    }

    public Builder contextWindow(int value) {
      contextWindow = value;
      return this;
    }

    public Builder iterations(int value) {
      iterations = value;
      return this;
    }

    public Builder regularisation(double value) {
      regularisation = value;
      return this;
    }

    public Builder confidence(double value) {
      confidence = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** The parameters; throws {@link IllegalArgumentException} naming the first bad field. */
    public EmbeddingParams build() {
      return new EmbeddingParams(
          model,
          dimension,
          windowDays,
          minClicks,
          contextWindow,
          iterations,
          regularisation,
          confidence,
          seed);
    }
  }
}
