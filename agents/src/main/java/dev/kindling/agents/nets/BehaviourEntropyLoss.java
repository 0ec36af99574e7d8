package dev.kindling.agents.nets;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The behaviour regulariser of TD3+BC with an entropy bonus, for a probability-vector output (the
 * actor's softmax ranking weights): the score of a row is {@code ||a - a_logged||^2 - β·H(a)} with
 * {@code H(a) = -sum_j a_j ln a_j}, so minimising it pulls the policy towards the logged action and
 * away from a collapsed (one-hot) weight vector. The gradient with respect to the output is {@code
 * 2(a - a_logged) + β(ln a + 1)}; {@code ln} is taken of the output clamped at {@link #LOG_FLOOR}.
 *
 * <p>A public no-arg constructor and a getter/setter for {@code entropyWeight} so that DL4J's JSON
 * and Java serialization (and Spark) can rebuild it. Cost: a few element-wise passes over the
 * output.
 */
public final class BehaviourEntropyLoss extends ElementwiseLoss {

  private static final long serialVersionUID = 1L;

  /** Smallest probability whose logarithm is taken, so that a zero weight gives a finite loss. */
  public static final double LOG_FLOOR = 1e-6;

  private double entropyWeight;

  /** A pure behaviour-cloning loss (entropy weight 0). */
  public BehaviourEntropyLoss() {
    this(0.0);
  }

  /**
   * A behaviour-cloning loss with an entropy bonus.
   *
   * @param entropyWeight β ≥ 0, the weight of the entropy bonus
   */
  public BehaviourEntropyLoss(double entropyWeight) {
    setEntropyWeight(entropyWeight);
  }

  /** β, the weight of the entropy bonus. */
  public double getEntropyWeight() {
    return entropyWeight;
  }

  /** Sets β; must be finite and non-negative. */
  public void setEntropyWeight(double entropyWeight) {
    if (!(entropyWeight >= 0.0) || Double.isInfinite(entropyWeight)) {
      throw new IllegalArgumentException(
          "entropyWeight must be finite and >= 0, got " + entropyWeight);
    }
    this.entropyWeight = entropyWeight;
  }

  @Override
  INDArray elementScores(INDArray labels, INDArray output) {
    INDArray difference = output.sub(labels);
    INDArray scores = difference.muli(difference);
    if (entropyWeight > 0.0) {
      INDArray logOutput = Transforms.log(Transforms.max(output, LOG_FLOOR, true), false);
      scores.addi(output.mul(logOutput).muli(entropyWeight));
    }
    return scores;
  }

  @Override
  INDArray gradientByOutput(INDArray labels, INDArray output) {
    INDArray lossByOutput = output.sub(labels).muli(2.0);
    if (entropyWeight > 0.0) {
      INDArray logOutput = Transforms.log(Transforms.max(output, LOG_FLOOR, true), false);
      lossByOutput.addi(logOutput.addi(1.0).muli(entropyWeight));
    }
    return lossByOutput;
  }

  @Override
  public String toString() {
    return "BehaviourEntropyLoss(entropyWeight=" + entropyWeight + ")";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof BehaviourEntropyLoss that
        && Double.compare(entropyWeight, that.entropyWeight) == 0;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(new double[] {entropyWeight});
  }
}
