package dev.kindling.agents.serving;

import dev.kindling.agents.nets.EncoderShape;
import java.io.Serializable;
import java.util.List;
import java.util.function.Function;

/**
 * The encoder's inputs ({@code Networks.addSequenceEncoder}) of one user from the user's
 * interactions, newest first, without Spark: the last N as recent steps (oldest first: the item's
 * embedding vector, clicked, completed, the age feature) and every older one folded into the
 * summary (their mean vector and the count feature). Training and serving both build their inputs
 * here, so they agree to the bit. Immutable; cost per user: one pass over the interactions.
 *
 * <p>The age feature of an interaction {@code a} hours before the request is {@code ln(1 + a) /
 * ln(1 + }{@link #AGE_HORIZON_HOURS}{@code )}, clipped to [0, 1]. The count feature of {@code k}
 * older interactions is {@code ln(1 + k) / ln(1 + }{@link #COUNT_SCALE}{@code )}. An item the
 * vectors do not know (published after the embedding table's date) gets the zero vector. A user
 * with no interaction gets one step of zeros, so every row has a real step to attend to.
 */
public final class SequenceInputs {

  /** Ages at or beyond two weeks read as 1. */
  public static final double AGE_HORIZON_HOURS = 14 * 24;

  /** A thousand older interactions read as a count feature of 1. */
  public static final double COUNT_SCALE = 1000;

  private final EncoderShape shape;
  private final Function<String, float[]> vectors;

  /**
   * Inputs of {@code shape} with item vectors from {@code vectors}: the item's vector of {@link
   * EncoderShape#itemDimension()} floats, or null for an unknown item.
   */
  public SequenceInputs(EncoderShape shape, Function<String, float[]> vectors) {
    this.shape = shape;
    this.vectors = vectors;
  }

  /**
   * The inputs of {@code newestFirst}, the user's interactions before the request, newest first.
   *
   * @throws IllegalArgumentException when an item vector has the wrong length, or an age is
   *     negative or not a number, naming the item
   */
  public Encoded of(List<Interaction> newestFirst) {
    int dimension = shape.itemDimension();
    int features = shape.stepFeatures();
    int steps = Math.max(1, Math.min(newestFirst.size(), shape.recentSteps()));
    float[] recent = new float[steps * features];
    for (int i = 0; i < Math.min(newestFirst.size(), steps); i++) {
      Interaction interaction = newestFirst.get(i);
      int offset = (steps - 1 - i) * features;
      float[] vector = vector(interaction.itemId());
      if (vector != null) {
        System.arraycopy(vector, 0, recent, offset, dimension);
      }
      recent[offset + dimension] = interaction.clicked() ? 1f : 0f;
      recent[offset + dimension + 1] = interaction.completed() ? 1f : 0f;
      recent[offset + dimension + 2] = ageFeature(interaction);
    }
    float[] older = new float[shape.summaryFeatures()];
    int olderCount = newestFirst.size() - steps;
    if (olderCount > 0) {
      for (Interaction interaction : newestFirst.subList(steps, newestFirst.size())) {
        float[] vector = vector(interaction.itemId());
        if (vector != null) {
          for (int i = 0; i < dimension; i++) {
            older[i] += vector[i];
          }
        }
      }
      for (int i = 0; i < dimension; i++) {
        older[i] /= olderCount;
      }
      older[dimension] = (float) (Math.log1p(olderCount) / Math.log1p(COUNT_SCALE));
    }
    return new Encoded(recent, steps, older);
  }

  private float[] vector(String itemId) {
    float[] vector = vectors.apply(itemId);
    if (vector != null && vector.length != shape.itemDimension()) {
      throw new IllegalArgumentException(
          "item "
              + itemId
              + " has an embedding of "
              + vector.length
              + " values; the encoder reads "
              + shape.itemDimension()
              + ". Train with the embedding table the policy was built on.");
    }
    return vector;
  }

  private static float ageFeature(Interaction interaction) {
    double hours = interaction.ageHours();
    if (!(hours >= 0.0)) {
      throw new IllegalArgumentException(
          "interaction with item "
              + interaction.itemId()
              + " has age "
              + hours
              + " hours; ages are measured back from the request and are never negative");
    }
    return (float) Math.min(1.0, Math.log1p(hours) / Math.log1p(AGE_HORIZON_HOURS));
  }

  /**
   * One interaction of a user before a request: the item, whether it was clicked and completed, and
   * how many hours before the request it happened.
   */
  public record Interaction(String itemId, boolean clicked, boolean completed, double ageHours) {}

  /**
   * One user's encoder inputs: {@code steps} recent steps step-major, oldest first ({@code recent[t
   * * stepFeatures + f]}), and the older summary.
   */
  public record Encoded(float[] recent, int steps, float[] older) implements Serializable {}
}
