package dev.kindling.agents.nets;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded one-step (bandit-like) replay whose best action is known: the reward of ranking weights
 * w is {@code 1 - SHARPNESS·||w - best||^2} plus small noise, whatever the observation; logged
 * weights are softmax(ln worse + noise), noisy around a worse action but spread wide enough to
 * cover the best one. Every step ends its episode ({@code done} = 1).
 */
public final class SyntheticBandit {

  /** The known best ranking weights: more freshness and novelty, less popularity. */
  public static final double[] BEST = {0.30, 0.10, 0.15, 0.25, 0.10, 0.10};

  /** The logging policy's (worse) ranking weights, leaning on popularity. */
  public static final double[] WORSE = {0.30, 0.40, 0.10, 0.05, 0.10, 0.05};

  static final double SHARPNESS = 3.0;
  static final double LOGGING_NOISE = 0.8;
  static final double REWARD_NOISE = 0.05;
  static final double LOGGED_EXPLORATION = 0.1;
  static final double EXPLORATION_SPREAD = 0.05;

  private SyntheticBandit() {}

  public static double reward(double[] weights) {
    double squared = 0.0;
    for (int j = 0; j < weights.length; j++) {
      double gap = weights[j] - BEST[j];
      squared += gap * gap;
    }
    return 1.0 - SHARPNESS * squared;
  }

  /** {@code rows} transitions for {@code shape} (its action size must be {@code BEST.length}). */
  public static TransitionBatch replay(NetworkShape shape, int rows, long seed) {
    Random random = new Random(seed);
    int actionSize = shape.actionSize();
    float[][] actions = new float[rows][shape.jointActionSize()];
    float[][] rewards = new float[rows][1];
    int[] agents = new int[rows];
    for (int row = 0; row < rows; row++) {
      double[] weights = new double[actionSize];
      double total = 0.0;
      for (int j = 0; j < actionSize; j++) {
        weights[j] = Math.exp(Math.log(WORSE[j]) + LOGGING_NOISE * random.nextGaussian());
        total += weights[j];
      }
      for (int j = 0; j < actionSize; j++) {
        weights[j] /= total;
        actions[row][j] = (float) weights[j];
      }
      actions[row][actionSize] =
          (float) (LOGGED_EXPLORATION + EXPLORATION_SPREAD * (2.0 * random.nextDouble() - 1.0));
      rewards[row][0] = (float) (reward(weights) + REWARD_NOISE * random.nextGaussian());
      agents[row] = random.nextInt(shape.agents());
    }
    Nd4j.getRandom().setSeed(seed);
    INDArray agent = TransitionBatch.oneHot(agents, shape.agents());
    return new TransitionBatch(
        history(shape, rows),
        Nd4j.randn(DataType.FLOAT, rows, shape.observationSize()),
        Nd4j.createFromArray(actions),
        agent,
        Nd4j.createFromArray(rewards),
        Nd4j.ones(DataType.FLOAT, rows, 1),
        history(shape, rows),
        Nd4j.randn(DataType.FLOAT, rows, shape.observationSize()),
        agent.dup());
  }

  private static INDArray history(NetworkShape shape, int rows) {
    return Nd4j.randn(DataType.FLOAT, rows, shape.historyFeatures(), shape.historySteps());
  }

  /** A joint action {@code [rows, actionSize + 1]} repeating mean weights {@code [actionSize]}. */
  public static INDArray repeatedRow(INDArray meanWeights, int rows) {
    return repeated(meanWeights.toDoubleVector(), rows);
  }

  /**
   * A joint action {@code [rows, actionSize + 1]} repeating {@code weights} and the exploration.
   */
  public static INDArray repeated(double[] weights, int rows) {
    float[][] actions = new float[rows][weights.length + 1];
    for (int row = 0; row < rows; row++) {
      for (int j = 0; j < weights.length; j++) {
        actions[row][j] = (float) weights[j];
      }
      actions[row][weights.length] = (float) LOGGED_EXPLORATION;
    }
    return Nd4j.createFromArray(actions);
  }
}
