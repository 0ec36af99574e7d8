package dev.kindling.agents.nets;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A seeded bandit whose best action depends on the user's recent behaviour only: group A users
 * watched items whose first embedding coordinate is +0.8, group B users items at −0.8 (the other
 * coordinates noise); the reward of weights w is {@code 1 − 3·‖w − best_g‖²} with best_A = {@link
 * SyntheticBandit#BEST} and best_B = {@link #BEST_B}, which leans on popularity. Logged actions,
 * observations and histories are as in {@link SyntheticBandit} and tell the groups nothing. Every
 * row has 1..N−1 real steps, so every row has padding.
 */
public final class SequenceBandit {

  /** The best ranking weights of group B: more popularity, less freshness and novelty. */
  public static final double[] BEST_B = {0.30, 0.30, 0.05, 0.10, 0.15, 0.10};

  private static final float GROUP_COORDINATE = 0.8f;

  private SequenceBandit() {}

  /**
   * {@code rows} transitions for {@code shape}, which must have an encoder; odd rows are group B.
   */
  public static TransitionBatch replay(NetworkShape shape, int rows, long seed) {
    TransitionBatch base = SyntheticBandit.replay(shape, rows, seed);
    EncoderShape encoder = shape.encoder();
    Random random = new Random(seed + 100);
    int n = encoder.recentSteps();
    int e = encoder.itemDimension();
    float[][][] recent = new float[rows][encoder.stepFeatures()][n];
    float[][] mask = new float[rows][n];
    float[][] older = new float[rows][encoder.summaryFeatures()];
    float[][] reward = new float[rows][1];
    INDArray action = base.action();
    for (int row = 0; row < rows; row++) {
      boolean groupB = row % 2 == 1;
      int length = 1 + random.nextInt(n - 1);
      for (int t = 0; t < length; t++) {
        recent[row][0][t] = groupB ? -GROUP_COORDINATE : GROUP_COORDINATE;
        for (int i = 1; i < e; i++) {
          recent[row][i][t] = (float) (0.3 * random.nextGaussian());
        }
        recent[row][e][t] = random.nextBoolean() ? 1f : 0f;
        recent[row][e + 2][t] = random.nextFloat();
        mask[row][t] = 1f;
      }
      double[] weights = new double[SyntheticBandit.BEST.length];
      for (int j = 0; j < weights.length; j++) {
        weights[j] = action.getDouble(row, j);
      }
      double[] best = groupB ? BEST_B : SyntheticBandit.BEST;
      double squared = 0.0;
      for (int j = 0; j < weights.length; j++) {
        squared += (weights[j] - best[j]) * (weights[j] - best[j]);
      }
      reward[row][0] =
          (float)
              (1.0
                  - SyntheticBandit.SHARPNESS * squared
                  + SyntheticBandit.REWARD_NOISE * random.nextGaussian());
    }
    INDArray recentArray = Nd4j.createFromArray(recent);
    INDArray maskArray = Nd4j.createFromArray(mask);
    INDArray olderArray = Nd4j.createFromArray(older);
    EncoderBatch inputs =
        new EncoderBatch(
            recentArray,
            maskArray,
            olderArray,
            recentArray.dup(),
            maskArray.dup(),
            olderArray.dup());
    return new TransitionBatch(
        base.history(),
        base.observation(),
        base.action(),
        base.agent(),
        Nd4j.createFromArray(reward),
        base.done(),
        base.nextHistory(),
        base.nextObservation(),
        base.nextAgent(),
        inputs);
  }

  /** Mean popularity weight (index 1) of group B's rows minus group A's. */
  public static double popularityGap(INDArray actions, TransitionBatch batch) {
    double sumA = 0.0;
    double sumB = 0.0;
    long rows = batch.size();
    for (int row = 0; row < rows; row++) {
      if (row % 2 == 1) {
        sumB += actions.getDouble(row, 1);
      } else {
        sumA += actions.getDouble(row, 1);
      }
    }
    long countB = rows / 2;
    return sumB / countB - sumA / (rows - countB);
  }
}
