package dev.kindling.agents.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.nets.EncoderShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequenceInputsTest {

  private static final EncoderShape SHAPE = EncoderShape.of(2, 3);
  private static final Map<String, float[]> VECTORS =
      Map.of(
          "a", new float[] {1f, 0f},
          "b", new float[] {0f, 1f},
          "c", new float[] {0.6f, 0.8f});
  private static final SequenceInputs INPUTS = new SequenceInputs(SHAPE, VECTORS::get);

  private static SequenceInputs.Interaction click(String item, double ageHours) {
    return new SequenceInputs.Interaction(item, true, false, ageHours);
  }

  @Test
  void theLastNAreStepsOldestFirstAndTheRestIsTheirMeanAndCount() {
    List<SequenceInputs.Interaction> newestFirst =
        List.of(
            new SequenceInputs.Interaction("a", true, true, 0.0),
            new SequenceInputs.Interaction("b", false, false, 2.0),
            click("unknown", 5.0),
            click("a", 30.0),
            click("b", 400.0));

    SequenceInputs.Encoded encoded = INPUTS.of(newestFirst);

    int f = SHAPE.stepFeatures();
    assertThat(encoded.steps()).isEqualTo(3);
    assertThat(encoded.recent()).hasSize(3 * f);
    float[] oldest = Arrays.copyOfRange(encoded.recent(), 0, f);
    float[] middle = Arrays.copyOfRange(encoded.recent(), f, 2 * f);
    float[] newest = Arrays.copyOfRange(encoded.recent(), 2 * f, 3 * f);
    assertThat(oldest)
        .as("the third newest, an item without a vector: zeros, then its signals")
        .containsExactly(0f, 0f, 1f, 0f, (float) (Math.log1p(5) / Math.log1p(336)));
    assertThat(middle).containsExactly(0f, 1f, 0f, 0f, (float) (Math.log1p(2) / Math.log1p(336)));
    assertThat(newest).as("newest last").containsExactly(1f, 0f, 1f, 1f, 0f);
    assertThat(encoded.older()[0]).as("mean of a and b").isCloseTo(0.5f, within(1e-7f));
    assertThat(encoded.older()[1]).isCloseTo(0.5f, within(1e-7f));
    assertThat(encoded.older()[2])
        .as("two older interactions")
        .isCloseTo((float) (Math.log1p(2) / Math.log1p(1000)), within(1e-7f));
  }

  @Test
  void aUserWithNoInteractionIsOneStepOfZerosAndAgesBeyondTheHorizonReadOne() {
    SequenceInputs.Encoded none = INPUTS.of(List.of());
    SequenceInputs.Encoded old = INPUTS.of(List.of(click("c", 10_000.0)));

    assertThat(none.steps()).isEqualTo(1);
    assertThat(none.recent()).containsOnly(0f).hasSize(SHAPE.stepFeatures());
    assertThat(none.older()).containsOnly(0f);
    assertThat(old.recent()).containsExactly(0.6f, 0.8f, 1f, 0f, 1f);
  }

  @Test
  void aFewInteractionsFillOnlyTheirStepsAndLeaveNoSummary() {
    List<SequenceInputs.Interaction> two = new ArrayList<>(List.of(click("a", 1), click("b", 2)));

    SequenceInputs.Encoded encoded = INPUTS.of(two);

    assertThat(encoded.steps()).isEqualTo(2);
    assertThat(encoded.older()).containsOnly(0f);
  }

  @Test
  void aVectorOfTheWrongLengthOrANegativeAgeIsNamed() {
    SequenceInputs wrong = new SequenceInputs(SHAPE, item -> new float[3]);

    assertThatThrownBy(() -> wrong.of(List.of(click("a", 1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item a has an embedding of 3 values; the encoder reads 2");
    assertThatThrownBy(() -> INPUTS.of(List.of(click("b", -1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item b has age -1.0 hours");
  }
}
