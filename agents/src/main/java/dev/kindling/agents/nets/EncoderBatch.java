package dev.kindling.agents.nets;

import java.io.Serializable;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The behaviour-sequence encoder's inputs of a batch of transitions, for the step and the next one,
 * as the encoder block reads them ({@link Networks#addSequenceEncoder}): row i of every array
 * belongs to transition i of the {@link TransitionBatch} beside it. A row's real recent steps come
 * first, oldest first; the mask is 1 on them and 0 on the padding, whose values are zeros.
 *
 * @param recent {@code [batch, E + 3, N]}: item vector, clicked, completed, age per step
 * @param recentMask {@code [batch, N]}, 1 on the real steps (at least one per row)
 * @param older {@code [batch, E + 1]}: mean vector of the older interactions and the count feature
 * @param nextRecent {@code recent} of the next step
 * @param nextRecentMask {@code recentMask} of the next step
 * @param nextOlder {@code older} of the next step
 */
public record EncoderBatch(
    INDArray recent,
    INDArray recentMask,
    INDArray older,
    INDArray nextRecent,
    INDArray nextRecentMask,
    INDArray nextOlder)
    implements Serializable {

  /** Number of transitions. */
  public long size() {
    return recent.size(0);
  }

  /** The inputs of the step itself. */
  public EncoderInputs step() {
    return new EncoderInputs(recent, recentMask, older);
  }

  /** The inputs of the next step. */
  public EncoderInputs next() {
    return new EncoderInputs(nextRecent, nextRecentMask, nextOlder);
  }

  /**
   * Throws {@link IllegalArgumentException} naming the array and both shapes unless every array has
   * the shape {@code shape} implies for this batch size.
   */
  public void requireShape(EncoderShape shape) {
    long rows = size();
    long[] sequence = {rows, shape.stepFeatures(), shape.recentSteps()};
    long[] mask = {rows, shape.recentSteps()};
    long[] summary = {rows, shape.summaryFeatures()};
    require("recent", recent, sequence);
    require("recentMask", recentMask, mask);
    require("older", older, summary);
    require("nextRecent", nextRecent, sequence);
    require("nextRecentMask", nextRecentMask, mask);
    require("nextOlder", nextOlder, summary);
  }

  /**
   * Throws {@link TrainingDivergedException} naming the first array that holds a NaN or infinite
   * value. Cost: one pass over every array.
   */
  public void requireFinite() {
    String hint = "check the replay's encoder columns and the item_embeddings they were built from";
    TrainingDivergedException.requireFinite("recent", recent, hint);
    TrainingDivergedException.requireFinite("recentMask", recentMask, hint);
    TrainingDivergedException.requireFinite("older", older, hint);
    TrainingDivergedException.requireFinite("nextRecent", nextRecent, hint);
    TrainingDivergedException.requireFinite("nextRecentMask", nextRecentMask, hint);
    TrainingDivergedException.requireFinite("nextOlder", nextOlder, hint);
  }

  /**
   * The rows {@code rows} of every array, as a new batch (copies).
   *
   * @param rows row indices, each in [0, size())
   */
  public EncoderBatch rows(long[] rows) {
    return new EncoderBatch(
        TransitionBatch.take(recent, rows),
        TransitionBatch.take(recentMask, rows),
        TransitionBatch.take(older, rows),
        TransitionBatch.take(nextRecent, rows),
        TransitionBatch.take(nextRecentMask, rows),
        TransitionBatch.take(nextOlder, rows));
  }

  private static void require(String name, INDArray array, long[] expected) {
    TransitionBatch.require("EncoderBatch", name, array, expected);
  }
}
