package dev.kindling.agents.serving;

import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Networks;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One actor ({@link Networks#actor}) as a plain Java forward pass over float arrays copied from the
 * network: the LSTM over the history (DL4J's gate layout: cell input, forget, output, input gate;
 * tanh and sigmoid), its last time step merged with the observation, two ReLU layers, the softmax
 * weights and the sigmoid exploration. About 100 times faster than a one-row {@code
 * ComputationGraph.output} and free of ND4J once built. Immutable and thread-safe: every call works
 * in its own scratch arrays. Cost per call: {@code T · 4m · (f + m)} multiply-adds for the LSTM (T
 * steps, m units, f features) plus the dense layers.
 */
final class ActorForward {

  private final int steps;
  private final int features;
  private final int units;
  private final int observationSize;
  private final Dense lstmInput;
  private final float[] recurrent;
  private final Dense hidden1;
  private final Dense hidden2;
  private final Dense weights;
  private final Dense exploration;

  /** The forward pass of {@code actor}, built from {@code shape}; copies every parameter. */
  ActorForward(ComputationGraph actor, NetworkShape shape) {
    this.steps = shape.historySteps();
    this.features = shape.historyFeatures();
    this.units = shape.messageSize();
    this.observationSize = shape.observationSize();
    Layer lstm = actor.getLayer(Networks.ACTOR_LSTM);
    this.lstmInput = Dense.of(lstm.getParam("W"), lstm.getParam("b"));
    this.recurrent = rowMajor(lstm.getParam("RW"));
    this.hidden1 = Dense.of(actor.getLayer(Networks.ACTOR_HIDDEN_1));
    this.hidden2 = Dense.of(actor.getLayer(Networks.ACTOR_HIDDEN_2));
    this.weights = Dense.of(actor.getLayer(Networks.WEIGHTS));
    this.exploration = Dense.of(actor.getLayer(Networks.EXPLORATION));
    if (lstmInput.in != features || lstmInput.out != 4 * units) {
      throw new IllegalArgumentException(
          "actor LSTM has "
              + lstmInput.in
              + " inputs and "
              + lstmInput.out / 4
              + " units; the shape says "
              + features
              + " and "
              + units);
    }
  }

  /**
   * The ranking weights (into {@code weightsOut}) and the exploration probability (returned) of
   * normalised inputs: {@code history} holds T steps of {@code historyFeatures} floats, oldest
   * first (step-major: {@code history[t * historyFeatures + f]}), {@code observation} the
   * observation.
   */
  float act(float[] history, float[] observation, float[] weightsOut) {
    float[] h = new float[units];
    float[] c = new float[units];
    float[] gates = new float[4 * units];
    for (int t = 0; t < steps; t++) {
      System.arraycopy(lstmInput.bias, 0, gates, 0, gates.length);
      int offset = t * features;
      int gateCount = gates.length;
      float[] w = lstmInput.weights;
      for (int i = 0; i < features; i++) {
        float x = history[offset + i];
        int row = i * gateCount;
        for (int j = 0; j < gateCount; j++) {
          gates[j] += x * w[row + j];
        }
      }
      for (int i = 0; i < units; i++) {
        float x = h[i];
        int row = i * gateCount;
        for (int j = 0; j < gateCount; j++) {
          gates[j] += x * recurrent[row + j];
        }
      }
      for (int k = 0; k < units; k++) {
        float input = (float) Math.tanh(gates[k]);
        float forget = sigmoid(gates[units + k]);
        float output = sigmoid(gates[2 * units + k]);
        float inputGate = sigmoid(gates[3 * units + k]);
        c[k] = forget * c[k] + inputGate * input;
        h[k] = output * (float) Math.tanh(c[k]);
      }
    }
    float[] merged = new float[units + observationSize];
    System.arraycopy(h, 0, merged, 0, units);
    System.arraycopy(observation, 0, merged, units, observationSize);
    float[] a1 = hidden1.apply(merged);
    relu(a1);
    float[] a2 = hidden2.apply(a1);
    relu(a2);
    float[] logits = weights.apply(a2);
    float max = Float.NEGATIVE_INFINITY;
    for (float logit : logits) {
      max = Math.max(max, logit);
    }
    float sum = 0f;
    for (int i = 0; i < logits.length; i++) {
      logits[i] = (float) Math.exp(logits[i] - max);
      sum += logits[i];
    }
    for (int i = 0; i < logits.length; i++) {
      weightsOut[i] = logits[i] / sum;
    }
    return sigmoid(exploration.apply(a2)[0]);
  }

  /** The number of ranking weights. */
  int actionSize() {
    return weights.out;
  }

  private static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  private static void relu(float[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.max(0f, values[i]);
    }
  }

  /** {@code [rows, cols]} as a row-major float array. */
  private static float[] rowMajor(INDArray matrix) {
    float[][] rows = matrix.toFloatMatrix();
    int cols = rows[0].length;
    float[] flat = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * cols, cols);
    }
    return flat;
  }

  /** A dense layer's weights {@code [in, out]} (row-major) and bias. */
  private static final class Dense {
    final int in;
    final int out;
    final float[] weights;
    final float[] bias;

    private Dense(int in, int out, float[] weights, float[] bias) {
      this.in = in;
      this.out = out;
      this.weights = weights;
      this.bias = bias;
    }

    static Dense of(Layer layer) {
      return of(layer.getParam("W"), layer.getParam("b"));
    }

    static Dense of(INDArray w, INDArray b) {
      long[] shape = w.shape();
      return new Dense((int) shape[0], (int) shape[1], rowMajor(w), b.toFloatVector());
    }

    float[] apply(float[] x) {
      float[] y = bias.clone();
      for (int i = 0; i < in; i++) {
        float xi = x[i];
        int row = i * out;
        for (int j = 0; j < out; j++) {
          y[j] += xi * weights[row + j];
        }
      }
      return y;
    }
  }
}
