package dev.kindling.features.ope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TopKThompsonSamplingTest {

  private static final int DRAWS = 100_000;

  /** Five Monte Carlo standard errors of a probability near 1/2 at {@link #DRAWS} draws. */
  private static final double MC_TOLERANCE = 5 * Math.sqrt(0.25 / DRAWS);

  @Test
  void uniformAgainstBetaTwoOneMatchesTheExactProbability() {
    // theta_0 ~ U(0, 1), theta_1 ~ Beta(2, 1) with density 2t: P(theta_1 > theta_0) = 2/3.
    double[][] p =
        TopKThompsonSampling.positionProbabilities(
            new double[] {1, 2}, new double[] {1, 1}, 1, DRAWS, 5L);

    assertThat(p[1][0]).as("P(item 1 first) = 2/3").isCloseTo(2.0 / 3, within(MC_TOLERANCE));
    assertThat(p[0][0] + p[1][0]).as("the position's probabilities sum to 1").isEqualTo(1.0);
  }

  @Test
  void everyPositionIsADistributionAndACertainLeaderIsFirst() {
    double[] alpha = {1000, 2, 2, 2, 2};
    double[] beta = {10, 50, 50, 50, 50};
    double[][] p = TopKThompsonSampling.positionProbabilities(alpha, beta, 3, DRAWS, 9L);

    for (int j = 0; j < 3; j++) {
      int position = j;
      double total = Arrays.stream(p).mapToDouble(row -> row[position]).sum();
      assertThat(total).as("position %d sums to 1", j + 1).isCloseTo(1.0, within(1e-9));
    }
    assertThat(p[0][0]).as("an item with theta near 0.99 is always first").isEqualTo(1.0);
    for (int i = 1; i < alpha.length; i++) {
      assertThat(p[i][1])
          .as("exchangeable items share position 2 equally")
          .isCloseTo(0.25, within(MC_TOLERANCE));
    }
  }

  @Test
  void gammaVariatesHaveTheirMean() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(3L);
    for (double shape : new double[] {0.5, 3.0, 857.0}) {
      double sum = 0;
      for (int i = 0; i < DRAWS; i++) {
        sum += TopKThompsonSampling.gamma(shape, random);
      }
      // Var Gamma(a) = a: five standard errors of the mean.
      assertThat(sum / DRAWS)
          .as("Gamma(%s) has mean %s", shape, shape)
          .isCloseTo(shape, within(5 * Math.sqrt(shape / DRAWS)));
    }
  }

  @Test
  void rejectsMismatchedParameters() {
    assertThatThrownBy(
            () ->
                TopKThompsonSampling.positionProbabilities(
                    new double[] {1, 1}, new double[] {1}, 1, 10, 1L))
        .as("one beta per alpha")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 alphas and 1 betas");
    assertThatThrownBy(
            () ->
                TopKThompsonSampling.positionProbabilities(
                    new double[] {1, 0}, new double[] {1, 1}, 1, 10, 1L))
        .as("Beta parameters are positive")
        .isInstanceOf(IllegalArgumentException.class);
  }
}
