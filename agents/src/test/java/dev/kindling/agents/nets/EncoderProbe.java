package dev.kindling.agents.nets;

import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A graph that holds one {@link Networks#addSequenceEncoder} encoder (prefix {@link #PREFIX}) under
 * a linear regression head, and seeded random batches of recent steps with masks of varying length:
 * what the encoder tests fit and compare.
 */
public final class EncoderProbe {

  /** The probe's encoder prefix. */
  public static final String PREFIX = "probe";

  /** The regression head. */
  public static final String TARGET = "target";

  private static final double LEARNING_RATE = 3e-3;

  private EncoderProbe() {}

  /** The probe graph: {@link Networks#RECENT}, {@link Networks#OLDER} → encoder → one output. */
  public static ComputationGraph graph(EncoderShape shape, long seed, boolean frozen) {
    ComputationGraphConfiguration.GraphBuilder graph =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .updater(new Adam(LEARNING_RATE))
            .graphBuilder()
            .addInputs(Networks.RECENT, Networks.OLDER)
            .setInputTypes(
                InputType.recurrent(shape.stepFeatures(), shape.recentSteps()),
                InputType.feedForward(shape.summaryFeatures()));
    String encoding = Networks.addSequenceEncoder(graph, PREFIX, shape, frozen);
    graph
        .addLayer(
            TARGET,
            new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(shape.outputSize())
                .nOut(1)
                .activation(Activation.IDENTITY)
                .build(),
            encoding)
        .setOutputs(TARGET);
    ComputationGraph network = new ComputationGraph(graph.build());
    network.init();
    return network;
  }

  /**
   * A batch of {@code rows} users: each has 1..N real recent steps (the first ones; a unit-length
   * random item vector, clicked and completed 0/1, age in [0, 1]) and a random older summary. The
   * label is the mean over the real steps of the item's first coordinate plus its clicked signal:
   * only the real steps, read through the attention and the masked average, tell it.
   */
  public static Batch batch(EncoderShape shape, int rows, long seed) {
    Random random = new Random(seed);
    int n = shape.recentSteps();
    int f = shape.stepFeatures();
    int e = shape.itemDimension();
    float[][][] recent = new float[rows][f][n];
    float[][] mask = new float[rows][n];
    float[][] older = new float[rows][shape.summaryFeatures()];
    float[][] label = new float[rows][1];
    int[] lengths = new int[rows];
    for (int row = 0; row < rows; row++) {
      int length = 1 + random.nextInt(n);
      lengths[row] = length;
      double total = 0;
      for (int t = 0; t < length; t++) {
        double norm = 0;
        double[] item = new double[e];
        for (int i = 0; i < e; i++) {
          item[i] = random.nextGaussian();
          norm += item[i] * item[i];
        }
        for (int i = 0; i < e; i++) {
          recent[row][i][t] = (float) (item[i] / Math.sqrt(norm));
        }
        boolean clicked = random.nextBoolean();
        recent[row][e][t] = clicked ? 1f : 0f;
        recent[row][e + 1][t] = clicked && random.nextBoolean() ? 1f : 0f;
        recent[row][e + 2][t] = random.nextFloat();
        mask[row][t] = 1f;
        total += item[0] / Math.sqrt(norm) + (clicked ? 1 : 0);
      }
      for (int i = 0; i < older[row].length; i++) {
        older[row][i] = (float) random.nextGaussian();
      }
      label[row][0] = (float) (total / length);
    }
    return new Batch(
        Nd4j.create(recent).castTo(DataType.FLOAT),
        Nd4j.create(mask).castTo(DataType.FLOAT),
        Nd4j.create(older).castTo(DataType.FLOAT),
        Nd4j.create(label).castTo(DataType.FLOAT),
        lengths);
  }

  /**
   * One batch: recent steps {@code [rows, stepFeatures, N]} and their mask {@code [rows, N]}, the
   * older summary, the label, and each row's number of real steps.
   */
  public record Batch(
      INDArray recent, INDArray mask, INDArray older, INDArray label, int[] lengths) {

    /** The batch as a masked training set of the probe graph. */
    public MultiDataSet dataSet() {
      return new MultiDataSet(
          new INDArray[] {recent, older},
          new INDArray[] {label},
          new INDArray[] {mask, null},
          null);
    }

    /** The encodings of the batch, {@code [rows, outputSize]}, one masked inference pass. */
    public INDArray encodings(ComputationGraph probe) {
      return probe
          .output(
              List.of(PREFIX + Networks.ENCODER_OUTPUT),
              false,
              new INDArray[] {recent, older},
              new INDArray[] {mask, null})[0];
    }
  }
}
