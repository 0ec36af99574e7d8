package dev.kindling.agents.nets;

import java.util.Arrays;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossUtil;

/**
 * The plumbing every Kindling loss over an output layer shares: masking, summing element scores
 * into row and batch scores, and back-propagating the gradient with respect to the output through
 * the activation. A subclass defines only its element-wise score and that gradient.
 *
 * <p>Subclasses keep a public no-arg constructor and getters/setters for their fields, so that
 * DL4J's JSON and Java serialization (and Spark) can rebuild them.
 */
abstract class ElementwiseLoss implements ILossFunction {

  private static final long serialVersionUID = 1L;

  /**
   * Element-wise scores {@code [batch, outputs]} of the activated {@code output} against {@code
   * labels}; may overwrite {@code output}.
   */
  abstract INDArray elementScores(INDArray labels, INDArray output);

  /**
   * Gradient of the element-wise score with respect to the activated {@code output}; may overwrite
   * {@code output}.
   */
  abstract INDArray gradientByOutput(INDArray labels, INDArray output);

  private INDArray scoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    requireEqualShapes(labels, preOutput);
    INDArray output = activationFn.getActivation(preOutput.dup(), true);
    INDArray scores = elementScores(labels.castTo(output.dataType()), output);
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
    INDArray output = activationFn.getActivation(preOutput.dup(), true);
    INDArray lossByOutput = gradientByOutput(labels.castTo(output.dataType()), output);
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
