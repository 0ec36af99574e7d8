package dev.kindling.features.ope;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.features.SparkTestSession;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The estimators on a synthetic contextual bandit whose target value is known exactly: a binary
 * context {@code x} (each half the time), three actions logged uniformly ({@code p = 1/3}), clicks
 * with probability {@link #CLICK}{@code [x][a]}, and a target policy {@link #TARGET}{@code [x][a]}
 * that favours action 0 in context 0 and action 2 in context 1. Its value is {@code V = sum_x 0.5
 * sum_a pi(a|x) mu(x, a) = 0.47}.
 *
 * <p>Tolerances come from the variance: IPS's per-row variance is {@code E[w^2 r] - V^2 = 1.065 -
 * 0.2209 = 0.844}, so with {@link #ROWS} rows its standard error is {@code sqrt(0.844 / 20000) =
 * 0.0065}; the other estimators are at most as variable here. A point estimate within four of its
 * own bootstrap standard errors of the truth fails for a correct estimator with probability below
 * 1e-4; 99% intervals all cover the truth for this fixed seed.
 */
class OffPolicyEstimatorsTest {

  private static final int ROWS = 20_000;
  private static final int ACTIONS = 3;
  private static final double LOGGED_PROPENSITY = 1.0 / ACTIONS;
  private static final double[][] CLICK = {{0.5, 0.2, 0.1}, {0.1, 0.2, 0.6}};
  private static final double[][] TARGET = {{0.8, 0.1, 0.1}, {0.1, 0.1, 0.8}};
  private static final double TRUE_VALUE = 0.47;
  private static final double IPS_STANDARD_ERROR = Math.sqrt((1.065 - 0.47 * 0.47) / ROWS);
  private static final double LEVEL = 0.99;
  private static final double Z_LEVEL = 2.5758; // standard normal 0.995 quantile
  private static final double SIGMAS = 4.0;
  private static final BootstrapSpec SPEC = new BootstrapSpec(500, LEVEL, 7L);

  private static final StructType LOG_SCHEMA =
      new StructType()
          .add(CrossFittedRewardModel.ROW_ID, DataTypes.LongType, false /* nullable */)
          .add("context", DataTypes.IntegerType, false /* nullable */)
          .add("action", DataTypes.IntegerType, false /* nullable */)
          .add("cell", DataTypes.IntegerType, false /* nullable */)
          .add(OffPolicyEstimators.REWARD, DataTypes.DoubleType, false /* nullable */)
          .add(OffPolicyEstimators.LOGGED_PROPENSITY, DataTypes.DoubleType, false /* nullable */)
          .add(OffPolicyEstimators.TARGET_PROBABILITY, DataTypes.DoubleType, false /* nullable */)
          .add(OffPolicyEstimators.REWARD_HAT, DataTypes.DoubleType, false /* nullable */)
          .add(OffPolicyEstimators.TARGET_REWARD_HAT, DataTypes.DoubleType, false /* nullable */);

  private static Dataset<Row> logs;
  private static Dataset<Row> candidates;

  @BeforeAll
  static void logBandit() {
    Random random = new Random(20_111L);
    List<Row> rows = new ArrayList<>(ROWS);
    List<Row> targetRows = new ArrayList<>(ROWS * ACTIONS);
    for (long id = 0; id < ROWS; id++) {
      int x = random.nextInt(2);
      int a = random.nextInt(ACTIONS);
      double click = random.nextDouble() < CLICK[x][a] ? 1.0 : 0.0;
      double oracleTarget = 0;
      for (int b = 0; b < ACTIONS; b++) {
        oracleTarget += TARGET[x][b] * CLICK[x][b];
        targetRows.add(RowFactory.create(id, x, b, cell(x, b), TARGET[x][b]));
      }
      rows.add(
          RowFactory.create(
              id,
              x,
              a,
              cell(x, a),
              click,
              LOGGED_PROPENSITY,
              TARGET[x][a],
              CLICK[x][a],
              oracleTarget));
    }
    logs = SparkTestSession.get().createDataFrame(rows, LOG_SCHEMA).cache();
    StructType candidateSchema =
        new StructType()
            .add(CrossFittedRewardModel.ROW_ID, DataTypes.LongType, false /* nullable */)
            .add("context", DataTypes.IntegerType, false /* nullable */)
            .add("action", DataTypes.IntegerType, false /* nullable */)
            .add("cell", DataTypes.IntegerType, false /* nullable */)
            .add(
                OffPolicyEstimators.TARGET_PROBABILITY, DataTypes.DoubleType, false /* nullable */);
    candidates = SparkTestSession.get().createDataFrame(targetRows, candidateSchema).cache();
  }

  @AfterAll
  static void release() {
    logs.unpersist();
    candidates.unpersist();
  }

  private static int cell(int x, int a) {
    return x * ACTIONS + a;
  }

  private static double bootstrapStandardError(OpeEstimate estimate) {
    return (estimate.upper() - estimate.lower()) / (2 * Z_LEVEL);
  }

  private static void assertRecoversTruth(OpeEstimate estimate) {
    assertThat(estimate.covers(TRUE_VALUE))
        .as("%s's %.0f%% interval covers the true value %.3f", estimate, LEVEL * 100, TRUE_VALUE)
        .isTrue();
    assertThat(Math.abs(estimate.estimate() - TRUE_VALUE))
        .as("%s lies within %.0f bootstrap standard errors of %.3f", estimate, SIGMAS, TRUE_VALUE)
        .isLessThan(SIGMAS * bootstrapStandardError(estimate));
  }

  @Test
  void everyEstimatorRecoversTheKnownValueWithTheOracleRewardModel() {
    Map<OffPolicyEstimator, OpeEstimate> estimates =
        OffPolicyEstimators.estimate(logs, EnumSet.allOf(OffPolicyEstimator.class), SPEC);

    assertThat(estimates).as("one estimate per estimator").hasSize(4);
    estimates.values().forEach(OffPolicyEstimatorsTest::assertRecoversTruth);
    OpeEstimate ips = estimates.get(OffPolicyEstimator.IPS);
    assertThat(bootstrapStandardError(ips) / IPS_STANDARD_ERROR)
        .as("IPS's bootstrap standard error matches the analytic %.4f", IPS_STANDARD_ERROR)
        .isBetween(0.85, 1.15);
    assertThat(ips.rows()).as("every row counted").isEqualTo(ROWS);
    // Kish ESS: E[w]^2 / E[w^2] with w = 3 pi; E[w^2] = 3 sum_a pi^2 = 3 * 0.66 = 1.98.
    assertThat(ips.effectiveSampleSize() / ROWS)
        .as("effective sample size near n / 1.98")
        .isBetween(1 / 1.98 - 0.02, 1 / 1.98 + 0.02);
    // DR's per-row variance with the exact model: Var(q_pi(x)) + E[w^2 mu (1 - mu)] = 0.0016 +
    // 0.478, so its standard error is sqrt(0.48 / 0.844) = 0.75 of IPS's.
    assertThat(bootstrapStandardError(estimates.get(OffPolicyEstimator.DR)))
        .as("DR with an exact reward model is tighter than IPS (ratio 0.75)")
        .isLessThan(0.85 * bootstrapStandardError(ips));
  }

  @Test
  void targetEqualToTheLoggingPolicyGivesTheLoggedMean() {
    Dataset<Row> onPolicy =
        logs.withColumn(OffPolicyEstimators.TARGET_PROBABILITY, lit(LOGGED_PROPENSITY));
    double loggedMean = logs.agg(avg(col("reward"))).first().getDouble(0);

    Map<OffPolicyEstimator, OpeEstimate> estimates =
        OffPolicyEstimators.estimate(
            onPolicy, EnumSet.of(OffPolicyEstimator.IPS, OffPolicyEstimator.SNIPS), SPEC);

    assertThat(estimates.get(OffPolicyEstimator.SNIPS).estimate())
        .as("with w = 1 everywhere SNIPS is the plain mean")
        .isCloseTo(loggedMean, within(1e-12));
    assertThat(estimates.get(OffPolicyEstimator.IPS).effectiveSampleSize())
        .as("with w = 1 everywhere the ESS is n")
        .isCloseTo(ROWS, within(1e-6));
  }

  @Test
  void sameSeedSameIntervalOtherSeedOtherInterval() {
    EnumSet<OffPolicyEstimator> ips = EnumSet.of(OffPolicyEstimator.IPS);
    OpeEstimate first = OffPolicyEstimators.estimate(logs, ips, SPEC).get(OffPolicyEstimator.IPS);
    OpeEstimate again = OffPolicyEstimators.estimate(logs, ips, SPEC).get(OffPolicyEstimator.IPS);
    OpeEstimate other =
        OffPolicyEstimators.estimate(logs, ips, new BootstrapSpec(500, LEVEL, 8L))
            .get(OffPolicyEstimator.IPS);

    OpeEstimate reshuffled =
        OffPolicyEstimators.estimate(logs.repartition(3).sortWithinPartitions("reward"), ips, SPEC)
            .get(OffPolicyEstimator.IPS);

    assertThat(again).as("a seeded bootstrap is reproducible").isEqualTo(first);
    // Equal up to the rounding of sums taken in another order.
    assertThat(reshuffled.lower())
        .as("with row_id the interval does not depend on partitioning or order")
        .isCloseTo(first.lower(), within(1e-12));
    assertThat(reshuffled.upper())
        .as("nor does its upper end")
        .isCloseTo(first.upper(), within(1e-12));
    assertThat(other.lower()).as("another seed draws other replicates").isNotEqualTo(first.lower());
    assertThat(other.estimate())
        .as("the point estimate does not depend on the seed")
        .isEqualTo(first.estimate());
  }

  private static List<PipelineStage> oneHot(String column) {
    return List.of(
        new OneHotEncoder()
            .setInputCol(column)
            .setOutputCol("features")
            .setDropLast(false)
            .setHandleInvalid("keep"));
  }

  private static Map<OffPolicyEstimator, OpeEstimate> withFittedModel(String featureColumn) {
    Dataset<Row> withoutOracle =
        logs.drop(OffPolicyEstimators.REWARD_HAT, OffPolicyEstimators.TARGET_REWARD_HAT);
    Dataset<Row> predicted =
        CrossFittedRewardModel.predict(
            withoutOracle,
            candidates,
            new CrossFittedRewardModel.Spec(oneHot(featureColumn), "features", 2, 1e-4, 50, 3L));
    return OffPolicyEstimators.estimate(
        predicted, EnumSet.of(OffPolicyEstimator.DM, OffPolicyEstimator.DR), SPEC);
  }

  @Test
  void crossFittedWellSpecifiedModelMakesDmAndDrUnbiased() {
    Map<OffPolicyEstimator, OpeEstimate> estimates = withFittedModel("cell");

    // DM's bootstrap holds the fitted model fixed, so its interval reflects only the spread of
    // q_pi(x) over rows; its error is the model's: each of the six cell means is fitted on about
    // 3,333 rows (standard error <= 0.0087), and DM weighs them by 0.5 pi(a|x), which gives a
    // standard error near 0.005. Four of those: 0.02.
    OpeEstimate dm = estimates.get(OffPolicyEstimator.DM);
    assertThat(Math.abs(dm.estimate() - TRUE_VALUE))
        .as("DM with a saturated model is within 0.02 of %.2f: %s", TRUE_VALUE, dm)
        .isLessThan(0.02);
    assertRecoversTruth(estimates.get(OffPolicyEstimator.DR));
  }

  @Test
  void misspecifiedModelBiasesDmButNotDr() {
    // A model of the action alone predicts mu(a) = mean_x mu(x, a) = (0.3, 0.2, 0.35), so DM
    // converges to 0.5 (0.8*0.3 + 0.1*0.2 + 0.1*0.35) + 0.5 (0.1*0.3 + 0.1*0.2 + 0.8*0.35) =
    // 0.3125, 0.1575 below the truth; DR's correction term removes that bias.
    Map<OffPolicyEstimator, OpeEstimate> estimates = withFittedModel("action");

    OpeEstimate dm = estimates.get(OffPolicyEstimator.DM);
    assertThat(dm.estimate())
        .as("DM with an action-only model converges to 0.3125, not %.2f: %s", TRUE_VALUE, dm)
        .isBetween(0.3125 - 0.02, 0.3125 + 0.02);
    assertThat(dm.covers(TRUE_VALUE)).as("DM's interval misses the truth: %s", dm).isFalse();
    assertRecoversTruth(estimates.get(OffPolicyEstimator.DR));
  }

  @Test
  void explorationDecisionEstimatesTheTargetExplorationRate() {
    // One decision per request, explored with probability 0.2 by the logging policy; the reward
    // is 1 exactly when it explored, so a target policy exploring with probability 0.5 has value
    // 0.5, and IPS's weights are 0.5 / 0.2 on explored rows and 0.5 / 0.8 on the others.
    Random random = new Random(5L);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4_000; i++) {
      boolean explore = random.nextDouble() < 0.2;
      rows.add(RowFactory.create(explore, 0.2, explore ? 1.0 : 0.0));
    }
    StructType schema =
        new StructType()
            .add("explore", DataTypes.BooleanType, false /* nullable */)
            .add("explore_prob", DataTypes.DoubleType, false /* nullable */)
            .add(OffPolicyEstimators.REWARD, DataTypes.DoubleType, false /* nullable */);
    Dataset<Row> decisions =
        SparkTestSession.get()
            .createDataFrame(rows, schema)
            .withColumn(
                OffPolicyEstimators.LOGGED_PROPENSITY,
                OffPolicyEstimators.binaryDecisionProbability(col("explore"), col("explore_prob")))
            .withColumn(
                OffPolicyEstimators.TARGET_PROBABILITY,
                OffPolicyEstimators.binaryDecisionProbability(col("explore"), lit(0.5)));

    OpeEstimate snips =
        OffPolicyEstimators.estimate(decisions, EnumSet.of(OffPolicyEstimator.SNIPS), SPEC)
            .get(OffPolicyEstimator.SNIPS);

    assertThat(snips.covers(0.5)).as("SNIPS covers the target's value 0.5: %s", snips).isTrue();
    assertThat(snips.covers(0.2)).as("and not the logging policy's 0.2: %s", snips).isFalse();
  }

  private static Dataset<Row> withValue(String column, double value) {
    return logs.limit(10).withColumn(column, lit(value));
  }

  @Test
  void invalidRowsAreRejectedWithTheBadValue() {
    EnumSet<OffPolicyEstimator> all = EnumSet.allOf(OffPolicyEstimator.class);
    assertThatThrownBy(
            () ->
                OffPolicyEstimators.estimate(
                    withValue(OffPolicyEstimators.LOGGED_PROPENSITY, 0.0), all, SPEC))
        .as("a zero logged propensity cannot be reweighted")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("10 of 10")
        .hasMessageContaining("logged_propensity 0.0 outside (0, 1]");
    assertThatThrownBy(
            () ->
                OffPolicyEstimators.estimate(
                    withValue(OffPolicyEstimators.REWARD, Double.NaN), all, SPEC))
        .as("a NaN reward is rejected")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("non-finite");
    assertThatThrownBy(
            () ->
                OffPolicyEstimators.estimate(
                    withValue(OffPolicyEstimators.TARGET_PROBABILITY, 1.5), all, SPEC))
        .as("a target probability above 1 is rejected")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target_probability 1.5 outside [0, 1]");
    assertThatThrownBy(
            () ->
                OffPolicyEstimators.estimate(
                    logs.drop(OffPolicyEstimators.TARGET_REWARD_HAT), all, SPEC))
        .as("DM and DR need the reward-model columns")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target_reward_hat");
    assertThatThrownBy(() -> new BootstrapSpec(100, 1.0, 1L))
        .as("a coverage of 1 is no interval")
        .isInstanceOf(IllegalArgumentException.class);
  }
}
