package dev.kindling.agents.nets;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;

/**
 * A loss that maximises the network's output, weighted per row by the labels: the score of a row is
 * {@code -sum_j label_j * output_j}, its gradient {@code -label}. With the critic's Q as the output
 * and λ = α / mean|Q| as the label of every row, minimising it maximises λ·Q(o, π(o)), the policy
 * term of TD3+BC. Carrying λ in the labels keeps the loss stateless, so a Spark trainer ships it
 * with each mini-batch rather than with the network configuration.
 *
 * <p>Stateless; a public no-arg constructor so that DL4J's JSON and Java serialization (and Spark)
 * can rebuild it. Cost: two element-wise passes over the output.
 */
public final class MaximiseOutputLoss implements ILossFunction {

  private static final long serialVersionUID = 1L;

  /** A loss with no state. */
  public MaximiseOutputLoss() {}

  private static INDArray scoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    requireEqualShapes(labels, preOutput);
    INDArray output = activationFn.getActivation(preOutput.dup(), true);
    INDArray scores = output.muli(labels.castTo(output.dataType())).negi();
    if (mask != null) {
      LossUtil.applyMask(scores, mask);
    }
    return scores;
  }

  @Override
  public double computeScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    INDArray scores = scoreArray(labels, preOutput, activationFn, mask);
    double score = scores.sumNumber().doubleValue();
    return average ? score / scores.size(0) : score;
  }

  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    return scoreArray(labels, preOutput, activationFn, mask).sum(true, 1);
  }

  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    requireEqualShapes(labels, preOutput);
    INDArray lossByOutput = labels.castTo(preOutput.dataType()).neg();
    if (mask != null && LossUtil.isPerOutputMasking(lossByOutput, mask)) {
      LossUtil.applyMask(lossByOutput, mask);
    }
    INDArray gradient = activationFn.backprop(preOutput.dup(), lossByOutput).getFirst();
    if (mask != null) {
      LossUtil.applyMask(gradient, mask);
    }
    return gradient;
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    return new Pair<>(
        computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  @Override
  public String name() {
    return toString();
  }

  @Override
  public String toString() {
    return "MaximiseOutputLoss()";
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MaximiseOutputLoss;
  }

  @Override
  public int hashCode() {
    return MaximiseOutputLoss.class.hashCode();
  }

  static void requireEqualShapes(INDArray labels, INDArray preOutput) {
    if (!labels.equalShapes(preOutput)) {
      throw new IllegalArgumentException(
          "labels and output must have equal shapes, got "
              + Arrays.toString(labels.shape())
              + " and "
              + Arrays.toString(preOutput.shape()));
    }
  }
}
