package dev.kindling.agents.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

class SequenceEncoderTest {

  private static final EncoderShape SHAPE = EncoderShape.of(8, 20);
  private static final long SEED = 5L;
  private static final int ROWS = 256;
  private static final double NOISE = 50.0;
  private static final int TRAIN_ROWS = 512;
  private static final int FITS = 150;

  @BeforeAll
  static void float32() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  @Test
  void whatLiesAtMaskedStepsDoesNotChangeTheEncoding() {
    ComputationGraph probe = EncoderProbe.graph(SHAPE, SEED, false);
    EncoderProbe.Batch batch = EncoderProbe.batch(SHAPE, ROWS, 1L);
    INDArray before = batch.encodings(probe);

    INDArray noise = Nd4j.rand(DataType.FLOAT, batch.recent().shape()).subi(0.5).muli(2 * NOISE);
    INDArray masked = batch.mask().rsub(1.0).reshape(ROWS, 1, SHAPE.recentSteps());
    INDArray noisy = batch.recent().add(noise.mul(masked.broadcast(batch.recent().shape())));
    EncoderProbe.Batch changed =
        new EncoderProbe.Batch(noisy, batch.mask(), batch.older(), batch.label(), batch.lengths());
    EncoderProbe.Batch unmasked =
        new EncoderProbe.Batch(
            noisy, Nd4j.onesLike(batch.mask()), batch.older(), batch.label(), batch.lengths());

    assertThat(BooleanIndexing.and(before, Conditions.isFinite()))
        .as("every row with one real step or more has a finite encoding")
        .isTrue();
    assertThat(changed.encodings(probe).sub(before).amaxNumber().doubleValue())
        .as("noise at masked steps moves no encoding")
        .isLessThan(1e-5);
    assertThat(unmasked.encodings(probe).sub(before).amaxNumber().doubleValue())
        .as("the same noise, unmasked, does move them (the mask is what hides it)")
        .isGreaterThan(0.1);
  }

  @Test
  void theEncoderLearnsATargetOfTheRealStepsItemsAndSignals() {
    ComputationGraph probe = EncoderProbe.graph(SHAPE, SEED, false);
    MultiDataSet train = EncoderProbe.batch(SHAPE, TRAIN_ROWS, 2L).dataSet();
    MultiDataSet test = EncoderProbe.batch(SHAPE, ROWS, 3L).dataSet();
    double baseline =
        test.getLabels(0).sub(test.getLabels(0).meanNumber()).norm2Number().doubleValue();
    double baselineMse = baseline * baseline / ROWS;

    for (int fit = 0; fit < FITS; fit++) {
      probe.fit(train);
    }
    double testMse = probe.score(test);

    assertThat(testMse)
        .as("held-out MSE after %d fits vs predicting the mean (%s)", FITS, baselineMse)
        .isLessThan(0.25 * baselineMse);
  }

  @Test
  void aFrozenEncoderKeepsItsParametersWhileTheHeadAboveItLearns() {
    ComputationGraph probe = EncoderProbe.graph(SHAPE, SEED, true);
    MultiDataSet train = EncoderProbe.batch(SHAPE, ROWS, 4L).dataSet();
    INDArray attention =
        probe.getLayer(EncoderProbe.PREFIX + Networks.ENCODER_ATTENTION).params().dup();
    INDArray encoding =
        probe.getLayer(EncoderProbe.PREFIX + Networks.ENCODER_OUTPUT).params().dup();
    INDArray head = probe.getLayer(EncoderProbe.TARGET).params().dup();

    for (int fit = 0; fit < 5; fit++) {
      probe.fit(train);
    }

    assertThat(probe.getLayer(EncoderProbe.PREFIX + Networks.ENCODER_ATTENTION).params())
        .as("frozen attention parameters")
        .isEqualTo(attention);
    assertThat(probe.getLayer(EncoderProbe.PREFIX + Networks.ENCODER_OUTPUT).params())
        .as("frozen encoding parameters")
        .isEqualTo(encoding);
    assertThat(probe.getLayer(EncoderProbe.TARGET).params())
        .as("the trainable head moved")
        .isNotEqualTo(head);
  }

  @Test
  void anEncoderSurvivesItsJsonAndAModelSerializerRoundTrip() throws Exception {
    ComputationGraph probe = EncoderProbe.graph(SHAPE, SEED, false);
    EncoderProbe.Batch batch = EncoderProbe.batch(SHAPE, ROWS, 6L);
    probe.fit(batch.dataSet());
    ComputationGraphConfiguration config = probe.getConfiguration();

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ModelSerializer.writeModel(probe, bytes, true);
    ComputationGraph restored =
        ModelSerializer.restoreComputationGraph(
            new ByteArrayInputStream(bytes.toByteArray()), true);
    restored.fit(batch.dataSet());
    probe.fit(batch.dataSet());

    assertThat(ComputationGraphConfiguration.fromJson(config.toJson()))
        .as("the configuration rebuilt from its JSON")
        .isEqualTo(config);
    assertThat(restored.params())
        .as("parameters after one more fit on both")
        .isEqualTo(probe.params());
    assertThat(batch.encodings(restored)).as("encodings").isEqualTo(batch.encodings(probe));
  }

  @Test
  void badSizesAreNamed() {
    assertThatThrownBy(() -> new EncoderShape(8, 20, 3, 32, 16))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("attentionSize must be a multiple of heads (3), got 32");
    assertThatThrownBy(() -> EncoderShape.of(8, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recentSteps must be positive, got 0");
  }
}
