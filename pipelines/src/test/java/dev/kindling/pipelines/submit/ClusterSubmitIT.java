package dev.kindling.pipelines.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.serving.ArtifactManifest;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.features.schema.TrainingRunsSchema;
import dev.kindling.pipelines.RowSets;
import dev.kindling.pipelines.TestFiles;
import dev.kindling.pipelines.cli.KindlingCli;
import dev.kindling.pipelines.jobs.NightlyJob;
import dev.kindling.pipelines.jobs.TrainJob;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly stages of one small day run as the Airflow DAG runs them, and the failures a night
 * must survive, on one lakehouse built once: the day before is simulated, validated and featurised
 * in this JVM (replay reads the previous day's mind state), the lakehouse copied for the cluster
 * run, and the local one then runs the whole night ({@code kindling nightly} in this JVM, Spark
 * {@code local[*]}).
 *
 * <ol>
 *   <li>On a cluster: a Spark standalone master and two workers ({@link StandaloneCluster}), and
 *       for each stage the argv its SparkSubmitOperator builds for the date with the connection's
 *       master {@code spark://127.0.0.1:7077} ({@code dags/tests/render.py}), run through Spark's
 *       own launcher against the shaded jar. The tables it writes must equal those of the local run
 *       on the same simulated logs, but for the training rounds' timings. One executor is killed
 *       with SIGKILL in the middle of {@value #EXECUTOR_KILLED_IN} (a transient failure), so the
 *       equality also shows that retried work is written once.
 *   <li>Then, on the local run's lakehouse, drills on the DAG's {@code train} task (master {@code
 *       local[2]}, {@value #DRILL_ROUNDS} rounds of the single-JVM trainer): killed with SIGKILL
 *       after its first round was committed and run again, the rerun takes over the dead run's
 *       lease, resumes from the checkpoint, and {@code training_runs} holds every round exactly
 *       once, with no temporary directory left; two runs of the date started at once, one succeeds
 *       and the other fails before writing anything, naming the run that holds the date; the rest
 *       of the night then runs on what the drills left and publishes the drilled policy.
 * </ol>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterSubmitIT {

  private static final LocalDate DAY_1 = SimulatorConfig.defaults().startDate();
  private static final LocalDate DAY_2 = DAY_1.plusDays(1);

  /** The stage outputs of a run date, each compared row for row. */
  private static final List<Table> DATED_OUTPUTS =
      List.of(
          Table.VALIDATED_EVENTS,
          Table.QUARANTINE,
          Table.USER_MIND_STATE,
          Table.CONTENT_STATE,
          Table.REPLAY,
          Table.REPLAY_FEATURE_SPEC,
          Table.TRAINING_RUNS,
          Table.EVALUATION,
          Table.COLD_START_SCORES,
          Table.HEATING_QUOTAS,
          Table.HEATING_ALLOCATIONS);

  /** Columns that differ between any two runs: how long a round took, and its run's id. */
  private static final List<String> VOLATILE =
      List.of(
          TrainingRunsSchema.RUN_ID,
          TrainingRunsSchema.SECONDS,
          TrainingRunsSchema.TRANSITIONS_PER_SECOND,
          TrainingRunsSchema.STARTED_AT,
          TrainingRunsSchema.FINISHED_AT);

  /** How far apart two runs' evaluation figures may be, relative to the figure (at least 1). */
  private static final double RELATIVE_TOLERANCE = 1e-9;

  /** The stage during which one executor is killed (it shuffles, so lost output is recomputed). */
  private static final String EXECUTOR_KILLED_IN = "replay";

  /** Task launches the driver must have logged before the kill: the stage's jobs are running. */
  private static final int TASKS_BEFORE_KILL = 4;

  private static final long POLL_MILLIS = 50;

  /** Rounds of the drilled train runs: enough that a kill after the first lands mid-run. */
  private static final int DRILL_ROUNDS = 8;

  private static final long DRILL_POLL_MILLIS = 20;

  @TempDir static Path dir;

  /** The local run's lakehouse: the cluster run's reference, then the drills' lakehouse. */
  private static Path localRoot;

  @BeforeAll
  static void aLocalRunOfTheNight() throws Exception {
    localRoot = dir.resolve("local");
    Path localConfig = SmallDay.writeConfig(dir.resolve("local.conf"), localRoot);
    SmallDay.prepare(localConfig, DAY_1);
    // The cluster run starts from the same prepared day: a copy of it, before the local night.
    TestFiles.copyTree(localRoot, dir.resolve("cluster"));
    assertThat(
            KindlingCli.run(
                "nightly", "--config", localConfig.toString(), "--run-date", DAY_2.toString()))
        .as("the local-mode reference run")
        .isZero();
  }

  @Test
  @Order(1)
  void theDagOnAStandaloneClusterWritesWhatALocalRunWrites() throws Exception {
    Path clusterRoot = dir.resolve("cluster");
    Path clusterConfig = SmallDay.writeConfig(dir.resolve("cluster.conf"), clusterRoot);
    List<DagSubmissions.Task> tasks =
        DagSubmissions.render(
            DAY_2,
            StandaloneCluster.MASTER_URL,
            Map.of(
                "kindling_jar", DagSubmissions.jar().toString(),
                "kindling_config", clusterConfig.toString(),
                "kindling_spark_conf",
                    "{\"spark.executor.memory\": \"1g\", \"spark.executor.cores\": \"1\","
                        + " \"spark.cores.max\": \"2\", "
                        + DagSubmissions.EXECUTOR_SPARK_CONF
                        + "}"));
    assertThat(tasks).extracting(DagSubmissions.Task::taskId).isEqualTo(NightlyJob.STAGES);
    assertThat(tasks.get(0).sparkSubmit())
        .containsSubsequence("--master", StandaloneCluster.MASTER_URL);

    long start = System.nanoTime();
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("spark"), 2, 1, "2g")) {
      System.out.printf("standalone cluster up in %.1f s%n", (System.nanoTime() - start) / 1e9);
      for (DagSubmissions.Task task : tasks) {
        DagSubmissions.Submitted run =
            task.taskId().equals(EXECUTOR_KILLED_IN)
                ? withAnExecutorKilled(task, dir.resolve("logs"))
                : DagSubmissions.submit(task, dir.resolve("logs"), Map.of());
        System.out.printf(
            "spark-submit %s on %s: exit %d, %.1f s%n",
            run.taskId(), StandaloneCluster.MASTER_URL, run.exitCode(), run.seconds());
        assertThat(run.exitCode())
            .as("%s failed; its log ends:%n%s", task.taskId(), run.tail())
            .isZero();
        assertThat(Files.readString(run.log()))
            .as("%s ran its executors on the cluster", task.taskId())
            .contains("Granted executor ID");
      }
    }
    System.out.printf(
        "cluster: start, 8 stages, stop: %.1f s%n", (System.nanoTime() - start) / 1e9);

    SparkSession spark = SparkTestSession.get();
    Lakehouse local = new Lakehouse(spark, localRoot.toString());
    Lakehouse cluster = new Lakehouse(spark, clusterRoot.toString());
    SoftAssertions tables = new SoftAssertions();
    for (Table table : DATED_OUTPUTS) {
      Dataset<Row> expected = comparable(local.read(table, DAY_2));
      Dataset<Row> actual = comparable(cluster.read(table, DAY_2));
      long rows = expected.count();
      System.out.printf(
          "%s: %d rows (local), %d (cluster)%n", table.tableName(), rows, actual.count());
      if (table != Table.QUARANTINE) {
        tables.assertThat(rows).as("%s has rows for %s", table.tableName(), DAY_2).isPositive();
      }
      tables.assertThat(actual.count()).as("%s rows", table.tableName()).isEqualTo(rows);
      if (table == Table.EVALUATION) {
        sameEvaluation(tables, expected.collectAsList(), actual.collectAsList());
        continue;
      }
      tables
          .assertThat(actual.exceptAll(expected).limit(5).collectAsList())
          .as("%s: rows of the cluster run missing from the local run", table.tableName())
          .isEmpty();
      tables
          .assertThat(expected.exceptAll(actual).limit(5).collectAsList())
          .as("%s: rows of the local run missing from the cluster run", table.tableName())
          .isEmpty();
    }
    tables.assertAll();
    assertThat(Files.readString(clusterRoot.resolve("artifacts/policy/LATEST")).trim())
        .as("publish ran last and published the date's policy")
        .isEqualTo("dt=" + DAY_2);
  }

  /** Runs after the comparison: it retrains the local run's date. */
  @Test
  @Order(2)
  void killedAndConcurrentTrainRunsLeaveExactlyOneCorrectOutput() throws Exception {
    Path config =
        SmallDay.writeConfig(
            dir.resolve("drill.conf"),
            localRoot,
            "train { rounds = " + DRILL_ROUNDS + ", trainer = local }");
    DagSubmissions.Task train =
        DagSubmissions.render(
                DAY_2,
                "local[2]",
                Map.of(
                    "kindling_jar", DagSubmissions.jar().toString(),
                    "kindling_config", config.toString(),
                    "kindling_spark_conf", "{}"))
            .stream()
            .filter(task -> task.taskId().equals("train"))
            .findFirst()
            .orElseThrow();
    Path logs = dir.resolve("drill-logs");
    Path trainingRunsLog = localRoot.resolve(Table.TRAINING_RUNS.tableName()).resolve("_delta_log");
    Path lease = localRoot.resolve(RunLease.relativePath("train", DAY_2));
    List<Integer> nightlyRounds = rounds(localRoot);
    assertThat(nightlyRounds).as("the nightly trained the date before the drills").isNotEmpty();

    // 1. SIGKILL once the first round's row is committed: the run's first commit deletes the
    // nightly's rows of the date, its second is round 1.
    long before =
        new Lakehouse(SparkTestSession.get(), localRoot.toString()).version(Table.TRAINING_RUNS);
    DagSubmissions.Running killed = DagSubmissions.start(train, logs, Map.of());
    Path firstRound = trainingRunsLog.resolve(String.format("%020d.json", before + 2));
    while (!Files.exists(firstRound) && killed.process().isAlive()) {
      Thread.sleep(DRILL_POLL_MILLIS);
    }
    assertThat(killed.process().isAlive())
        .as("train was still running after its first round; its log:%n%s", killed.output())
        .isTrue();
    killed.process().destroyForcibly();
    DagSubmissions.Submitted dead = killed.await();
    assertThat(dead.exitCode()).as("killed by SIGKILL").isEqualTo(128 + 9);
    List<Integer> roundsAtKill = rounds(localRoot);
    System.out.printf("train killed after rounds %s%n", roundsAtKill);
    assertThat(roundsAtKill).as("killed mid-run").isNotEmpty().hasSizeLessThan(DRILL_ROUNDS);
    assertThat(lease).as("a killed run cannot release its lease").isRegularFile();
    // The kill may land between a round's row and its checkpoint: then the rerun starts afresh.
    boolean checkpointed = Files.isDirectory(checkpoint(localRoot));

    DagSubmissions.Submitted rerun = DagSubmissions.submit(train, logs, Map.of());
    assertThat(rerun.exitCode()).as("the rerun; its log ends:%n%s", rerun.tail()).isZero();
    String rerunLog = Files.readString(rerun.log());
    assertThat(rerunLog)
        .as("the rerun took over the dead run's lease")
        .contains("took over the lease")
        .contains("no longer runs on this host");
    assertThat(rerunLog)
        .as("and resumed from its checkpoint when there was one")
        .contains(checkpointed ? "resumed after round" : "fresh networks");
    assertThat(rounds(localRoot))
        .as("every round exactly once: nothing lost, nothing doubled")
        .containsExactlyElementsOf(IntStream.rangeClosed(1, DRILL_ROUNDS).boxed().toList());
    Path model = localRoot.resolve(TrainJob.MODELS).resolve("dt=" + DAY_2);
    assertThat(PolicyFiles.load(model).metadata().roundsCompleted()).isEqualTo(DRILL_ROUNDS);
    assertThat(checkpoint(localRoot)).doesNotExist();
    assertNoLeftovers(localRoot.resolve(TrainJob.MODELS));
    assertNoLeftovers(localRoot.resolve(TrainJob.CHECKPOINTS));
    assertThat(lease).as("released").doesNotExist();

    // 2. Two runs of the same date at once.
    DagSubmissions.Running a = DagSubmissions.start(train, logs, Map.of());
    DagSubmissions.Running b = DagSubmissions.start(train, logs, Map.of());
    DagSubmissions.Submitted first = a.await();
    DagSubmissions.Submitted second = b.await();
    DagSubmissions.Submitted winner = first.exitCode() == 0 ? first : second;
    DagSubmissions.Submitted loser = first.exitCode() == 0 ? second : first;
    System.out.printf(
        "concurrent train: exits %d (%.1f s) and %d (%.1f s)%n",
        first.exitCode(), first.seconds(), second.exitCode(), second.seconds());
    assertThat(List.of(first.exitCode(), second.exitCode()))
        .as("exactly one of two concurrent runs succeeds")
        .filteredOn(code -> code == 0)
        .hasSize(1);
    assertThat(Files.readString(loser.log()))
        .as("the other fails naming the conflict")
        .contains("Another run of train for " + DAY_2 + " is in progress")
        .contains(RunLease.relativePath("train", DAY_2));
    assertThat(Files.readString(winner.log())).contains("took the lease");
    assertThat(rounds(localRoot))
        .as("the winner's rounds, once each")
        .containsExactlyElementsOf(IntStream.rangeClosed(1, DRILL_ROUNDS).boxed().toList());
    assertThat(lease).doesNotExist();

    // 3. The night completes on what the drills left.
    for (String stage : List.of("evaluate", "score-cold-start", "allocate", "publish")) {
      assertThat(
              KindlingCli.run(stage, "--config", config.toString(), "--run-date", DAY_2.toString()))
          .as(stage)
          .isZero();
    }
    ArtifactManifest published =
        PolicyClient.loadLatest(localRoot.resolve(TrainJob.POLICY_ARTIFACTS)).manifest();
    assertThat(published.runDate()).isEqualTo(DAY_2.toString());
    assertThat(published.training())
        .as("the published policy is the drilled one: one training row per round")
        .hasSize(DRILL_ROUNDS);
  }

  private static Path checkpoint(Path root) {
    return root.resolve(TrainJob.CHECKPOINTS).resolve("dt=" + DAY_2);
  }

  private static List<Integer> rounds(Path root) {
    Lakehouse lakehouse = new Lakehouse(SparkTestSession.get(), root.toString());
    return lakehouse
        .read(Table.TRAINING_RUNS, DAY_2)
        .orderBy(TrainingRunsSchema.ROUND)
        .collectAsList()
        .stream()
        .map((Row r) -> r.<Integer>getAs(TrainingRunsSchema.ROUND))
        .toList();
  }

  private static void assertNoLeftovers(Path directory) throws Exception {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      assertThat(entries.map(p -> p.getFileName().toString()))
          .as("no temporary or moved-aside directories in %s", directory)
          .noneMatch(name -> name.contains(".tmp-") || name.contains(".old-"));
    }
  }

  /**
   * Submits {@code task} and, once its driver has started tasks on the executors, kills one
   * executor JVM with SIGKILL: a transient failure (a lost node) in the middle of the stage. Spark
   * reschedules the lost tasks (and recomputes lost shuffle output) on the executor the worker
   * starts in its place; should the stage fail anyway, it is submitted again as Airflow's retry
   * would. Either way the stage must end with exit 0, and the tables compared afterwards show that
   * the retried work was written once.
   */
  private static DagSubmissions.Submitted withAnExecutorKilled(DagSubmissions.Task task, Path logs)
      throws Exception {
    DagSubmissions.Running running = DagSubmissions.start(task, logs, Map.of());
    ProcessHandle killed = null;
    while (killed == null && running.process().isAlive()) {
      Thread.sleep(POLL_MILLIS);
      if (running.output().split("Starting task", -1).length > TASKS_BEFORE_KILL) {
        killed =
            ProcessHandle.allProcesses()
                .filter(
                    p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                .findFirst()
                .orElse(null);
        if (killed != null) {
          killed.destroyForcibly();
          System.out.printf("%s: killed executor process %d%n", task.taskId(), killed.pid());
        }
      }
    }
    assertThat(killed)
        .as("an executor was killed while %s ran; its log:%n%s", task.taskId(), running.output())
        .isNotNull();
    DagSubmissions.Submitted run = running.await();
    assertThat(Files.readString(run.log()))
        .as("the driver saw the executor go")
        .containsPattern("Lost executor|Executor lost|exited caused by|removed: ");
    if (run.exitCode() != 0) {
      System.out.printf(
          "%s failed after the executor was killed (exit %d); retrying as Airflow would%n",
          task.taskId(), run.exitCode());
      run = DagSubmissions.submit(task, logs, Map.of());
    } else {
      System.out.printf("%s survived the lost executor without a retry%n", task.taskId());
    }
    return run;
  }

  /**
   * The evaluation rows of both runs, matched on their key (run, seed, policy, kind, metric,
   * estimator, point): the same rows, the same sample sizes and details, and figures equal to
   * {@value #RELATIVE_TOLERANCE} relative. Sums of doubles over a day's events may be added in
   * another order when the partitions are spread over executors, so the last bits may differ.
   */
  private static void sameEvaluation(SoftAssertions soft, List<Row> local, List<Row> cluster) {
    Map<List<Object>, Row> byKey = new HashMap<>();
    for (Row row : local) {
      byKey.put(evaluationKey(row), row);
    }
    soft.assertThat(byKey).as("evaluation keys are unique").hasSize(local.size());
    for (Row row : cluster) {
      List<Object> key = evaluationKey(row);
      Row expected = byKey.get(key);
      soft.assertThat(expected)
          .as("evaluation row %s of the cluster run in the local run", key)
          .isNotNull();
      if (expected == null) {
        continue;
      }
      for (String figure :
          List.of(EvaluationSchema.VALUE, EvaluationSchema.LOWER, EvaluationSchema.UPPER)) {
        Object a = expected.getAs(figure);
        Object b = row.getAs(figure);
        if (a == null || b == null) {
          soft.assertThat(b).as("%s of %s", figure, key).isEqualTo(a);
        } else {
          double x = ((Number) a).doubleValue();
          double y = ((Number) b).doubleValue();
          soft.assertThat(y)
              .as("%s of %s", figure, key)
              .isCloseTo(x, within(RELATIVE_TOLERANCE * Math.max(1, Math.abs(x))));
        }
      }
      soft.assertThat((Object) row.getAs(EvaluationSchema.N))
          .as("n of %s", key)
          .isEqualTo(expected.getAs(EvaluationSchema.N));
      soft.assertThat((Object) row.getAs(EvaluationSchema.DETAIL))
          .as("detail of %s", key)
          .isEqualTo(expected.getAs(EvaluationSchema.DETAIL));
    }
  }

  private static List<Object> evaluationKey(Row row) {
    List<Object> key = new ArrayList<>();
    for (String column :
        List.of(
            EvaluationSchema.RUN,
            EvaluationSchema.SEED,
            EvaluationSchema.POLICY,
            EvaluationSchema.KIND,
            EvaluationSchema.METRIC,
            EvaluationSchema.ESTIMATOR,
            EvaluationSchema.POINT)) {
      key.add(row.getAs(column));
    }
    return key;
  }

  /** The rows without the volatile columns, maps as sorted entries (set operations need it). */
  private static Dataset<Row> comparable(Dataset<Row> rows) {
    List<String> keep = new ArrayList<>(Arrays.asList(rows.columns()));
    keep.removeAll(VOLATILE);
    return RowSets.comparable(
        rows.selectExpr(keep.stream().map(c -> "`" + c + "`").toArray(String[]::new)));
  }
}
