package dev.kindling.pipelines.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.features.schema.TrainingRunsSchema;
import dev.kindling.pipelines.RowSets;
import dev.kindling.pipelines.cli.KindlingCli;
import dev.kindling.pipelines.jobs.NightlyJob;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nightly stages of one small day, run as the Airflow DAG runs them on a cluster: a Spark
 * standalone master and two workers ({@link StandaloneCluster}), and for each stage the argv its
 * SparkSubmitOperator builds for the date with the connection's master {@code
 * spark://127.0.0.1:7077} ({@code dags/tests/render.py}), run through Spark's own launcher against
 * the shaded jar. The tables it writes must equal those of a local-mode run of the same day ({@code
 * kindling nightly} in this JVM, Spark {@code local[*]}) on the same simulated logs, but for the
 * training rounds' timings. Both lakehouses get the day before simulated, validated and featurised
 * in this JVM first (replay reads the previous day's mind state).
 */
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

  @TempDir static Path dir;

  @Test
  void theDagOnAStandaloneClusterWritesWhatALocalRunWrites() throws Exception {
    Path localRoot = dir.resolve("local");
    Path localConfig = SmallDay.writeConfig(dir.resolve("local.conf"), localRoot);
    SmallDay.prepare(localConfig, DAY_1);
    assertThat(
            KindlingCli.run(
                "nightly", "--config", localConfig.toString(), "--run-date", DAY_2.toString()))
        .as("the local-mode reference run")
        .isZero();

    Path clusterRoot = dir.resolve("cluster");
    Path clusterConfig = SmallDay.writeConfig(dir.resolve("cluster.conf"), clusterRoot);
    SmallDay.prepare(clusterConfig, DAY_1);
    List<DagSubmissions.Task> tasks =
        DagSubmissions.render(
            DAY_2,
            StandaloneCluster.MASTER_URL,
            Map.of(
                "kindling_jar", DagSubmissions.jar().toString(),
                "kindling_config", clusterConfig.toString(),
                "kindling_spark_conf",
                    "{\"spark.executor.memory\": \"1g\", \"spark.executor.cores\": \"1\","
                        + " \"spark.cores.max\": \"2\"}"));
    assertThat(tasks).extracting(DagSubmissions.Task::taskId).isEqualTo(NightlyJob.STAGES);
    assertThat(tasks.get(0).sparkSubmit())
        .containsSubsequence("--master", StandaloneCluster.MASTER_URL);

    long start = System.nanoTime();
    try (StandaloneCluster cluster = StandaloneCluster.start(dir.resolve("spark"), 2, 1, "2g")) {
      System.out.printf("standalone cluster up in %.1f s%n", (System.nanoTime() - start) / 1e9);
      for (DagSubmissions.Task task : tasks) {
        DagSubmissions.Submitted run = DagSubmissions.submit(task, dir.resolve("logs"), Map.of());
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

  /** A two-day world small enough for a test, and its config file. */
  static final class SmallDay {

    private SmallDay() {}

    /**
     * A config file that includes the repository's {@code conf/local.conf} and shrinks the world,
     * training and evaluation; the gate is opened (a two-round policy is not under test here).
     */
    static Path writeConfig(Path config, Path root) throws Exception {
      Files.writeString(
          config,
          String.join(
              "\n",
              "include file(\"" + DagSubmissions.REPO.resolve("conf/local.conf") + "\")",
              "lakehouse.root = \"" + root + "\"",
              "spark.shuffle-partitions = 2",
              "simulate { users = 300, new-users-per-day = 20, items = 200, new-items-per-day = 20 }",
              "train { rounds = 2, batch-size = 128, transitions-per-round = 512, workers = 2 }",
              "score-cold-start { num-trees = 3, max-depth = 3 }",
              "evaluate { bootstrap-replicates = 50, fqe-steps = 512, fqe-iterations = 2,"
                  + " fqe-batch-size = 256, value-tolerance = 1e6, max-ctr-loss = 1 }",
              ""));
      return config;
    }

    /** Simulates two days and runs validate and features for the first, in this JVM. */
    static void prepare(Path config, LocalDate day1) {
      String conf = config.toString();
      assertThat(KindlingCli.run("simulate", "--config", conf, "--days", "2")).isZero();
      assertThat(KindlingCli.run("validate", "--config", conf, "--run-date", day1.toString()))
          .isZero();
      assertThat(KindlingCli.run("features", "--config", conf, "--run-date", day1.toString()))
          .isZero();
    }
  }
}
