package dev.kindling.agents.serving;

import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Networks;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * One actor ({@link Networks#actor}) as a plain Java forward pass over float arrays copied from the
 * network: the LSTM over the history (DL4J's gate layout: cell input, forget, output, input gate;
 * tanh and sigmoid), its last time step merged with the observation, two ReLU layers, the softmax
 * weights and the sigmoid exploration. An actor that reads the behaviour-sequence encoder ({@link
 * NetworkShape#hasEncoder()}) sets the encoder's output ({@link SequenceEncoderForward}) after the
 * observation in that merge. About 100 times faster than a one-row {@code ComputationGraph.output}
 * and free of ND4J once built. Immutable and thread-safe: every call works in its own scratch
 * arrays. Cost per call: {@code T · 4m · (f + m)} multiply-adds for the LSTM (T steps, m units, f
 * features) plus the dense layers.
 */
final class ActorForward {

  private final int steps;
  private final int features;
  private final int units;
  private final int observationSize;
  private final DenseForward lstmInput;
  private final float[] recurrent;
  private final DenseForward hidden1;
  private final DenseForward hidden2;
  private final DenseForward weights;
  private final DenseForward exploration;
  private final SequenceEncoderForward encoder;

  /** The forward pass of {@code actor}, built from {@code shape}; copies every parameter. */
  ActorForward(ComputationGraph actor, NetworkShape shape) {
    this.steps = shape.historySteps();
    this.features = shape.historyFeatures();
    this.units = shape.messageSize();
    this.observationSize = shape.observationSize();
    Layer lstm = actor.getLayer(Networks.ACTOR_LSTM);
    this.lstmInput = DenseForward.of(lstm.getParam("W"), lstm.getParam("b"));
    this.recurrent = DenseForward.rowMajor(lstm.getParam("RW"));
    this.hidden1 = DenseForward.of(actor.getLayer(Networks.ACTOR_HIDDEN_1));
    this.hidden2 = DenseForward.of(actor.getLayer(Networks.ACTOR_HIDDEN_2));
    this.weights = DenseForward.of(actor.getLayer(Networks.WEIGHTS));
    this.exploration = DenseForward.of(actor.getLayer(Networks.EXPLORATION));
    this.encoder =
        shape.hasEncoder()
            ? new SequenceEncoderForward(actor, Networks.ACTOR_ENCODER, shape.encoder())
            : null;
    int merged = units + observationSize + shape.encodingSize();
    if (hidden1.in != merged) {
      throw new IllegalArgumentException(
          "actor's first hidden layer reads "
              + hidden1.in
              + " values; the shape says "
              + merged
              + " (message, observation and encoding)");
    }
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
   * observation; {@code sequence} the behaviour-sequence encoder's inputs, required when the actor
   * has an encoder and ignored when it has none.
   */
  float act(
      float[] history, float[] observation, SequenceInputs.Encoded sequence, float[] weightsOut) {
    if (encoder != null && sequence == null) {
      throw new IllegalArgumentException(
          "this actor reads the behaviour-sequence encoder; give it the user's recent"
              + " interactions");
    }
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
    float[] encoding =
        encoder == null
            ? new float[0]
            : encoder.encode(sequence.recent(), sequence.steps(), sequence.older());
    float[] merged = new float[units + observationSize + encoding.length];
    System.arraycopy(h, 0, merged, 0, units);
    System.arraycopy(observation, 0, merged, units, observationSize);
    System.arraycopy(encoding, 0, merged, units + observationSize, encoding.length);
    float[] a1 = hidden1.apply(merged);
    DenseForward.relu(a1);
    float[] a2 = hidden2.apply(a1);
    DenseForward.relu(a2);
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
}
