package dev.kindling.agents.nets;

import org.nd4j.linalg.api.ndarray.INDArray;

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
public final class MaximiseOutputLoss extends ElementwiseLoss {

  private static final long serialVersionUID = 1L;

  /** A loss with no state. */
  public MaximiseOutputLoss() {}

  @Override
  INDArray elementScores(INDArray labels, INDArray output) {
    return output.muli(labels).negi();
  }

  @Override
  INDArray gradientByOutput(INDArray labels, INDArray output) {
    return labels.neg();
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
}
