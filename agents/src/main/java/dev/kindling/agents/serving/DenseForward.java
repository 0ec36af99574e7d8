package dev.kindling.agents.serving;

import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A dense layer's weights {@code [in, out]} (row-major floats) and bias, copied from a network, and
 * its affine map {@code y = x·W + b} as a plain Java loop. Immutable; {@link #apply} allocates its
 * result, so one instance serves any number of threads.
 */
final class DenseForward {
  final int in;
  final int out;
  final float[] weights;
  final float[] bias;

  private DenseForward(int in, int out, float[] weights, float[] bias) {
    this.in = in;
    this.out = out;
    this.weights = weights;
    this.bias = bias;
  }

  /** The parameters {@code W} and {@code b} of a DL4J dense (or output) layer. */
  static DenseForward of(Layer layer) {
    return of(layer.getParam("W"), layer.getParam("b"));
  }

  /** A weight matrix {@code [in, out]} and a bias of {@code out} values. */
  static DenseForward of(INDArray w, INDArray b) {
    long[] shape = w.shape();
    return new DenseForward((int) shape[0], (int) shape[1], rowMajor(w), b.toFloatVector());
  }

  /** {@code x·W + b} for {@code x} of {@link #in} values, in a new array of {@link #out}. */
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

  /** ReLU in place. */
  static void relu(float[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.max(0f, values[i]);
    }
  }

  /** tanh in place. */
  static void tanh(float[] values) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) Math.tanh(values[i]);
    }
  }

  /** {@code [rows, cols]} as a row-major float array. */
  static float[] rowMajor(INDArray matrix) {
    float[][] rows = matrix.toFloatMatrix();
    int cols = rows[0].length;
    float[] flat = new float[rows.length * cols];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(rows[i], 0, flat, i * cols, cols);
    }
    return flat;
  }
}
