package dev.kindling.agents.nets;

import java.io.Serializable;

/**
 * The sizes of the behaviour-sequence encoder ({@link Networks#addSequenceEncoder}): how many of a
 * user's recent interactions it attends over, how each is described, and how wide its attention and
 * its output are. Validated on construction.
 *
 * <p>A recent step is the item's embedding vector followed by {@link #STEP_SIGNALS} signals of the
 * interaction: clicked (0/1), completed (0/1) and its age. What falls before the last {@code
 * recentSteps} interactions is compressed into one summary vector: the mean embedding of those
 * older items followed by one count feature, so memory stays bounded by {@code recentSteps}
 * whatever the length of the history.
 *
 * @param itemDimension E, the length of an item embedding vector
 * @param recentSteps N, the number of most recent interactions attended over
 * @param heads attention heads
 * @param attentionSize width of the attention output (the heads' projections side by side); a
 *     multiple of {@code heads}
 * @param outputSize length of the encoding the actors and the critic read
 */
public record EncoderShape(
    int itemDimension, int recentSteps, int heads, int attentionSize, int outputSize)
    implements Serializable {

  /** Signals per recent step after the item vector: clicked, completed, age. */
  public static final int STEP_SIGNALS = 3;

  /** Features of the older-history summary after the mean item vector: one count feature. */
  public static final int SUMMARY_SIGNALS = 1;

  /** N by default: the last 20 interactions. */
  public static final int DEFAULT_RECENT_STEPS = 20;

  /** Attention heads by default. */
  public static final int DEFAULT_HEADS = 2;

  /** Attention width by default. */
  public static final int DEFAULT_ATTENTION_SIZE = 32;

  /** Encoding length by default. */
  public static final int DEFAULT_OUTPUT_SIZE = 16;

  /** Validates every field; throws {@link IllegalArgumentException} naming the bad value. */
  public EncoderShape {
    requirePositive("itemDimension", itemDimension);
    requirePositive("recentSteps", recentSteps);
    requirePositive("heads", heads);
    requirePositive("attentionSize", attentionSize);
    requirePositive("outputSize", outputSize);
    if (attentionSize % heads != 0) {
      throw new IllegalArgumentException(
          "EncoderShape.attentionSize must be a multiple of heads ("
              + heads
              + "), got "
              + attentionSize);
    }
  }

  /** A shape with the default heads, attention width and output length. */
  public static EncoderShape of(int itemDimension, int recentSteps) {
    return new EncoderShape(
        itemDimension, recentSteps, DEFAULT_HEADS, DEFAULT_ATTENTION_SIZE, DEFAULT_OUTPUT_SIZE);
  }

  /** Features per recent step: the item vector followed by clicked, completed and age. */
  public int stepFeatures() {
    return itemDimension + STEP_SIGNALS;
  }

  /** Features of the older-history summary: the mean item vector followed by the count. */
  public int summaryFeatures() {
    return itemDimension + SUMMARY_SIGNALS;
  }

  /** Width of one attention head. */
  public int headSize() {
    return attentionSize / heads;
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "EncoderShape." + name + " must be positive, got " + value);
    }
  }
}
