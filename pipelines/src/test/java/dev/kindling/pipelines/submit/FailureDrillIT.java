package dev.kindling.pipelines.submit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.TrainingRunsSchema;
import dev.kindling.pipelines.cli.KindlingCli;
import dev.kindling.pipelines.jobs.TrainJob;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure drills on the DAG's stage tasks, each run as its own process through Spark's launcher
 * with the argv Airflow would run ({@link DagSubmissions}, master {@code local[2]}), on a small day
 * prepared in this JVM:
 *
 * <ol>
 *   <li>{@code train} killed with SIGKILL after its first round was committed, then run again: the
 *       rerun takes over the dead run's lease, resumes from the checkpoint, and {@code
 *       training_runs} holds every round exactly once; no temporary directory is left;
 *   <li>two {@code train} runs of the same date started at once: one succeeds, the other fails
 *       before writing anything, naming the run that holds the date;
 *   <li>the rest of the night then runs on what the drills left, and publishes the date.
 * </ol>
 *
 * A transient failure inside a stage (an executor lost mid-stage and the stage retried) is drilled
 * on the standalone cluster by {@link ClusterSubmitIT}.
 */
class FailureDrillIT {

  private static final LocalDate DAY_1 = SimulatorConfig.defaults().startDate();
  private static final LocalDate DAY_2 = DAY_1.plusDays(1);
  private static final int ROUNDS = 8;
  private static final long POLL_MILLIS = 20;

  @TempDir static Path dir;

  @Test
  void killedAndConcurrentRunsOfAStageLeaveExactlyOneCorrectOutput() throws Exception {
    Path root = dir.resolve("lakehouse");
    Path config =
        SmallDay.writeConfig(
            dir.resolve("drill.conf"), root, "train { rounds = " + ROUNDS + ", trainer = local }");
    SmallDay.prepare(config, DAY_1);
    for (String stage : List.of("validate", "features", "replay")) {
      assertThat(
              KindlingCli.run(stage, "--config", config.toString(), "--run-date", DAY_2.toString()))
          .as(stage)
          .isZero();
    }
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
    Path logs = dir.resolve("logs");
    Path trainingRunsLog = root.resolve(Table.TRAINING_RUNS.tableName()).resolve("_delta_log");
    Path lease = root.resolve(RunLease.relativePath("train", DAY_2));

    // 1. SIGKILL once the first round's row is committed (version 0 creates the table).
    DagSubmissions.Running killed = DagSubmissions.start(train, logs, Map.of());
    Path firstRound = trainingRunsLog.resolve(String.format("%020d.json", 1));
    while (!Files.exists(firstRound) && killed.process().isAlive()) {
      Thread.sleep(POLL_MILLIS);
    }
    assertThat(killed.process().isAlive())
        .as("train was still running after its first round; its log:%n%s", killed.output())
        .isTrue();
    killed.process().destroyForcibly();
    DagSubmissions.Submitted dead = killed.await();
    assertThat(dead.exitCode()).as("killed by SIGKILL").isEqualTo(128 + 9);
    List<Integer> roundsAtKill = rounds(root);
    System.out.printf("train killed after rounds %s%n", roundsAtKill);
    assertThat(roundsAtKill).as("killed mid-run").isNotEmpty().hasSizeLessThan(ROUNDS);
    assertThat(lease).as("a killed run cannot release its lease").isRegularFile();
    // The kill may land between a round's row and its checkpoint: then the rerun starts afresh.
    boolean checkpointed = Files.isDirectory(checkpoint(root));

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
    assertThat(rounds(root))
        .as("every round exactly once: nothing lost, nothing doubled")
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, ROUNDS).boxed().toList());
    Path model = root.resolve(TrainJob.MODELS).resolve("dt=" + DAY_2);
    assertThat(PolicyFiles.load(model).metadata().roundsCompleted()).isEqualTo(ROUNDS);
    assertThat(checkpoint(root)).doesNotExist();
    assertNoLeftovers(root.resolve(TrainJob.MODELS));
    assertNoLeftovers(root.resolve(TrainJob.CHECKPOINTS));
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
    assertThat(rounds(root))
        .as("the winner's rounds, once each")
        .containsExactlyElementsOf(
            java.util.stream.IntStream.rangeClosed(1, ROUNDS).boxed().toList());
    assertThat(lease).doesNotExist();

    // 3. The night completes on what the drills left.
    for (String stage : List.of("evaluate", "score-cold-start", "allocate", "publish")) {
      assertThat(
              KindlingCli.run(stage, "--config", config.toString(), "--run-date", DAY_2.toString()))
          .as(stage)
          .isZero();
    }
    assertThat(Files.readString(root.resolve(TrainJob.POLICY_ARTIFACTS).resolve("LATEST")).trim())
        .isEqualTo("dt=" + DAY_2);
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
}
