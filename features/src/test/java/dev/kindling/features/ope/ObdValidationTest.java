package dev.kindling.features.ope;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.features.SparkTestSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

/**
 * Off-policy evaluation on real logs, as in Saito et al. 2021: the Bernoulli TS policy's CTR on the
 * Open Bandit Dataset sample, estimated from the uniform-random policy's logs per campaign and
 * compared with the CTR in the TS policy's own logs (the ground truth).
 *
 * <p>The target policy is TS under the published priors ({@code prior_bts.yaml}); its {@code P(item
 * | position)} comes from {@value #MC_DRAWS} seeded Monte Carlo draws. The logged propensity is the
 * random policy's {@code propensity_score} (1 / number of items). The reward model is a 2-fold
 * cross-fitted logistic regression on the hashed user features and one-hot item and position.
 *
 * <p>Bounds, from the noise figures of the sample's ABOUT.md (about 50 clicks per log, so the
 * on-policy CTR alone has a relative standard error near 0.15, and plain IPS is off by about 0.34
 * for men and 0.48 for women with these probabilities):
 *
 * <ul>
 *   <li>the mean importance weight is within 0.2 of 1: {@code E_p[pi / p] = sum_a pi(a) = 1} for a
 *       proper target distribution, and swapping {@code p} and {@code pi} gives mean weights in the
 *       hundreds or zero propensities;
 *   <li>Kish's effective sample size is below half the rows: TS concentrates on a few items, so a
 *       target equal to the uniform logging policy (ESS = rows) is caught;
 *   <li>IPS's relative error is within 0.1 of the reference figure for its campaign (the figure is
 *       a deterministic function of the data and the probabilities; 0.1 leaves room for Monte Carlo
 *       error of the probabilities and the seed);
 *   <li>IPS, SNIPS, DM and DR have relative errors below {@link #MAX_RELATIVE_ERROR} 0.6: the
 *       reference IPS error plus the on-policy CTR's own noise (0.48 + 0.15 rounded down), well
 *       under what a wrong weight gives (uniform target: 0.33 for men but an ESS of n; swapped:
 *       mean weights of 12 and 21 and relative errors near 9);
 *   <li>the IPS, SNIPS and DR intervals, widened by two on-policy standard errors {@code 2 sqrt(ctr
 *       (1 - ctr) / n)}, contain the on-policy CTR: the truth is itself an estimate, so the two
 *       intervals must overlap rather than one contain the other's point. DM is left out of this
 *       bound: its bootstrap holds the fitted reward model fixed, so its interval shows the spread
 *       of the model's predictions over rows, not the model's own error (it is about thirty times
 *       narrower than the others here).
 * </ul>
 */
class ObdValidationTest {

  private static final Logger LOG = LoggerFactory.getLogger(ObdValidationTest.class);

  private static final int MC_DRAWS = 100_000;
  private static final long MC_SEED = 12_345L;
  private static final int POSITIONS = 3;
  private static final BootstrapSpec SPEC = new BootstrapSpec(1000, 0.95, 2021L);
  private static final double MAX_RELATIVE_ERROR = 0.6;
  private static final double MEAN_WEIGHT_SLACK = 0.2;
  private static final double MAX_ESS_FRACTION = 0.5;
  private static final double IPS_REFERENCE_SLACK = 0.1;
  private static final double TRUTH_STANDARD_ERRORS = 2.0;
  private static final List<String> CAMPAIGNS = List.of("men", "women");
  private static final Map<String, Double> IPS_REFERENCE = Map.of("men", 0.34, "women", 0.48);
  private static final Map<OffPolicyEstimator, Double> OBP_RELATIVE_ERROR =
      new EnumMap<>(
          Map.of(
              OffPolicyEstimator.IPS, 0.311,
              OffPolicyEstimator.SNIPS, 0.312,
              OffPolicyEstimator.DM, 0.157,
              OffPolicyEstimator.DR, 0.292));

  private static final Map<String, Campaign> CAMPAIGN_DATA = new LinkedHashMap<>();

  /** One campaign's inputs: random's log, the TS target table and the on-policy truth. */
  private record Campaign(
      String name, Dataset<Row> randomLog, Dataset<Row> target, double onPolicyCtr, long rows) {}

  /** One campaign's estimates with what the bounds read. */
  private record Outcome(
      Campaign campaign, double meanWeight, Map<OffPolicyEstimator, OpeEstimate> estimates) {}

  /** How the target probability of a logged action is computed. */
  private enum Target {
    THOMPSON_SAMPLING,
    /** A wrong computation: the uniform logging policy itself. */
    UNIFORM,
    /** A wrong computation: {@code p} and {@code pi} swapped. */
    SWAPPED
  }

  @BeforeAll
  static void load() throws IOException {
    SparkSession spark = SparkTestSession.get();
    Path dir = ObdSample.directory();
    Map<String, ObdSample.Prior> priors = ObdSample.priors(dir);
    for (String name : CAMPAIGNS) {
      ObdSample.Prior prior = priors.get(name);
      long start = System.nanoTime();
      double[][] probabilities =
          TopKThompsonSampling.positionProbabilities(
              prior.alpha(), prior.beta(), POSITIONS, MC_DRAWS, MC_SEED);
      LOG.info(
          "{}: {} Thompson sampling draws over {} items took {} ms",
          name,
          MC_DRAWS,
          probabilities.length,
          (System.nanoTime() - start) / 1_000_000);
      List<Row> rows = new ArrayList<>();
      for (int item = 0; item < probabilities.length; item++) {
        for (int j = 0; j < POSITIONS; j++) {
          rows.add(RowFactory.create(item, j + 1, probabilities[item][j]));
        }
      }
      StructType schema =
          new StructType()
              .add("item_id", DataTypes.IntegerType, false /* nullable */)
              .add("position", DataTypes.IntegerType, false /* nullable */)
              .add(
                  OffPolicyEstimators.TARGET_PROBABILITY,
                  DataTypes.DoubleType,
                  false /* nullable */);
      Dataset<Row> target = spark.createDataFrame(rows, schema).cache();
      Dataset<Row> randomLog = ObdSample.log(spark, dir, "random", name).cache();
      Row truth = ObdSample.log(spark, dir, "bts", name).agg(avg("click"), count()).first();
      CAMPAIGN_DATA.put(
          name, new Campaign(name, randomLog, target, truth.getDouble(0), truth.getLong(1)));
    }
  }

  private static Column count() {
    return functions.count(lit(1));
  }

  private static Outcome evaluate(Campaign campaign, Target mode, Set<OffPolicyEstimator> which) {
    Dataset<Row> logs =
        campaign
            .randomLog()
            .join(
                campaign.target(),
                JavaConverters.asScalaBuffer(List.of("item_id", "position")).toSeq())
            .withColumn(OffPolicyEstimators.REWARD, col("click"))
            .withColumn(OffPolicyEstimators.LOGGED_PROPENSITY, col("propensity_score"));
    if (mode == Target.UNIFORM) {
      logs = logs.withColumn(OffPolicyEstimators.TARGET_PROBABILITY, col("propensity_score"));
    } else if (mode == Target.SWAPPED) {
      logs =
          logs.withColumn(OffPolicyEstimators.LOGGED_PROPENSITY, col("target_probability"))
              .withColumn(OffPolicyEstimators.TARGET_PROBABILITY, col("propensity_score"));
    }
    if (which.stream().anyMatch(OffPolicyEstimator::needsRewardModel)) {
      Dataset<Row> candidates =
          campaign
              .randomLog()
              .select(
                  CrossFittedRewardModel.ROW_ID,
                  "position",
                  "user_feature_0",
                  "user_feature_1",
                  "user_feature_2",
                  "user_feature_3")
              .join(
                  campaign.target().where(col(OffPolicyEstimators.TARGET_PROBABILITY).gt(0)),
                  "position");
      logs =
          CrossFittedRewardModel.predict(
              logs,
              candidates,
              new CrossFittedRewardModel.Spec(rewardFeatures(), "features", 2, 1e-3, 25, 17L));
    }
    logs = logs.cache();
    double meanWeight =
        logs.agg(
                avg(
                    col(OffPolicyEstimators.TARGET_PROBABILITY)
                        .divide(col(OffPolicyEstimators.LOGGED_PROPENSITY))))
            .first()
            .getDouble(0);
    Outcome outcome =
        new Outcome(campaign, meanWeight, OffPolicyEstimators.estimate(logs, which, SPEC));
    logs.unpersist();
    return outcome;
  }

  private static List<PipelineStage> rewardFeatures() {
    String[] users = {"user_feature_0", "user_feature_1", "user_feature_2", "user_feature_3"};
    String[] indexed = new String[users.length];
    for (int i = 0; i < users.length; i++) {
      indexed[i] = users[i] + "_index";
    }
    String[] categorical = {indexed[0], indexed[1], indexed[2], indexed[3], "item_id", "position"};
    String[] encoded = new String[categorical.length];
    for (int i = 0; i < categorical.length; i++) {
      encoded[i] = categorical[i] + "_vector";
    }
    return List.of(
        new StringIndexer().setInputCols(users).setOutputCols(indexed).setHandleInvalid("keep"),
        new OneHotEncoder()
            .setInputCols(categorical)
            .setOutputCols(encoded)
            .setHandleInvalid("keep"),
        new VectorAssembler().setInputCols(encoded).setOutputCol("features"));
  }

  /** The bounds of the class Javadoc that {@code outcome} breaks; empty when it meets them all. */
  private static List<String> violations(Outcome outcome) {
    List<String> broken = new ArrayList<>();
    Campaign campaign = outcome.campaign();
    double truth = campaign.onPolicyCtr();
    double truthError = Math.sqrt(truth * (1 - truth) / campaign.rows());
    if (Math.abs(outcome.meanWeight() - 1.0) > MEAN_WEIGHT_SLACK) {
      broken.add(String.format("mean weight %.3f is not within 0.2 of 1", outcome.meanWeight()));
    }
    OpeEstimate ips = outcome.estimates().get(OffPolicyEstimator.IPS);
    if (ips.effectiveSampleSize() > MAX_ESS_FRACTION * ips.rows()) {
      broken.add(
          String.format(
              "ESS %.0f is above half of %d rows: the target looks like the logging policy",
              ips.effectiveSampleSize(), ips.rows()));
    }
    double reference = IPS_REFERENCE.get(campaign.name());
    if (Math.abs(ips.relativeError(truth) - reference) > IPS_REFERENCE_SLACK) {
      broken.add(
          String.format(
              "IPS relative error %.3f is not within 0.1 of the reference %.2f",
              ips.relativeError(truth), reference));
    }
    for (OpeEstimate estimate : outcome.estimates().values()) {
      if (!(estimate.relativeError(truth) < MAX_RELATIVE_ERROR)) {
        broken.add(
            String.format(
                "%s relative error %.3f is not below %.1f",
                estimate.estimator(), estimate.relativeError(truth), MAX_RELATIVE_ERROR));
      }
      double slack = TRUTH_STANDARD_ERRORS * truthError;
      if (estimate.estimator() != OffPolicyEstimator.DM
          && !(estimate.lower() - slack <= truth && truth <= estimate.upper() + slack)) {
        broken.add(
            String.format(
                "%s interval [%.5f, %.5f] widened by %.5f misses the on-policy CTR %.5f",
                estimate.estimator(), estimate.lower(), estimate.upper(), slack, truth));
      }
    }
    return broken;
  }

  @Test
  void thompsonSamplingCtrIsRecoveredFromRandomLogsWithinTheNoise() {
    StringBuilder table =
        new StringBuilder(
            String.format(
                "%nOBD sample: bts CTR estimated from random's logs (%d MC draws, %d bootstrap"
                    + " replicates, %.0f%% intervals)%n%-6s %-6s %-9s %-22s %-9s %-8s %-7s%n",
                MC_DRAWS,
                SPEC.replicates(),
                SPEC.level() * 100,
                "camp.",
                "est.",
                "estimate",
                "interval",
                "on-pol.",
                "rel.err",
                "OBP"));
    Map<String, List<String>> broken = new LinkedHashMap<>();
    for (Campaign campaign : CAMPAIGN_DATA.values()) {
      Outcome outcome =
          evaluate(campaign, Target.THOMPSON_SAMPLING, EnumSet.allOf(OffPolicyEstimator.class));
      for (OpeEstimate e : outcome.estimates().values()) {
        table.append(
            String.format(
                "%-6s %-6s %.6f  [%.6f, %.6f] %.6f  %.3f    %.3f%n",
                campaign.name(),
                e.estimator(),
                e.estimate(),
                e.lower(),
                e.upper(),
                campaign.onPolicyCtr(),
                e.relativeError(campaign.onPolicyCtr()),
                OBP_RELATIVE_ERROR.get(e.estimator())));
      }
      table.append(
          String.format(
              "%-6s mean weight %.3f, ESS %.0f of %d rows%n",
              campaign.name(),
              outcome.meanWeight(),
              outcome.estimates().get(OffPolicyEstimator.IPS).effectiveSampleSize(),
              campaign.rows()));
      broken.put(campaign.name(), violations(outcome));
    }
    LOG.info("{}", table);

    broken.forEach(
        (name, list) -> assertThat(list).as("the %s estimates meet every bound", name).isEmpty());
  }

  @Test
  void wrongTargetProbabilitiesBreakTheBounds() {
    EnumSet<OffPolicyEstimator> weighted =
        EnumSet.of(OffPolicyEstimator.IPS, OffPolicyEstimator.SNIPS);
    for (Campaign campaign : CAMPAIGN_DATA.values()) {
      for (Target wrong : List.of(Target.UNIFORM, Target.SWAPPED)) {
        List<String> broken;
        try {
          broken = violations(evaluate(campaign, wrong, weighted));
        } catch (IllegalArgumentException rejected) {
          broken = List.of("rejected: " + rejected.getMessage());
        }
        LOG.info("{} with {} target probabilities breaks: {}", campaign.name(), wrong, broken);
        assertThat(broken)
            .as("%s with %s target probabilities is caught", campaign.name(), wrong)
            .isNotEmpty();
      }
    }
  }
}
