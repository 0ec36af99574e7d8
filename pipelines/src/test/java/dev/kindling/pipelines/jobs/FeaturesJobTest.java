package dev.kindling.pipelines.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.UserMindStateSchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link FeaturesJob} and the demo that drives it. The world is built by {@link DemoJob} ({@code
 * nightly --demo}) on a small demo config of two days: it simulates the logs, then runs every
 * nightly stage for each day in order, as the tests of both jobs need.
 */
class FeaturesJobTest {

  private static final List<Table> TABLES =
      List.of(
          Table.VALIDATED_EVENTS,
          Table.QUARANTINE,
          Table.USER_MIND_STATE,
          Table.CONTENT_STATE,
          Table.REPLAY,
          Table.REPLAY_FEATURE_SPEC,
          Table.COLD_START_SCORES,
          Table.HEATING_QUOTAS,
          Table.HEATING_ALLOCATIONS);

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path root;
  private static DemoConfig demo;
  private static Lakehouse lakehouse;
  private static List<LocalDate> days;
  private static DemoResult firstRun;

  @BeforeAll
  static void runTheDemo() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    KindlingConfig config =
        KindlingConfig.defaults(
            List.of(
                "lakehouse.root=" + root,
                "simulate.users=200",
                "simulate.items=150",
                "simulate.new-users-per-day=20",
                "simulate.new-items-per-day=20",
                "simulate.days=2",
                // Small training, evaluation and forest (TrainJobTest, EvaluateJobTest and
                // ScoreColdStartJobTest cover them at their own sizes): this test is about the
                // features, the nightly order and the demo's idempotence.
                "train.rounds=3",
                "train.batch-size=128",
                "train.transitions-per-round=512",
                "score-cold-start.num-trees=3",
                "score-cold-start.max-depth=3",
                "evaluate.bootstrap-replicates=50",
                "evaluate.fqe-steps=512",
                "evaluate.fqe-iterations=2",
                "evaluate.fqe-batch-size=256",
                // Three rounds leave the actors exploring far more than the logging policy, which
                // the gate blocks (EvaluateJobTest covers that); this test is about the features
                // and the nightly order, so its gate lets every evaluated policy through.
                "evaluate.value-tolerance=1000000",
                "evaluate.max-ctr-loss=1",
                "evaluate.exploration-band=1000"));
    demo = DemoConfig.from(config);
    lakehouse = new Lakehouse(spark, root.toString());
    days = List.of(demo.simulate().startDate(), demo.simulate().lastDate());
    firstRun = new DemoJob(spark, demo).run();
  }

  @Test
  void theDemoSimulatesAndRunsEveryDayInOrder() {
    assertThat(firstRun.simulated()).as("the first demo run simulates the logs").isNotNull();
    assertThat(firstRun.nights())
        .as("one nightly run per simulated day, in order")
        .extracting(NightlyResult::runDate)
        .containsExactlyElementsOf(days);
    for (NightlyResult night : firstRun.nights()) {
      assertThat(night.stageSeconds().keySet())
          .as("every stage of %s timed, in order", night.runDate())
          .containsExactlyElementsOf(NightlyJob.STAGES);
      assertThat(night.stageSeconds().values()).allSatisfy(s -> assertThat(s).isPositive());
      assertThat(night.toString()).contains("stage times: validate ");
    }
    LocalDate last = days.get(1);
    long lastDayUsers = lakehouse.read(Table.USER_MIND_STATE, last).count();
    assertThat(lastDayUsers).as("user_mind_state has a partition for the last day").isPositive();
    assertThat(firstRun.lastDayExposureGini())
        .as("the exposure Gini of the last day lies in [0, 1]")
        .isBetween(0.0, 1.0);
    PolicyClient client = PolicyClient.loadLatest(root.resolve(TrainJob.POLICY_ARTIFACTS));
    assertThat(client.manifest().runDate())
        .as("the demo ends with the last day's policy published and LATEST naming it")
        .isEqualTo(last.toString());
  }

  @Test
  void userMindStateHasOneRowPerUserActiveThatDay() {
    for (int d = 0; d < days.size(); d++) {
      LocalDate day = days.get(d);
      Dataset<Row> state = lakehouse.read(Table.USER_MIND_STATE, day);
      Dataset<Row> stateUsers = state.select(UserMindStateSchema.USER_ID);
      Dataset<Row> activeUsers =
          lakehouse.read(Table.VALIDATED_EVENTS, day).select(EventsSchema.USER_ID).distinct();
      long rows = state.count();
      assertThat(rows).as("user_mind_state %s is not empty", day).isPositive();
      assertThat(stateUsers.distinct().count())
          .as("user_mind_state %s holds one row per user", day)
          .isEqualTo(rows);
      JobFixtures.assertSameRows(
          "users of user_mind_state " + day + " vs users active in validated_events",
          activeUsers,
          stateUsers);
      assertThat(firstRun.nights().get(d).features().users())
          .as("the result reports the rows written on %s", day)
          .isEqualTo(rows);
    }
  }

  @Test
  void contentStateHasOneRowPerItemCoveringEveryItemShownThatDay() {
    for (int d = 0; d < days.size(); d++) {
      LocalDate day = days.get(d);
      Dataset<Row> state = lakehouse.read(Table.CONTENT_STATE, day);
      long rows = state.count();
      assertThat(rows).as("content_state %s is not empty", day).isPositive();
      assertThat(state.select(ContentStateSchema.ITEM_ID).distinct().count())
          .as("content_state %s holds one row per item_id", day)
          .isEqualTo(rows);
      Dataset<Row> shown =
          lakehouse.read(Table.VALIDATED_EVENTS, day).select(EventsSchema.ITEM_ID).distinct();
      assertThat(shown.except(state.select(ContentStateSchema.ITEM_ID)).count())
          .as("every item shown on %s has a content_state row", day)
          .isZero();
      assertThat(firstRun.nights().get(d).features().items())
          .as("the result reports the rows written on %s", day)
          .isEqualTo(rows);
    }
    assertThat(firstRun.nights().get(0).features().carriedContentStateFrom())
        .as("the first day carries no content state")
        .isNull();
    assertThat(firstRun.nights().get(1).features().carriedContentStateFrom())
        .as("the second day carries the first day's content state")
        .isEqualTo(days.get(0));
  }

  @Test
  void reRunningFeaturesForADateLeavesIdenticalTablesAndTheNextDateUntouched() {
    LocalDate day = days.get(0);
    List<Dataset<Row>> before = snapshot(List.of(Table.USER_MIND_STATE, Table.CONTENT_STATE));
    FeaturesResult first = firstRun.nights().get(0).features();

    FeaturesResult again = JobFixtures.features(spark, root, day);

    assertThat(List.of(again.users(), again.items()))
        .as("the re-run counts what the first run counted")
        .isEqualTo(List.of(first.users(), first.items()));
    assertUnchanged(
        List.of(Table.USER_MIND_STATE, Table.CONTENT_STATE), before, "re-running features " + day);
  }

  @Test
  void aSecondDemoRunDoesNotSimulateAndChangesNothing() throws IOException {
    List<Dataset<Row>> before = snapshot(TABLES);
    List<String> rawFiles = rawEventFiles();

    DemoResult again = new DemoJob(spark, demo).run();

    assertThat(again.simulated())
        .as("a second run finds the demo logs and does not simulate again")
        .isNull();
    assertThat(rawEventFiles()).as("the raw event files are left as they were").isEqualTo(rawFiles);
    assertThat(again.lastDayExposureGini())
        .as("the second run reports the same exposure Gini")
        .isEqualTo(firstRun.lastDayExposureGini());
    assertUnchanged(TABLES, before, "a second demo run");
  }

  @Test
  void aDateWithoutValidatedEventsFailsSayingToRunValidateFirst() {
    LocalDate unvalidated = days.get(1).plusDays(1);
    assertThatThrownBy(() -> JobFixtures.features(spark, root, unvalidated))
        .as("features without validated events for the date fails with a clear message")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining(unvalidated.toString())
        .hasMessageContaining("validate --run-date " + unvalidated);
    assertThat(lakehouse.read(Table.USER_MIND_STATE, unvalidated).count())
        .as("nothing is written to user_mind_state for the date")
        .isZero();
    assertThat(lakehouse.read(Table.CONTENT_STATE, unvalidated).count())
        .as("nothing is written to content_state for the date")
        .isZero();
  }

  /** Snapshots of every table's partition of every day, table by table. */
  private static List<Dataset<Row>> snapshot(List<Table> tables) {
    List<Dataset<Row>> out = new ArrayList<>();
    for (Table table : tables) {
      for (LocalDate day : days) {
        out.add(JobFixtures.snapshot(spark, lakehouse.read(table, day)));
      }
    }
    return out;
  }

  private static void assertUnchanged(List<Table> tables, List<Dataset<Row>> before, String after) {
    int i = 0;
    for (Table table : tables) {
      for (LocalDate day : days) {
        JobFixtures.assertSameRows(
            table + " " + day + " after " + after, before.get(i++), lakehouse.read(table, day));
      }
    }
  }

  private static List<String> rawEventFiles() throws IOException {
    try (Stream<Path> files = Files.walk(root.resolve(Lakehouse.RAW_EVENTS))) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> root.relativize(p) + "@" + p.toFile().lastModified())
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
