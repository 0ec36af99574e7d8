package dev.kindling.agents.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.nets.EncoderProbe;
import dev.kindling.agents.nets.EncoderShape;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SequenceEncoderForwardTest {

  private static final double TOLERANCE = 1e-5;
  private static final int ROWS = 64;

  @BeforeAll
  static void float32() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  @Test
  void thePlainJavaPassEqualsTheNetworkOnRowsOfEveryLength() {
    for (EncoderShape shape :
        new EncoderShape[] {EncoderShape.of(8, 20), new EncoderShape(16, 5, 4, 24, 12)}) {
      ComputationGraph probe = EncoderProbe.graph(shape, 9L, false);
      for (int fit = 0; fit < 3; fit++) {
        probe.fit(EncoderProbe.batch(shape, ROWS, fit).dataSet());
      }
      EncoderProbe.Batch batch = EncoderProbe.batch(shape, ROWS, 42L);
      INDArray expected = batch.encodings(probe);
      SequenceEncoderForward forward =
          new SequenceEncoderForward(probe, EncoderProbe.PREFIX, shape);

      assertThat(forward.outputSize()).isEqualTo(shape.outputSize());
      for (int row = 0; row < ROWS; row++) {
        int steps = batch.lengths()[row];
        float[] recent = new float[steps * shape.stepFeatures()];
        for (int t = 0; t < steps; t++) {
          for (int f = 0; f < shape.stepFeatures(); f++) {
            recent[t * shape.stepFeatures() + f] = batch.recent().getFloat(row, f, t);
          }
        }
        float[] older = batch.older().getRow(row).toFloatVector();
        float[] actual = forward.encode(recent, steps, older);
        float[] want = expected.getRow(row).toFloatVector();
        for (int i = 0; i < want.length; i++) {
          assertThat(actual[i])
              .as("shape %s, row %d (%d steps), output %d", shape, row, steps, i)
              .isCloseTo(want[i], within((float) TOLERANCE));
        }
      }
    }
  }

  @Test
  void aCallWithNoStepsOrTooManyIsRefused() {
    EncoderShape shape = EncoderShape.of(8, 4);
    SequenceEncoderForward forward =
        new SequenceEncoderForward(
            EncoderProbe.graph(shape, 1L, false), EncoderProbe.PREFIX, shape);
    float[] older = new float[shape.summaryFeatures()];

    assertThatThrownBy(() -> forward.encode(new float[0], 0, older))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1 to 4 recent steps, got 0");
    assertThatThrownBy(() -> forward.encode(new float[5 * shape.stepFeatures()], 5, older))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("got 5");
  }
}
