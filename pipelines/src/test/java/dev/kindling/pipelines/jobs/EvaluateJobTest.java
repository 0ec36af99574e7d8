package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.nets.Networks;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.replay.ObservationNormaliser;
import dev.kindling.agents.serving.ArtifactManifest;
import dev.kindling.agents.serving.FeatureNormalisation;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.serving.QuotaFile;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EvaluateJob} and the gate {@link PublishJob} honours, on one tiny simulated day with a
 * policy trained by {@link TrainJob} (single-JVM trainer): the rows of every kind, a re-run that
 * replaces exactly the stage's rows, a missing model; a normal policy that passes and is published,
 * then an actor made to explore almost always (its exploration output's bias raised through the
 * network's parameters) that the gate blocks for its estimated value and CTR while LATEST stays;
 * and the protection-period rule on the served output. The tests run in order on one lakehouse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EvaluateJobTest {

  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJobTest.class);

  /** Raw bias of the exploration sigmoid that makes an actor explore with probability ~1. */
  private static final double ALWAYS_EXPLORE_BIAS = 8.0;

  private static final double VALUE_TOLERANCE = 0.5;

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path root;
  private static LocalDate day;
  private static Lakehouse lakehouse;

  @BeforeAll
  static void simulateValidateReplayAndTrain() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    JobFixtures.simulate(spark, root, 1);
    day = JobFixtures.startDate();
    JobFixtures.validate(spark, root, day);
    JobFixtures.replay(spark, root, day);
    new TrainJob(
            spark,
            TrainConfig.from(
                config(
                    "train.trainer=local",
                    "train.rounds=16",
                    "train.batch-size=256",
                    "train.transitions-per-round=1024",
                    "train.alpha=1.0",
                    "train.actor-learning-rate=0.02"),
                day))
        .run();
    lakehouse = new Lakehouse(spark, root.toString());
  }

  private static KindlingConfig config(String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("lakehouse.root=" + root);
    all.add("evaluate.bootstrap-replicates=100");
    all.add("evaluate.fqe-steps=1024");
    all.add("evaluate.fqe-iterations=3");
    all.add("evaluate.fqe-batch-size=512");
    // A day of this tiny world has about 640 steps with purchase-sized rewards: even the paired DR
    // interval of the value difference is +-0.12 wide for a policy close to the logging one, so
    // the value check gets a tolerance to match; the CTR check keeps its production threshold.
    all.add("evaluate.value-tolerance=" + VALUE_TOLERANCE);
    all.addAll(List.of(overrides));
    return KindlingConfig.defaults(all);
  }

  private static EvaluateResult evaluate() {
    EvaluateResult result = new EvaluateJob(spark, EvaluateConfig.from(config(), day)).run();
    LOG.info("{}", result);
    own()
        .where(col(EvaluationSchema.KIND).isin("off_policy", "gate"))
        .select("policy", "kind", "metric", "estimator", "value", "lower", "upper", "n", "detail")
        .orderBy("kind", "metric", "policy")
        .show(100, 160); // TEMP
    return result;
  }

  private static PublishResult publish() throws IOException {
    Path quotas = root.resolve(AllocateJob.quotaFilePath(day));
    Files.createDirectories(quotas.getParent());
    QuotaFile.write(quotas, Map.of("item-a", 5L));
    return new PublishJob(spark, PublishConfig.from(config(), day)).run();
  }

  private static Dataset<Row> own() {
    return lakehouse
        .read(Table.EVALUATION, day)
        .where(col(EvaluationSchema.RUN).equalTo(EvaluationSchema.RUN_EVALUATE));
  }

  private static List<Row> gateRows() {
    return own()
        .where(col(EvaluationSchema.KIND).equalTo(EvaluationSchema.KIND_GATE))
        .orderBy(EvaluationSchema.METRIC)
        .collectAsList();
  }

  private static double gateValue(String metric) {
    return gateRows().stream()
        .filter(r -> metric.equals(r.getAs(EvaluationSchema.METRIC)))
        .findFirst()
        .map(r -> (Double) r.getAs(EvaluationSchema.VALUE))
        .orElseThrow();
  }

  @Test
  @Order(1)
  void aMissingModelFailsNamingTheTrainCommand() {
    LocalDate other = day.plusDays(1);
    assertThatThrownBy(() -> new EvaluateJob(spark, EvaluateConfig.from(config(), other)).run())
        .as("evaluate a date without models/dt=D")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("bin/kindling train --run-date " + other);
  }

  @Test
  @Order(2)
  void writesEveryKindAndAReRunReplacesOnlyItsOwnRows() {
    Row loopRow =
        RowFactory.create(
            Date.valueOf(day),
            EvaluationSchema.RUN_SIMULATE_LOOP,
            3L,
            "kindling",
            EvaluationSchema.KIND_METRIC,
            "ctr",
            "observed",
            0.05,
            null,
            null,
            100L,
            null,
            null);
    lakehouse.replaceRows(
        Table.EVALUATION,
        day,
        EvaluationSchema.RUN + " = '" + EvaluationSchema.RUN_SIMULATE_LOOP + "'",
        spark.createDataFrame(List.of(loopRow), EvaluationSchema.SCHEMA));

    EvaluateResult first = evaluate();
    long rows = own().count();
    assertThat(rows).as("rows written, as the result says").isEqualTo(first.rows());
    for (String kind :
        List.of(
            EvaluationSchema.KIND_METRIC,
            EvaluationSchema.KIND_CURVE,
            EvaluationSchema.KIND_OFF_POLICY,
            EvaluationSchema.KIND_GATE)) {
      assertThat(own().where(col(EvaluationSchema.KIND).equalTo(kind)).count())
          .as("rows of kind %s", kind)
          .isPositive();
    }
    assertThat(
            own().where(col(EvaluationSchema.METRIC).equalTo(EvaluateJob.EXPOSURE_LORENZ)).count())
        .as("the Lorenz curve has the points 0..100")
        .isEqualTo(101L);
    for (String estimator : List.of("ips", "snips", "dm", "dr", EvaluateJob.FQE)) {
      assertThat(
              own()
                  .where(
                      col(EvaluationSchema.POLICY)
                          .equalTo(EvaluateJob.CANDIDATE)
                          .and(col(EvaluationSchema.ESTIMATOR).equalTo(estimator))
                          .and(col(EvaluationSchema.LOWER).isNotNull()))
                  .count())
          .as("the candidate has %s estimates with an interval", estimator)
          .isPositive();
    }
    assertThat(own().where(col(EvaluationSchema.POLICY).equalTo(EvaluateJob.PUBLISHED)).count())
        .as("nothing is published yet, so no rows for the published policy")
        .isZero();

    evaluate();
    assertThat(own().count()).as("a re-run writes as many rows").isEqualTo(rows);
    assertThat(
            own()
                .select(
                    EvaluationSchema.POLICY,
                    EvaluationSchema.KIND,
                    EvaluationSchema.METRIC,
                    EvaluationSchema.ESTIMATOR,
                    EvaluationSchema.POINT)
                .distinct()
                .count())
        .as("no duplicates after the re-run")
        .isEqualTo(rows);
    assertThat(
            lakehouse
                .read(Table.EVALUATION, day)
                .where(col(EvaluationSchema.RUN).equalTo(EvaluationSchema.RUN_SIMULATE_LOOP))
                .count())
        .as("the closed loop's row of the same dt survives")
        .isEqualTo(1L);
  }

  @Test
  @Order(3)
  void theGatePassesTheTrainedPolicyAndBlocksOneThatAlwaysExplores() throws IOException {
    assertThat(gateValue(EvaluationSchema.GATE))
        .as("the trained policy, evaluated above, passes: %s", gateRows())
        .isEqualTo(1.0);
    PublishResult published = publish();
    assertThat(published.published()).as("a passed policy is published").isTrue();
    assertThat(published.gate()).as("gate in the manifest").isEqualTo(ArtifactManifest.GATE_PASSED);
    Path artifacts = root.resolve(TrainJob.POLICY_ARTIFACTS);
    ArtifactManifest manifest = PolicyClient.loadLatest(artifacts).manifest();
    assertThat(manifest.evaluation())
        .as("the manifest carries the gate's checks")
        .containsKeys(EvaluationSchema.GATE, PromotionGate.VALUE, PromotionGate.CTR_LOSS);
    String latestBefore = Files.readString(artifacts.resolve(PolicyArtifacts.LATEST));
    Map<String, ArtifactManifest.FileEntry> filesBefore = manifest.files();

    Path model = root.resolve(TrainJob.MODELS).resolve(PolicyArtifacts.directoryName(day));
    PolicyFiles.Policy policy = PolicyFiles.load(model);
    for (var actor : policy.networks().actors()) {
      actor.getLayer(Networks.EXPLORATION).getParam("b").assign(ALWAYS_EXPLORE_BIAS);
    }
    PolicyFiles.save(model, policy.networks(), policy.metadata());

    EvaluateResult explorer = evaluate();
    assertThat(explorer.passed())
        .as("the always-exploring policy is blocked: %s", explorer)
        .isFalse();
    assertThat(gateValue(PromotionGate.CTR_LOSS)).as("blocked for its estimated CTR loss").isZero();
    assertThat(gateValue(PromotionGate.EXPLORATION_RATE))
        .as("and for exploring far more than the status quo recorded with it")
        .isZero();
    assertThat(gateValue(PromotionGate.PROTECTION_PERIOD))
        .as("the protection rule still holds on the served output")
        .isEqualTo(1.0);

    PublishResult blocked = publish();
    assertThat(blocked.published()).as("publish does not publish a blocked policy").isFalse();
    assertThat(blocked.blockedBecause()).as("the reason names the check").contains("ctr_loss");
    assertThat(Files.readString(artifacts.resolve(PolicyArtifacts.LATEST), StandardCharsets.UTF_8))
        .as("LATEST as it was")
        .isEqualTo(latestBefore);
    assertThat(PolicyClient.loadLatest(artifacts).manifest().files())
        .as("the published artifact as it was")
        .isEqualTo(filesBefore);
  }

  @Test
  @Order(4)
  void theServedExplorationIsZeroInTheProtectionPeriodAndTheCheckFailsOtherwise() {
    Path model = root.resolve(TrainJob.MODELS).resolve(PolicyArtifacts.directoryName(day));
    PolicyFiles.Policy policy = PolicyFiles.load(model);
    for (var actor : policy.networks().actors()) {
      actor.getLayer(Networks.EXPLORATION).getParam("b").assign(ALWAYS_EXPLORE_BIAS);
    }
    Path explorerModel = dir.resolve("explorer");
    PolicyFiles.save(explorerModel, policy.networks(), policy.metadata());
    List<String> names = ObservationSpec.featureNames(JobFixtures.SCENARIOS);
    FeatureNormalisation normalisation =
        ObservationNormaliser.fromFeatureSpec(
                lakehouse.read(Table.REPLAY_FEATURE_SPEC, day).collectAsList(), names)
            .normalisation();
    PolicyClient explorer = PolicyClient.fromModel(explorerModel, normalisation);
    int feature = names.indexOf(ObservationSpec.IN_PROTECTION_PERIOD);
    float[] observation = new float[names.size()];
    String scenario = JobFixtures.SCENARIOS.get(0);
    assertThat(explorer.act(scenario, observation, new float[0][]).explorationProbability())
        .as("outside the protection period the explorer explores")
        .isGreaterThan(0.9f);
    observation[feature] = 1f;
    assertThat(explorer.act(scenario, observation, new float[0][]).explorationProbability())
        .as("in the protection period the served probability is exactly 0")
        .isZero();

    assertThat(PromotionGate.protectionPeriod(10, 3, 0.4).passed())
        .as("the check fails when protected users are served exploration")
        .isFalse();
    assertThat(PromotionGate.protectionPeriod(10, 0, 0.0).passed())
        .as("the check passes when none is")
        .isTrue();

    assertThat(PromotionGate.explorationRate(100, 0.05, 0.04, 2.0).passed())
        .as("within the band")
        .isTrue();
    assertThat(PromotionGate.explorationRate(100, 0.002, 0.043, 3.0).passed())
        .as("a policy that stopped exploring")
        .isFalse();
    assertThat(PromotionGate.explorationRate(100, 0.14, 0.044, 3.0).passed())
        .as("a policy exploring more than three times as often as the status quo")
        .isFalse();
    assertThat(PromotionGate.explorationRate(100, 0.5, Double.NaN, 2.0).passed())
        .as("no recorded reference: nothing to compare with")
        .isTrue();
  }

  /**
   * A candidate whose actors read the behaviour-sequence encoder is evaluated on the encoder inputs
   * the replay holds (its off-policy, fitted-Q and gate rows all there and finite). Runs last: it
   * replaces D's replay and model with encoder ones. No item_embeddings precede D in this world, so
   * the item vectors are zeros and the encoder reads clicked, completed and age only.
   */
  @Test
  @Order(5)
  void aCandidateWithTheEncoderIsEvaluatedOnTheReplaysEncoderInputs() {
    String[] encoder = {"replay.encoder.enabled=true", "replay.encoder.recent-steps=5"};
    new ReplayJob(spark, ReplayConfig.from(config(encoder), day)).run();
    List<String> train = new ArrayList<>(List.of(encoder));
    train.addAll(
        List.of(
            "train.trainer=local",
            "train.rounds=4",
            "train.batch-size=256",
            "train.transitions-per-round=512"));
    new TrainJob(spark, TrainConfig.from(config(train.toArray(String[]::new)), day)).run();
    Path model = root.resolve(TrainJob.MODELS).resolve(PolicyArtifacts.directoryName(day));
    assertThat(PolicyFiles.load(model).metadata().shape().hasEncoder()).isTrue();

    new EvaluateJob(spark, EvaluateConfig.from(config(encoder), day)).run();

    List<Row> candidate =
        own().where(col(EvaluationSchema.POLICY).equalTo(EvaluateJob.CANDIDATE)).collectAsList();
    assertThat(candidate)
        .as("the candidate's off-policy and fitted-Q rows")
        .extracting(r -> r.<String>getAs(EvaluationSchema.ESTIMATOR))
        .contains("dr", EvaluateJob.FQE);
    assertThat(candidate)
        .as("every candidate estimate is finite")
        .allSatisfy(r -> assertThat(r.<Double>getAs(EvaluationSchema.VALUE)).isFinite());
    assertThat(gateRows()).as("the gate decided").isNotEmpty();
  }
}
