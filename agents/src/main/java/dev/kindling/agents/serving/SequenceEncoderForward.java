package dev.kindling.agents.serving;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.Networks;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One behaviour-sequence encoder ({@link Networks#addSequenceEncoder}) as a plain Java forward pass
 * over float arrays copied from the network: per head, the query, key and value projections of each
 * recent step, scaled dot-product attention of every step over every step (softmax over the real
 * steps only), the heads side by side through the output projection, the average over the real
 * steps, and the tanh layer over that average beside the older-history summary. Immutable and
 * thread-safe: every call works in its own scratch arrays. Cost per call with n real steps: {@code
 * 3·n·f·a + n²·a + n·a·a} multiply-adds (f step features, a attention width) plus the output layer.
 */
final class SequenceEncoderForward {

  private final int stepFeatures;
  private final int maxSteps;
  private final int heads;
  private final int headSize;
  private final int attentionSize;
  private final int summaryFeatures;
  private final float scale;
  private final float[] queries;
  private final float[] keys;
  private final float[] values;
  private final float[] outProjection;
  private final DenseForward encoding;

  /**
   * The forward pass of the encoder added under {@code prefix} to {@code network}, built from
   * {@code shape}; copies every parameter.
   */
  SequenceEncoderForward(ComputationGraph network, String prefix, EncoderShape shape) {
    this.stepFeatures = shape.stepFeatures();
    this.maxSteps = shape.recentSteps();
    this.heads = shape.heads();
    this.headSize = shape.headSize();
    this.attentionSize = shape.attentionSize();
    this.summaryFeatures = shape.summaryFeatures();
    this.scale = (float) (1.0 / Math.sqrt(headSize));
    Layer attention = network.getLayer(prefix + Networks.ENCODER_ATTENTION);
    this.queries = projection(attention.getParam("Wq"), "Wq");
    this.keys = projection(attention.getParam("Wk"), "Wk");
    this.values = projection(attention.getParam("Wv"), "Wv");
    INDArray wo = attention.getParam("Wo");
    if (wo.rows() != (long) heads * headSize || wo.columns() != attentionSize) {
      throw new IllegalArgumentException(
          "encoder "
              + prefix
              + " has an output projection of shape "
              + Arrays.toString(wo.shape())
              + "; the shape says ["
              + heads * headSize
              + ", "
              + attentionSize
              + "]");
    }
    this.outProjection = DenseForward.rowMajor(wo);
    this.encoding = DenseForward.of(network.getLayer(prefix + Networks.ENCODER_OUTPUT));
    if (encoding.in != attentionSize + summaryFeatures) {
      throw new IllegalArgumentException(
          "encoder "
              + prefix
              + " has an encoding layer of "
              + encoding.in
              + " inputs; the shape says "
              + (attentionSize + summaryFeatures));
    }
  }

  /**
   * The encoding ({@code outputSize} floats) of {@code steps} real recent steps and the older
   * summary: {@code recent} holds the steps' features step-major, oldest first ({@code recent[t *
   * stepFeatures + f]}, at least {@code steps * stepFeatures} floats), {@code older} the summary.
   *
   * @throws IllegalArgumentException when {@code steps} is not in [1, N]
   */
  float[] encode(float[] recent, int steps, float[] older) {
    if (steps < 1 || steps > maxSteps) {
      throw new IllegalArgumentException(
          "the encoder reads 1 to " + maxSteps + " recent steps, got " + steps);
    }
    float[] q = project(queries, recent, steps);
    float[] k = project(keys, recent, steps);
    float[] v = project(values, recent, steps);
    float[] pooled = new float[attentionSize];
    float[] attended = new float[heads * headSize];
    float[] weights = new float[steps];
    for (int t = 0; t < steps; t++) {
      for (int h = 0; h < heads; h++) {
        int headOffset = h * steps * headSize;
        int queryOffset = headOffset + t * headSize;
        float max = Float.NEGATIVE_INFINITY;
        for (int u = 0; u < steps; u++) {
          int keyOffset = headOffset + u * headSize;
          float dot = 0f;
          for (int j = 0; j < headSize; j++) {
            dot += q[queryOffset + j] * k[keyOffset + j];
          }
          weights[u] = dot * scale;
          max = Math.max(max, weights[u]);
        }
        float sum = 0f;
        for (int u = 0; u < steps; u++) {
          weights[u] = (float) Math.exp(weights[u] - max);
          sum += weights[u];
        }
        for (int j = 0; j < headSize; j++) {
          float value = 0f;
          for (int u = 0; u < steps; u++) {
            value += weights[u] * v[headOffset + u * headSize + j];
          }
          attended[h * headSize + j] = value / sum;
        }
      }
      for (int c = 0; c < attended.length; c++) {
        float a = attended[c];
        int row = c * attentionSize;
        for (int o = 0; o < attentionSize; o++) {
          pooled[o] += a * outProjection[row + o];
        }
      }
    }
    float[] merged = new float[attentionSize + summaryFeatures];
    for (int o = 0; o < attentionSize; o++) {
      merged[o] = pooled[o] / steps;
    }
    System.arraycopy(older, 0, merged, attentionSize, summaryFeatures);
    float[] out = encoding.apply(merged);
    DenseForward.tanh(out);
    return out;
  }

  /** Length of the encoding. */
  int outputSize() {
    return encoding.out;
  }

  /**
   * One projection of every step, laid out {@code [head][step][j]}: {@code Σ_i W[h][j][i] ·
   * x_t[i]}.
   */
  private float[] project(float[] w, float[] recent, int steps) {
    float[] projected = new float[heads * steps * headSize];
    for (int h = 0; h < heads; h++) {
      for (int t = 0; t < steps; t++) {
        int out = (h * steps + t) * headSize;
        int in = t * stepFeatures;
        for (int j = 0; j < headSize; j++) {
          int row = (h * headSize + j) * stepFeatures;
          float sum = 0f;
          for (int i = 0; i < stepFeatures; i++) {
            sum += w[row + i] * recent[in + i];
          }
          projected[out + j] = sum;
        }
      }
    }
    return projected;
  }

  /** A projection {@code [heads, headSize, stepFeatures]} as C-order floats, its shape checked. */
  private float[] projection(INDArray w, String name) {
    long[] shape = w.shape();
    if (shape.length != 3
        || shape[0] != heads
        || shape[1] != headSize
        || shape[2] != stepFeatures) {
      throw new IllegalArgumentException(
          "attention projection "
              + name
              + " has shape "
              + Arrays.toString(shape)
              + "; the shape says ["
              + heads
              + ", "
              + headSize
              + ", "
              + stepFeatures
              + "]");
    }
    return w.dup('c').reshape(w.length()).toFloatVector();
  }
}
