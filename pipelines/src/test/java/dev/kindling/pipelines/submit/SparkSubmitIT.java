package dev.kindling.pipelines.submit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.features.SparkTestSession;
import dev.kindling.pipelines.cli.KindlingCli;
import dev.kindling.pipelines.jobs.NightlyJob;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every nightly stage of one small day, run as the Airflow DAG runs it: the argv its
 * SparkSubmitOperator builds for the date ({@code dags/tests/render.py}), through Spark's own
 * launcher, against the shaded jar, with the master {@code local[2]} from the Spark connection. The
 * day before is simulated, validated and featurised in this JVM first (replay reads the previous
 * day's mind state).
 */
class SparkSubmitIT {

  private static final LocalDate DAY_1 = SimulatorConfig.defaults().startDate();
  private static final LocalDate DAY_2 = DAY_1.plusDays(1);

  /** The stage outputs keyed by the run date, each of which must have rows for it. */
  private static final List<Table> DATED_OUTPUTS =
      List.of(
          Table.VALIDATED_EVENTS,
          Table.USER_MIND_STATE,
          Table.CONTENT_STATE,
          Table.REPLAY,
          Table.TRAINING_RUNS,
          Table.EVALUATION,
          Table.COLD_START_SCORES,
          Table.HEATING_QUOTAS);

  @TempDir static Path dir;

  @Test
  void everyStageRunsThroughSparkSubmitAsTheDagBuildsIt() throws Exception {
    Path root = dir.resolve("lakehouse");
    Path config = SmallDay.writeConfig(dir, root);
    SmallDay.prepare(config, DAY_1);

    List<DagSubmissions.Task> tasks =
        DagSubmissions.render(
            DAY_2,
            "local[2]",
            Map.of(
                "kindling_jar", DagSubmissions.jar().toString(),
                "kindling_config", config.toString()));
    assertThat(tasks).extracting(DagSubmissions.Task::taskId).isEqualTo(NightlyJob.STAGES);
    for (DagSubmissions.Task task : tasks) {
      DagSubmissions.Submitted run = DagSubmissions.submit(task, dir.resolve("logs"), Map.of());
      System.out.printf(
          "spark-submit %s: exit %d, %.1f s%n", run.taskId(), run.exitCode(), run.seconds());
      assertThat(run.exitCode())
          .as("%s failed; its log ends:%n%s", task.taskId(), run.tail())
          .isZero();
    }

    Lakehouse lakehouse = new Lakehouse(SparkTestSession.get(), root.toString());
    for (Table table : DATED_OUTPUTS) {
      assertThat(lakehouse.read(table, DAY_2).count())
          .as("%s has rows for %s", table.tableName(), DAY_2)
          .isPositive();
    }
    assertThat(Files.readString(root.resolve("artifacts/policy/LATEST")).trim())
        .as("publish ran last and published the date's policy")
        .isEqualTo("dt=" + DAY_2);
  }

  /** A two-day world small enough for a test, and its config file. */
  static final class SmallDay {

    private SmallDay() {}

    /**
     * A config file that includes the repository's {@code conf/local.conf} and shrinks the world,
     * training and evaluation; the gate is opened (a two-round policy is not under test here).
     */
    static Path writeConfig(Path dir, Path root) throws Exception {
      Path config = dir.resolve("kindling-it.conf");
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
