package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import dev.kindling.agents.loop.KindlingServingPolicy;
import dev.kindling.agents.serving.Action;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.DailyMetricsSchema;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code simulate-loop} end to end on a tiny world (2 warm-up days, 2 loop days): the kindling arm
 * serves each loop day with the artifact published for the day before, through an observation equal
 * to the replay's, and the popularity arm is the plain {@code simulate}.
 */
class SimulateLoopJobTest {

  private static final long SEED = 11L;
  private static final int WARM_UP_DAYS = 2;
  private static final int LOOP_DAYS = 2;
  private static final double OBS_TOLERANCE = 1e-5;
  private static final double ACTION_TOLERANCE = 1e-5;
  private static final int METRIC_ROWS = DailyMetricsSchema.SCHEMA.fieldNames().length - 2;
  private static final int CURVE_ROWS = SimulateLoopJob.LORENZ_POINTS + 1;

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path root;
  private static SimulateLoopConfig kindling;
  private static SimulateLoopResult kindlingResult;
  private static Lakehouse main;
  private static Lakehouse arm;
  private static SimulateLoopConfig popularity;
  private static final Map<String, KindlingServingPolicy.Served> SERVED = new ConcurrentHashMap<>();

  @BeforeAll
  static void runTheKindlingArm() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    kindling = SimulateLoopConfig.from(config(ConfigKeys.LOOP_POLICY_KINDLING));
    kindlingResult = new SimulateLoopJob(spark, kindling, s -> SERVED.put(s.requestId(), s)).run();
    main = new Lakehouse(spark, root.toString());
    arm = new Lakehouse(spark, kindling.armRoot());
  }

  private static KindlingConfig config(String policy) {
    // This class tests how the loop serves what nightly published, with the gate open.
    return JobFixtures.loopConfig(
        root,
        "simulate-loop.seed=" + SEED,
        "simulate-loop.warm-up-days=" + WARM_UP_DAYS,
        "simulate-loop.days=" + LOOP_DAYS,
        "simulate-loop.policy=" + policy);
  }

  private static List<LocalDate> loopDays() {
    return List.of(kindling.firstLoopDate(), kindling.lastDate());
  }

  private static PolicyClient publishedFor(LocalDate day) {
    return PolicyClient.load(
        arm.localPath(TrainJob.POLICY_ARTIFACTS).resolve(PolicyArtifacts.directoryName(day)));
  }

  /** Per request of a day: the logged action and exploration probability (slot 0's). */
  private static List<Row> loggedRequests(LocalDate day) {
    return arm.rawEvents(day)
        .where(col(EventsSchema.POSITION).equalTo(0))
        .select(
            EventsSchema.REQUEST_ID,
            EventsSchema.SCENARIO,
            EventsSchema.ACTION,
            EventsSchema.EXPLORE_PROB)
        .collectAsList();
  }

  private static float[] floats(List<Float> values) {
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static void assertClose(String what, float[] actual, float[] expected, double tol) {
    assertThat(actual).as("%s: length", what).hasSize(expected.length);
    for (int i = 0; i < expected.length; i++) {
      assertThat((double) actual[i]).as("%s at %d", what, i).isCloseTo(expected[i], offset(tol));
    }
  }

  @Test
  void eachLoopDayIsServedByThePolicyPublishedForTheDayBefore() {
    assertThat(kindlingResult.servedBy())
        .as("loop day d is served by the artifact of d - 1")
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                loopDays().get(0), loopDays().get(0).minusDays(1).toString(),
                loopDays().get(1), loopDays().get(1).minusDays(1).toString()));
  }

  @Test
  void theLoggedActionsAreThePolicyClientsOutputsForTheObservationsServed() {
    for (LocalDate day : loopDays()) {
      PolicyClient client = publishedFor(day.minusDays(1));
      List<Row> requests = loggedRequests(day);
      assertThat(requests).as("loop day %s was served", day).isNotEmpty();
      for (Row r : requests) {
        String requestId = r.getString(0);
        KindlingServingPolicy.Served served = SERVED.get(requestId);
        assertThat(served).as("request %s went through the kindling policy", requestId).isNotNull();
        Action action = client.act(r.getString(1), served.observation(), served.recentSteps());
        assertThat(floats(r.getList(2)))
            .as("the action logged for %s is the published policy's output", requestId)
            .containsExactly(action.weights());
        assertThat(r.getDouble(3))
            .as("the exploration probability logged for %s is the policy's", requestId)
            .isEqualTo((double) action.explorationProbability());
      }
    }
  }

  @Test
  void theObservationServedEqualsTheReplaysObsAndHistory() {
    LocalDate day = loopDays().get(0);
    PolicyClient client = publishedFor(day.minusDays(1));
    int historySteps = client.shape().historySteps();
    int block = client.shape().historyFeatures();
    List<Row> replay =
        arm.read(Table.REPLAY, day)
            .select(
                ReplaySchema.REQUEST_ID,
                ReplaySchema.AGENT,
                ReplaySchema.OBS,
                ReplaySchema.HISTORY,
                ReplaySchema.ACTION)
            .collectAsList();
    assertThat(replay).as("the nightly run of the first loop day wrote its replay").isNotEmpty();
    assertThat((long) replay.size())
        .as("one replay step per request served on %s", day)
        .isEqualTo(loggedRequests(day).size());
    for (Row r : replay) {
      String requestId = r.getString(0);
      KindlingServingPolicy.Served served = SERVED.get(requestId);
      float[] obs = floats(r.getList(2));
      float[] history = floats(r.getList(3));
      assertClose("obs of " + requestId, served.observation(), obs, OBS_TOLERANCE);
      assertClose(
          "history of " + requestId,
          frontPadded(served.recentSteps(), historySteps, block),
          history,
          OBS_TOLERANCE);
      float[][] steps = new float[historySteps][];
      for (int t = 0; t < historySteps; t++) {
        steps[t] = Arrays.copyOfRange(history, t * block, (t + 1) * block);
      }
      Action fromReplay = client.act(r.getString(1), obs, steps);
      assertClose(
          "the policy's action on the replay's inputs vs the logged action of " + requestId,
          fromReplay.weights(),
          floats(r.getList(4)),
          ACTION_TOLERANCE);
    }
  }

  private static float[] frontPadded(float[][] steps, int historySteps, int block) {
    float[] out = new float[historySteps * block];
    int kept = Math.min(historySteps, steps.length);
    for (int k = 0; k < kept; k++) {
      float[] step = steps[steps.length - kept + k];
      System.arraycopy(step, 0, out, (historySteps - kept + k) * block, block);
    }
    return out;
  }

  @Test
  void heatedImpressionsGoOnlyToItemsWithAQuota() {
    long heated = 0;
    for (LocalDate day : loopDays()) {
      PolicyClient client = publishedFor(day.minusDays(1));
      List<Row> items =
          arm.rawEvents(day)
              .where(col(EventsSchema.HEATED))
              .select(EventsSchema.ITEM_ID)
              .distinct()
              .collectAsList();
      for (Row item : items) {
        assertThat(client.quota(item.getString(0)))
            .as("heated item %s on %s has a quota in the artifact of the day before", item, day)
            .isPositive();
      }
      heated += arm.rawEvents(day).where(col(EventsSchema.HEATED)).count();
    }
    assertThat(heated)
        .as("the quotas were spent: the loop days carry heated impressions")
        .isPositive();
  }

  private static Dataset<Row> evaluation(String policy) {
    return main.read(Table.EVALUATION)
        .where(
            col(EvaluationSchema.RUN)
                .equalTo(EvaluationSchema.RUN_SIMULATE_LOOP)
                .and(col(EvaluationSchema.SEED).equalTo(SEED))
                .and(col(EvaluationSchema.POLICY).equalTo(policy)));
  }

  @Test
  void everyLoopDayHasItsMetricRowsAndItsLorenzCurve() {
    Dataset<Row> rows = evaluation(ConfigKeys.LOOP_POLICY_KINDLING);
    for (LocalDate day : loopDays()) {
      Dataset<Row> ofDay = rows.where(col(EvaluationSchema.DT).equalTo(Date.valueOf(day)));
      Dataset<Row> metrics = ofDay.where(col(EvaluationSchema.KIND).equalTo("metric"));
      assertThat(metrics.count())
          .as("one metric row per daily metric on %s", day)
          .isEqualTo(METRIC_ROWS);
      assertThat(
              metrics
                  .where(col(EvaluationSchema.ESTIMATOR).equalTo(SimulateLoopJob.OBSERVED))
                  .select(EvaluationSchema.METRIC)
                  .distinct()
                  .count())
          .as("observed, one per DailyMetricsSchema column")
          .isEqualTo(METRIC_ROWS);
      Dataset<Row> curve =
          ofDay.where(
              col(EvaluationSchema.KIND)
                  .equalTo(EvaluationSchema.KIND_CURVE)
                  .and(col(EvaluationSchema.METRIC).equalTo(SimulateLoopJob.EXPOSURE_LORENZ)));
      assertThat(curve.select(EvaluationSchema.POINT).distinct().count())
          .as("the Lorenz curve of %s has the points 0..100", day)
          .isEqualTo(CURVE_ROWS);
      assertThat(curve.count()).isEqualTo(CURVE_ROWS);
      Row ends =
          curve
              .where(col(EvaluationSchema.POINT).isin(0, SimulateLoopJob.LORENZ_POINTS))
              .orderBy(EvaluationSchema.POINT)
              .select(EvaluationSchema.VALUE)
              .collectAsList()
              .get(1);
      assertThat(ends.getDouble(0)).as("the curve ends at 1").isCloseTo(1.0, offset(1e-9));
    }
    assertThat(retention(rows, loopDays().get(0)))
        .as("the first loop day's retention is measured on the next day")
        .isNotNull();
    assertThat(retention(rows, loopDays().get(1)))
        .as("the last loop day has no next day: retention is null")
        .isNull();
    assertThat(kindlingResult.means().get(DailyMetricsSchema.EXPOSURE_GINI))
        .as("the summary averages the exposure Gini over the loop days")
        .isCloseTo(
            (kindlingResult.daily().get(0).exposureGini()
                    + kindlingResult.daily().get(1).exposureGini())
                / 2,
            offset(1e-12));
  }

  private static Double retention(Dataset<Row> rows, LocalDate day) {
    Row row =
        rows.where(
                col(EvaluationSchema.DT)
                    .equalTo(Date.valueOf(day))
                    .and(
                        col(EvaluationSchema.METRIC)
                            .equalTo(DailyMetricsSchema.NEXT_DAY_RETENTION)))
            .select(EvaluationSchema.VALUE)
            .first();
    return row.isNullAt(0) ? null : row.getDouble(0);
  }

  /**
   * The popularity arm, run once for the class (its rows are the same whichever test asks first);
   * tests that re-run it do so themselves.
   */
  private static synchronized SimulateLoopConfig popularityArm() {
    if (popularity == null) {
      SimulateLoopConfig config =
          SimulateLoopConfig.from(config(ConfigKeys.LOOP_POLICY_POPULARITY));
      new SimulateLoopJob(spark, config).run();
      popularity = config;
    }
    return popularity;
  }

  @Test
  void thePopularityArmIsThePlainSimulateAndARerunReplacesItsRows() {
    SimulateLoopConfig popularity = popularityArm();
    long kindlingRows = evaluation(ConfigKeys.LOOP_POLICY_KINDLING).count();
    long firstRun = evaluation(ConfigKeys.LOOP_POLICY_POPULARITY).count();
    assertThat(firstRun)
        .as("metric and curve rows of each loop day")
        .isEqualTo((long) LOOP_DAYS * (METRIC_ROWS + CURVE_ROWS));

    new SimulateLoopJob(spark, popularity).run();
    assertThat(evaluation(ConfigKeys.LOOP_POLICY_POPULARITY).count())
        .as("a re-run replaces the arm's rows, no duplicates")
        .isEqualTo(firstRun);
    assertThat(evaluation(ConfigKeys.LOOP_POLICY_KINDLING).count())
        .as("another arm's rows are left alone")
        .isEqualTo(kindlingRows);

    Path plain = dir.resolve("plain");
    new SimulateJob(
            spark,
            new SimulateConfig(plain.toString(), WARM_UP_DAYS + LOOP_DAYS, popularity.world()))
        .run();
    Lakehouse simulated = new Lakehouse(spark, plain.toString());
    Lakehouse popularityArm = new Lakehouse(spark, popularity.armRoot());
    List<LocalDate> days = new ArrayList<>();
    for (int d = 0; d < WARM_UP_DAYS + LOOP_DAYS; d++) {
      days.add(popularity.startDate().plusDays(d));
    }
    for (LocalDate day : days) {
      JobFixtures.assertSameRows(
          "raw events of " + day + ", plain simulate vs the popularity arm",
          simulated.rawEvents(day),
          popularityArm.rawEvents(day));
    }
    JobFixtures.assertSameRows("raw items", simulated.rawItems(), popularityArm.rawItems());
    JobFixtures.assertSameRows("raw users", simulated.rawUsers(), popularityArm.rawUsers());
    JobFixtures.assertSameRows(
        "warm-up day " + days.get(0) + ", popularity vs kindling arm: one world per seed",
        popularityArm.rawEvents(days.get(0)),
        arm.rawEvents(days.get(0)));
  }

  @Test
  void aNamedArmServesItsPolicyUnderItsOwnNameBesideTheUnnamedOne() {
    String name = "popularity-again";
    popularityArm();
    SimulateLoopConfig named =
        SimulateLoopConfig.from(
            config(ConfigKeys.LOOP_POLICY_POPULARITY)
                .withOverrides(List.of("simulate-loop.arm=" + name)));
    SimulateLoopResult result = new SimulateLoopJob(spark, named).run();

    assertThat(result.arm()).isEqualTo(name);
    assertThat(named.armDir()).endsWith("seed=" + SEED + "/policy=" + name);
    assertThat(dir.resolve("lakehouse").resolve(named.armDir())).isDirectory();
    Dataset<Row> same = evaluation(ConfigKeys.LOOP_POLICY_POPULARITY).drop(EvaluationSchema.POLICY);
    JobFixtures.assertSameRows(
        "the named arm's evaluation rows vs the unnamed arm's of the same policy and seed",
        same,
        evaluation(name).drop(EvaluationSchema.POLICY));
    assertThat(same.count()).isEqualTo((long) LOOP_DAYS * (METRIC_ROWS + CURVE_ROWS));

    assertThatThrownBy(
            () ->
                SimulateLoopConfig.from(
                    config(ConfigKeys.LOOP_POLICY_KINDLING)
                        .withOverrides(List.of("simulate-loop.arm=Kindling' OR 1=1"))))
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("simulate-loop.arm")
        .hasMessageContaining("lower-case letters, digits and dashes");
  }
}
