package dev.kindling.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.pipelines.jobs.NightlyJob;
import dev.kindling.pipelines.jobs.NightlyResult;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The Airflow DAG against the code: {@code dags/kindling_stages.json} equals {@code kindling
 * dag-spec}, the DAG's Python tests pass (against the Airflow stand-in in {@code dags/tests}), and
 * every command the DAG renders for a date parses in this CLI as the stage it names, with that
 * date. A stage added to or dropped from either side fails here. No Spark runs in this class.
 *
 * <p>Python: {@code $KINDLING_PYTHON}, else {@code python3}, with Jinja2 importable ({@code
 * .ci/run} sees to it).
 */
class DagSpecTest {

  private static final Path DAGS = Path.of("..", "dags");
  private static final Path SPEC_FILE = DAGS.resolve("kindling_stages.json");
  private static final LocalDate DAY = LocalDate.of(2024, 1, 7);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void checkedInSpecIsWhatTheCliPrints() throws IOException {
    JsonNode checkedIn = JSON.readTree(SPEC_FILE.toFile());
    assertThat(checkedIn)
        .as("%s is stale: run bin/kindling dag-spec > dags/kindling_stages.json", SPEC_FILE)
        .isEqualTo(DagSpec.json());
    KindlingCliTest.Run run = KindlingCliTest.run("dag-spec");
    assertThat(run.code()).isZero();
    assertThat(JSON.readTree(run.out())).isEqualTo(checkedIn);
  }

  @Test
  void nightlyRunsTheSpecsStagesInOrder() {
    List<String> resultStages = new ArrayList<>();
    for (RecordComponent component : NightlyResult.class.getRecordComponents()) {
      if (!List.of("runDate", "stageSeconds").contains(component.getName())) {
        resultStages.add(component.getName().replaceAll("([A-Z])", "-$1").toLowerCase());
      }
    }
    assertThat(resultStages)
        .as("NightlyResult holds one result per stage, in NightlyJob.STAGES order")
        .isEqualTo(NightlyJob.STAGES);
  }

  @Test
  void pythonDagTestsPass() throws Exception {
    Python run = python(DAGS.resolve("tests").resolve("test_kindling_nightly.py").toString());
    assertThat(run.code()).as("python DAG tests failed:%n%s", run.output()).isZero();
    assertThat(run.output()).as("the suite ran its tests").containsPattern("Ran \\d+ tests");
  }

  @Test
  void everyRenderedCommandIsAStageTheCliAccepts() throws Exception {
    Python run = python(DAGS.resolve("tests").resolve("render.py").toString(), DAY.toString());
    assertThat(run.code()).as("render.py failed:%n%s", run.output()).isZero();
    JsonNode tasks = JSON.readTree(run.output());
    List<String> taskIds = new ArrayList<>();
    for (JsonNode task : tasks) {
      String taskId = task.get("task_id").asText();
      taskIds.add(taskId);
      String javaClass = task.get("java_class").asText();
      Class<?> main = Class.forName(javaClass);
      assertThat(Modifier.isStatic(main.getMethod("main", String[].class).getModifiers()))
          .as("%s names %s, which has a static main", taskId, javaClass)
          .isTrue();
      String[] args = JSON.convertValue(task.get("application_args"), String[].class);
      ParseResult parsed = KindlingCli.commandLine().parseArgs(args);
      assertThat(parsed.hasSubcommand()).as("%s runs a subcommand", Arrays.asList(args)).isTrue();
      CommandLine stage = parsed.subcommand().commandSpec().commandLine();
      assertThat(stage.getCommandName()).as("task %s runs its own stage", taskId).isEqualTo(taskId);
      assertThat(parsed.subcommand().matchedOptionValue("--run-date", (LocalDate) null))
          .as("task %s runs the DAG run's date", taskId)
          .isEqualTo(DAY);
    }
    assertThat(taskIds).as("the DAG's tasks are the nightly's stages").isEqualTo(NightlyJob.STAGES);
  }

  @Test
  void aCommandTheCliDoesNotKnowFailsToParse() {
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    KindlingCli.commandLine()
                        .parseArgs("score-coldstart", "--run-date", DAY.toString())))
        .as("a renamed stage is caught by the parse the test above relies on")
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  private record Python(int code, String output) {}

  /** Runs a Python script to the end; stdout and stderr together. */
  private static Python python(String... args) throws Exception {
    String interpreter = System.getenv().getOrDefault("KINDLING_PYTHON", "python3");
    List<String> command = new ArrayList<>(List.of(interpreter));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    return new Python(process.exitValue(), output);
  }
}
