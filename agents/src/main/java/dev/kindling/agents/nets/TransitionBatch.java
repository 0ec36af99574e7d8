package dev.kindling.agents.nets;

import java.io.Serializable;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A batch of replay transitions as float32 arrays, independent of any table schema: what one TD3+BC
 * round consumes. Row i of every array is one transition; {@code next*} describe the step that
 * follows it in the episode (their values are ignored where {@code done} is 1, but must be finite).
 *
 * @param history {@code [batch, historyFeatures, T]}, the previous T steps' (o, a), oldest first
 * @param observation {@code [batch, observationSize]}
 * @param action {@code [batch, actionSize + 1]}, the logged ranking weights then explore_prob
 * @param agent {@code [batch, agents]}, one-hot of the scenario that served the step
 * @param reward {@code [batch, 1]}
 * @param done {@code [batch, 1]}, 1 where the episode ends at this step, else 0
 * @param nextHistory {@code [batch, historyFeatures, T]}, the history seen at the next step
 * @param nextObservation {@code [batch, observationSize]}
 * @param nextAgent {@code [batch, agents]}, one-hot of the scenario that serves the next step
 * @param encoder the behaviour-sequence encoder's inputs of the step and the next one, or null for
 *     networks without an encoder ({@link NetworkShape#hasEncoder()})
 */
public record TransitionBatch(
    INDArray history,
    INDArray observation,
    INDArray action,
    INDArray agent,
    INDArray reward,
    INDArray done,
    INDArray nextHistory,
    INDArray nextObservation,
    INDArray nextAgent,
    EncoderBatch encoder)
    implements Serializable {

  /** A batch without encoder inputs, for networks without an encoder. */
  public TransitionBatch(
      INDArray history,
      INDArray observation,
      INDArray action,
      INDArray agent,
      INDArray reward,
      INDArray done,
      INDArray nextHistory,
      INDArray nextObservation,
      INDArray nextAgent) {
    this(
        history,
        observation,
        action,
        agent,
        reward,
        done,
        nextHistory,
        nextObservation,
        nextAgent,
        null);
  }

  /** The same transitions with the encoder inputs {@code inputs} (rows in the same order). */
  public TransitionBatch withEncoder(EncoderBatch inputs) {
    return new TransitionBatch(
        history,
        observation,
        action,
        agent,
        reward,
        done,
        nextHistory,
        nextObservation,
        nextAgent,
        inputs);
  }

  /** The encoder inputs of the step, or null when the batch has none. */
  public EncoderInputs encoderStep() {
    return encoder == null ? null : encoder.step();
  }

  /** The encoder inputs of the next step, or null when the batch has none. */
  public EncoderInputs encoderNext() {
    return encoder == null ? null : encoder.next();
  }

  /** Number of transitions. */
  public long size() {
    return observation.size(0);
  }

  /**
   * Throws {@link IllegalArgumentException} naming the array and both shapes unless every array has
   * the shape {@code shape} implies for this batch size, and unless the batch carries encoder
   * inputs exactly when the shape has an encoder.
   */
  public void requireShape(NetworkShape shape) {
    long rows = size();
    long[] sequence = {rows, shape.historyFeatures(), shape.historySteps()};
    require("history", history, sequence);
    require("observation", observation, new long[] {rows, shape.observationSize()});
    require("action", action, new long[] {rows, shape.jointActionSize()});
    require("agent", agent, new long[] {rows, shape.agents()});
    require("reward", reward, new long[] {rows, 1});
    require("done", done, new long[] {rows, 1});
    require("nextHistory", nextHistory, sequence);
    require("nextObservation", nextObservation, new long[] {rows, shape.observationSize()});
    require("nextAgent", nextAgent, new long[] {rows, shape.agents()});
    if (shape.hasEncoder() && encoder == null) {
      throw new IllegalArgumentException(
          "TransitionBatch.encoder is missing, but the networks read a behaviour-sequence encoder;"
              + " build the batches from a replay written with replay.encoder.enabled=true");
    }
    if (!shape.hasEncoder() && encoder != null) {
      throw new IllegalArgumentException(
          "TransitionBatch.encoder is set, but the networks have no behaviour-sequence encoder;"
              + " build the shape with NetworkShape.withEncoder or the batches without encoder"
              + " inputs");
    }
    if (encoder != null) {
      if (encoder.size() != rows) {
        throw new IllegalArgumentException(
            "TransitionBatch.encoder has " + encoder.size() + " rows, expected " + rows);
      }
      encoder.requireShape(shape.encoder());
    }
  }

  /**
   * Throws {@link TrainingDivergedException} naming the first array that holds a NaN or infinite
   * value. Cost: one pass over every array.
   */
  public void requireFinite() {
    String hint = "check the replay rows of this batch (reward weights, features, logged actions)";
    TrainingDivergedException.requireFinite("history", history, hint);
    TrainingDivergedException.requireFinite("observation", observation, hint);
    TrainingDivergedException.requireFinite("action", action, hint);
    TrainingDivergedException.requireFinite("agent", agent, hint);
    TrainingDivergedException.requireFinite("reward", reward, hint);
    TrainingDivergedException.requireFinite("done", done, hint);
    TrainingDivergedException.requireFinite("nextHistory", nextHistory, hint);
    TrainingDivergedException.requireFinite("nextObservation", nextObservation, hint);
    TrainingDivergedException.requireFinite("nextAgent", nextAgent, hint);
    if (encoder != null) {
      encoder.requireFinite();
    }
  }

  /**
   * The rows {@code rows} of every array, as a new batch (copies).
   *
   * @param rows row indices, each in [0, size())
   */
  public TransitionBatch rows(long[] rows) {
    return new TransitionBatch(
        take(history, rows),
        take(observation, rows),
        take(action, rows),
        take(agent, rows),
        take(reward, rows),
        take(done, rows),
        take(nextHistory, rows),
        take(nextObservation, rows),
        take(nextAgent, rows),
        encoder == null ? null : encoder.rows(rows));
  }

  /**
   * A float32 one-hot matrix {@code [agents.length, count]} with a 1 at column {@code agents[i]} of
   * row i.
   *
   * @param agents agent indices, each in [0, count)
   * @param count number of agents
   */
  public static INDArray oneHot(int[] agents, int count) {
    INDArray matrix = Nd4j.zeros(DataType.FLOAT, agents.length, count);
    for (int row = 0; row < agents.length; row++) {
      if (agents[row] < 0 || agents[row] >= count) {
        throw new IllegalArgumentException(
            "agent index " + agents[row] + " at row " + row + " is outside [0, " + count + ")");
      }
      matrix.putScalar(row, agents[row], 1.0);
    }
    return matrix;
  }

  /** Rows {@code rows} of {@code array} along its first dimension, copied. */
  static INDArray take(INDArray array, long[] rows) {
    INDArrayIndex[] index = new INDArrayIndex[array.rank()];
    index[0] = NDArrayIndex.indices(rows);
    for (int dimension = 1; dimension < index.length; dimension++) {
      index[dimension] = NDArrayIndex.all();
    }
    return array.get(index).dup();
  }

  private static void require(String name, INDArray array, long[] expected) {
    require("TransitionBatch", name, array, expected);
  }

  /** Throws {@link IllegalArgumentException} naming {@code owner.name} and both shapes. */
  static void require(String owner, String name, INDArray array, long[] expected) {
    if (!Arrays.equals(array.shape(), expected)) {
      throw new IllegalArgumentException(
          owner
              + "."
              + name
              + " has shape "
              + Arrays.toString(array.shape())
              + ", expected "
              + Arrays.toString(expected));
    }
  }
}
