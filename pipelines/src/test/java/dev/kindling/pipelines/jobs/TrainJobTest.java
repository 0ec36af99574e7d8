package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Networks;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.agents.serving.QuotaFile;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.replay.ReplayParams;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.features.schema.TrainingRunsSchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.TestFiles;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TrainJob} on the replay of a tiny simulated day (and a copy of it as the day before, for
 * the window): one {@code training_runs} row per round, a NaN reward that stops the run without
 * touching the published policy (both with the Spark trainer, the default), resumption after a
 * crash, and a warm start from the published policy, hand-placed or written by {@link PublishJob}
 * (these with the single-JVM trainer, quicker). Each test trains in its own copy of the replay
 * tables.
 */
class TrainJobTest {

  private static final Logger LOG = LoggerFactory.getLogger(TrainJobTest.class);

  private static final int ROUNDS = 3;
  private static final int NAN_EVERY = 40;
  private static final long OTHER_SEED = 999L;
  private static final double TINY_LEARNING_RATE = 1e-9;
  private static final double WARM_TOLERANCE = 1e-4;
  private static final String PUBLISHED = "dt=2023-12-31";
  private static final List<Double> REFERENCE_ACTION = referenceAction();
  private static final List<List<Double>> PUBLISHED_REFERENCE =
      Collections.nCopies(JobFixtures.SCENARIOS.size(), REFERENCE_ACTION);

  /** A distinctive reference action: uniform weights and an exploration rate of 0.123. */
  private static List<Double> referenceAction() {
    List<Double> action = new ArrayList<>();
    for (int i = 0; i < ReplayParams.DEFAULT_ACTION_LENGTH; i++) {
      action.add(1.0 / ReplayParams.DEFAULT_ACTION_LENGTH);
    }
    action.add(0.123);
    return List.copyOf(action);
  }

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path source;
  private static LocalDate day;

  @BeforeAll
  static void simulateValidateAndReplay() {
    spark = SparkTestSession.get();
    source = dir.resolve("source");
    JobFixtures.simulate(spark, source, 1);
    day = JobFixtures.startDate();
    JobFixtures.validate(spark, source, day);
    JobFixtures.replay(spark, source, day);
    // A second replay day for the window, cheaper than simulating, validating and replaying one:
    // the run date's transitions again under the day before.
    Lakehouse lakehouse = new Lakehouse(spark, source.toString());
    LocalDate before = day.minusDays(1);
    for (Table table : List.of(Table.REPLAY, Table.REPLAY_FEATURE_SPEC)) {
      lakehouse.replacePartition(
          table,
          before,
          JobFixtures.snapshot(spark, lakehouse.read(table, day))
              .withColumn(ReplaySchema.DT, lit(before.toString()).cast("date")));
    }
  }

  /** A fresh lakehouse holding a copy of the replay tables. */
  private static Path lakehouseCopy(String name) throws IOException {
    Path root = dir.resolve(name);
    for (Table table : List.of(Table.REPLAY, Table.REPLAY_FEATURE_SPEC)) {
      TestFiles.copyTree(source.resolve(table.tableName()), root.resolve(table.tableName()));
    }
    return root;
  }

  private static TrainConfig config(Path root, String... overrides) {
    return config(root, day, overrides);
  }

  private static TrainConfig config(Path root, LocalDate date, String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("lakehouse.root=" + root);
    all.add("train.trainer=local");
    all.add("train.rounds=" + ROUNDS);
    all.add("train.batch-size=128");
    all.add("train.transitions-per-round=512");
    all.addAll(List.of(overrides));
    return TrainConfig.from(KindlingConfig.defaults(all), date);
  }

  private static List<Row> trainingRuns(Path root) {
    return new Lakehouse(spark, root.toString())
        .read(Table.TRAINING_RUNS, day)
        .orderBy(TrainingRunsSchema.ROUND)
        .collectAsList();
  }

  @Test
  void everyRoundWritesOneFiniteRowThenThePolicyReplacesTheCheckpoint() throws IOException {
    Path root = lakehouseCopy("plain");

    TrainResult result = new TrainJob(spark, config(root, "train.trainer=spark")).run();

    List<Row> rows = trainingRuns(root);
    assertThat(rows).as("one training_runs row per round").hasSize(ROUNDS);
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      assertThat(row.<Integer>getAs(TrainingRunsSchema.ROUND)).as("round order").isEqualTo(i + 1);
      assertThat(row.<String>getAs(TrainingRunsSchema.RUN_ID)).isEqualTo(result.runId());
      assertThat(row.<String>getAs(TrainingRunsSchema.TRAINER)).isEqualTo("spark");
      assertThat(row.<Boolean>getAs(TrainingRunsSchema.RESUMED)).isFalse();
      assertThat(row.<Long>getAs(TrainingRunsSchema.TRANSITIONS)).isEqualTo(512L);
      for (String column :
          List.of(
              TrainingRunsSchema.CRITIC_LOSS_1,
              TrainingRunsSchema.CRITIC_LOSS_2,
              TrainingRunsSchema.ACTOR_LOSS,
              TrainingRunsSchema.MEAN_Q,
              TrainingRunsSchema.MAX_Q,
              TrainingRunsSchema.CRITIC_GRADIENT_NORM_1,
              TrainingRunsSchema.CRITIC_GRADIENT_NORM_2,
              TrainingRunsSchema.ACTOR_GRADIENT_NORM,
              TrainingRunsSchema.BEHAVIOUR_DISTANCE,
              TrainingRunsSchema.TRANSITIONS_PER_SECOND,
              TrainingRunsSchema.SECONDS)) {
        assertThat(row.<Double>getAs(column)).as("%s of round %d", column, i + 1).isFinite();
      }
      LOG.info(
          "round {}: critic loss {} / {}",
          i + 1,
          row.<Double>getAs(TrainingRunsSchema.CRITIC_LOSS_1),
          row.<Double>getAs(TrainingRunsSchema.CRITIC_LOSS_2));
    }
    assertThat(result.windowDates())
        .as("the window holds both replay days")
        .containsExactly(day.minusDays(1), day);
    assertThat(result.roundsRun()).isEqualTo(ROUNDS);
    assertThat(result.start()).isEqualTo("fresh networks");

    PolicyFiles.Policy model = PolicyFiles.load(root.resolve(TrainJob.MODELS + "/dt=" + day));
    assertThat(model.metadata().roundsCompleted()).as("the model's rounds").isEqualTo(ROUNDS);
    assertThat(model.metadata().scenarios()).isEqualTo(JobFixtures.SCENARIOS);
    assertThat(root.resolve(TrainJob.CHECKPOINTS + "/dt=" + day))
        .as("the checkpoint is removed once the model is written")
        .doesNotExist();
  }

  /**
   * With replay.encoder.enabled the networks read the behaviour-sequence encoder, and every window
   * day must carry the encoder columns built with the same N and E: a day without them, or with
   * more steps than N, is named before any round. (The columns here are constant stand-ins; the
   * replay builds the real ones, ReplayJobTest, and learning through them is
   * EncoderNetworksTest's.)
   */
  @Test
  void theEncoderPolicyReadsTheBehaviourSequenceAndWindowDaysWithoutItAreNamed()
      throws IOException {
    Path root = lakehouseCopy("encoder");
    Lakehouse lakehouse = new Lakehouse(spark, root.toString());
    int dimension = KindlingConfig.defaults(List.of()).get(ConfigKeys.EMBEDDINGS_DIMENSION);
    int steps = 2;
    Dataset<Row> filled = JobFixtures.snapshot(spark, lakehouse.read(Table.REPLAY, day));
    for (String prefix : List.of("", "next_")) {
      filled =
          filled
              .withColumn(
                  prefix + ReplaySchema.ENCODER_RECENT,
                  array_repeat(lit(0.25f), steps * (dimension + 3)))
              .withColumn(prefix + ReplaySchema.ENCODER_STEPS, lit(steps))
              .withColumn(
                  prefix + ReplaySchema.ENCODER_OLDER, array_repeat(lit(0.5f), dimension + 1));
    }
    lakehouse.replacePartition(Table.REPLAY, day, filled);

    assertThatThrownBy(
            () ->
                new TrainJob(
                        spark,
                        config(
                            root, "replay.encoder.enabled=true", "replay.encoder.recent-steps=3"))
                    .run())
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("[" + day.minusDays(1) + "] were built without the encoder")
        .hasMessageContaining("bin/kindling replay");
    assertThatThrownBy(
            () ->
                new TrainJob(
                        spark,
                        config(
                            root,
                            "replay.encoder.enabled=true",
                            "replay.encoder.recent-steps=1",
                            "train.window-days=1"))
                    .run())
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("built with another encoder")
        .hasMessageContaining("up to 2 steps");
    assertThat(trainingRuns(root)).as("no round ran").isEmpty();

    new TrainJob(
            spark,
            config(
                root,
                "replay.encoder.enabled=true",
                "replay.encoder.recent-steps=3",
                "train.window-days=1"))
        .run();
    PolicyFiles.Policy model = PolicyFiles.load(root.resolve(TrainJob.MODELS + "/dt=" + day));
    assertThat(model.metadata().shape().encoder())
        .as("the model's shape records the encoder")
        .isEqualTo(EncoderShape.of(dimension, 3));
    assertThat(model.networks().actors())
        .as("every actor reads the encoder")
        .allMatch(Networks::readsEncoder);
    assertThat(trainingRuns(root)).hasSize(ROUNDS);
  }

  @Test
  void aNanRewardStopsTheRunNamingItAndLeavesThePublishedPolicyUntouched() throws IOException {
    Path root = lakehouseCopy("nan");
    Lakehouse lakehouse = new Lakehouse(spark, root.toString());
    Dataset<Row> replay = JobFixtures.snapshot(spark, lakehouse.read(Table.REPLAY, day));
    Dataset<Row> poisoned =
        replay.withColumn(
            ReplaySchema.REWARD,
            when(
                    pmod(hash(col(ReplaySchema.REQUEST_ID)), lit(NAN_EVERY)).equalTo(0),
                    lit(Double.NaN))
                .otherwise(col(ReplaySchema.REWARD)));
    lakehouse.replacePartition(Table.REPLAY, day, poisoned);
    publish(root, Td3BcNetworks.fresh(shape(OTHER_SEED)), shape(OTHER_SEED));
    Map<String, String> before = files(root.resolve("artifacts"));

    assertThatThrownBy(() -> new TrainJob(spark, config(root, "train.trainer=spark")).run())
        .as("the run stops on the NaN reward")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("reward")
        .hasMessageContaining("round 1 of " + ROUNDS)
        .hasMessageContaining("re-run replay");

    assertThat(root.resolve(TrainJob.MODELS)).as("nothing under models/").doesNotExist();
    assertThat(files(root.resolve("artifacts")))
        .as("artifacts/ (LATEST and the published policy) byte for byte")
        .isEqualTo(before);
    assertThat(trainingRuns(root)).as("no round completed").isEmpty();
  }

  @Test
  void aRunStoppedAfterTwoRoundsResumesFromItsCheckpoint() throws IOException {
    Path root = lakehouseCopy("resume");
    int crashAfter = ROUNDS - 1;
    TrainJob crashing =
        new TrainJob(
            spark,
            config(root),
            figures -> {
              if (figures.round() == crashAfter) {
                throw new IllegalStateException("simulated crash after round " + crashAfter);
              }
            });
    assertThatThrownBy(crashing::run).hasMessageContaining("simulated crash");
    assertThat(trainingRuns(root)).as("the crashed attempt's rounds").hasSize(crashAfter);
    PolicyFiles.Policy checkpoint =
        PolicyFiles.load(root.resolve(TrainJob.CHECKPOINTS + "/dt=" + day));
    assertThat(checkpoint.metadata().roundsCompleted()).isEqualTo(crashAfter);

    TrainResult resumed = new TrainJob(spark, config(root)).run();

    assertThat(resumed.start()).isEqualTo("resumed after round " + crashAfter);
    assertThat(resumed.roundsRun()).as("only the remaining round").isEqualTo(ROUNDS - crashAfter);
    List<Row> rows = trainingRuns(root);
    assertThat(rows.stream().map(r -> r.<Integer>getAs(TrainingRunsSchema.ROUND)).toList())
        .as("exactly one row per round of the run")
        .containsExactly(1, 2, 3);
    assertThat(rows.stream().map(r -> r.<Boolean>getAs(TrainingRunsSchema.RESUMED)).toList())
        .as("only the resumed attempt's round is marked resumed")
        .containsExactly(false, false, true);
    assertThat(rows.get(ROUNDS - 1).<String>getAs(TrainingRunsSchema.RUN_ID))
        .as("the resumed attempt has its own run_id")
        .isEqualTo(resumed.runId())
        .isNotEqualTo(rows.get(0).<String>getAs(TrainingRunsSchema.RUN_ID));
    assertThat(root.resolve(TrainJob.CHECKPOINTS + "/dt=" + day)).doesNotExist();
    assertThat(
            PolicyFiles.load(root.resolve(TrainJob.MODELS + "/dt=" + day))
                .metadata()
                .roundsCompleted())
        .isEqualTo(ROUNDS);
  }

  @Test
  void aPublishedPolicyIsTheWarmStart() throws IOException {
    Path root = lakehouseCopy("warm");
    NetworkShape published = shape(OTHER_SEED);
    Td3BcNetworks saved = Td3BcNetworks.fresh(published);
    publish(root, saved, published);

    // With learning rates of 1e-9 one round leaves every network where it started.
    TrainResult result =
        new TrainJob(
                spark,
                config(
                    root,
                    "train.rounds=1",
                    "train.actor-learning-rate=" + TINY_LEARNING_RATE,
                    "train.critic-learning-rate=" + TINY_LEARNING_RATE))
            .run();

    assertThat(result.start())
        .isEqualTo("warm start from " + TrainJob.POLICY_ARTIFACTS + "/" + PUBLISHED);
    assertThat(trainingRuns(root).get(0).<String>getAs(TrainingRunsSchema.WARM_START_FROM))
        .isEqualTo(PUBLISHED);
    assertThat(referenceActions(root, day))
        .as("the reference actions are carried over from the published policy")
        .isEqualTo(PUBLISHED_REFERENCE);
    List<Td3BcNetworks.Named> trained =
        PolicyFiles.load(root.resolve(TrainJob.MODELS + "/dt=" + day)).networks().named();
    List<Td3BcNetworks.Named> fresh = Td3BcNetworks.fresh(shape(result.hashCode())).named();
    for (int i = 0; i < trained.size(); i++) {
      INDArray params = trained.get(i).graph().params();
      String name = trained.get(i).name();
      assertThat(maxAbsDifference(params, saved.named().get(i).graph().params()))
          .as("%s starts from the published parameters", name)
          .isLessThan(WARM_TOLERANCE);
      assertThat(maxAbsDifference(params, fresh.get(i).graph().params()))
          .as("%s is not a fresh network", name)
          .isGreaterThan(WARM_TOLERANCE);
    }
  }

  @Test
  void anArtifactOfThePublishStageIsTheWarmStartOfLaterDatesOnly() throws IOException {
    Path root = lakehouseCopy("published");
    LocalDate before = day.minusDays(1);
    TrainResult first = new TrainJob(spark, config(root, before, "train.rounds=1")).run();
    assertThat(first.start()).as("nothing published yet").isEqualTo("fresh networks");
    assertThat(referenceActions(root, before))
        .as("with nothing published, the reference is the mean logged action of the window")
        .isEqualTo(meanLoggedActions(root, before));
    PublishResult published = publish(root, before);
    assertThat(published.trainingRounds()).as("training figures in the manifest").isEqualTo(1);

    TrainResult next = new TrainJob(spark, config(root, day, "train.rounds=1")).run();
    assertThat(next.start())
        .as("the next date warm-starts from the published artifact")
        .isEqualTo(
            "warm start from "
                + TrainJob.POLICY_ARTIFACTS
                + "/"
                + PolicyArtifacts.directoryName(before));

    publish(root, day);
    TrainResult rerun = new TrainJob(spark, config(root, before, "train.rounds=1")).run();
    assertThat(rerun.start())
        .as("re-running a date ignores the policies published for it and for later dates")
        .isEqualTo("fresh networks");
  }

  private static PublishResult publish(Path root, LocalDate date) throws IOException {
    Path quotas = root.resolve(AllocateJob.quotaFilePath(date));
    Files.createDirectories(quotas.getParent());
    QuotaFile.write(quotas, Map.of("item-a", 5L));
    return new PublishJob(
            spark,
            PublishConfig.from(
                KindlingConfig.defaults(
                    List.of("lakehouse.root=" + root, "publish.allow-unevaluated=true")),
                date))
        .run();
  }

  /** The shape the job derives from the default replay layout, with another seed. */
  private static NetworkShape shape(long seed) {
    return NetworkShape.of(
        ObservationSpec.featureNames(JobFixtures.SCENARIOS).size(),
        ReplayParams.DEFAULT_ACTION_LENGTH,
        ReplayParams.DEFAULT_HISTORY_STEPS,
        JobFixtures.SCENARIOS.size(),
        seed);
  }

  private static void publish(Path root, Td3BcNetworks networks, NetworkShape shape)
      throws IOException {
    Path artifacts = root.resolve(TrainJob.POLICY_ARTIFACTS);
    PolicyFiles.save(
        artifacts.resolve(PUBLISHED),
        networks,
        PolicyFiles.metadata(
            1,
            "2023-12-31",
            JobFixtures.SCENARIOS,
            shape,
            Td3BcConfig.defaults().withReferenceActions(PUBLISHED_REFERENCE)));
    Files.writeString(
        artifacts.resolve(PolicyArtifacts.LATEST), PUBLISHED + "\n", StandardCharsets.UTF_8);
  }

  /** The reference actions recorded in the model of {@code date}. */
  private static List<List<Double>> referenceActions(Path root, LocalDate date) {
    return PolicyFiles.readMetadata(root.resolve(TrainJob.MODELS + "/dt=" + date))
        .config()
        .referenceActions();
  }

  /**
   * Each scenario's mean logged weights and explore_prob over the replay up to {@code date},
   * rounded to 6 decimals like the job's.
   */
  private static List<List<Double>> meanLoggedActions(Path root, LocalDate date) {
    Dataset<Row> replay =
        new Lakehouse(spark, root.toString())
            .read(Table.REPLAY)
            .where(col("dt").leq(date.toString()));
    List<List<Double>> out = new ArrayList<>();
    for (String scenario : JobFixtures.SCENARIOS) {
      Dataset<Row> own = replay.where(col(ReplaySchema.AGENT).equalTo(scenario));
      List<Double> action = new ArrayList<>();
      for (int i = 1; i <= ReplayParams.DEFAULT_ACTION_LENGTH; i++) {
        action.add(own.agg(avg(element_at(col(ReplaySchema.ACTION), i))).first().getDouble(0));
      }
      action.add(
          own.agg(avg(coalesce(col(ReplaySchema.EXPLORE_PROB), lit(0.0)))).first().getDouble(0));
      out.add(action.stream().map(v -> Math.round(v * 1e6) / 1e6).toList());
    }
    return out;
  }

  private static double maxAbsDifference(INDArray a, INDArray b) {
    return a.sub(b).amaxNumber().doubleValue();
  }

  /** Every file under {@code root} with its content's hash code, by relative path. */
  private static Map<String, String> files(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        out.put(
            root.relativize(p).toString(),
            java.util.Arrays.toString(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
