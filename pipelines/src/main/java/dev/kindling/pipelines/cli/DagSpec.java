package dev.kindling.pipelines.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.jobs.NightlyJob;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * The nightly stages as the Airflow DAG runs them: one {@code spark-submit} task per stage of
 * {@link NightlyJob#STAGES}, in order, each naming the main class and the stage's arguments with
 * Airflow's {@code {{ ds }}} for the run date. {@code kindling dag-spec} prints it; {@code
 * dags/kindling_stages.json} is its checked-in copy, which the DAG reads and a test holds equal to
 * this output, so the DAG's tasks and classes cannot drift from the code. Task ids are the stage
 * names (Airflow allows letters, digits, '-', '_' and '.').
 *
 * <p>Format (version {@value #FORMAT_VERSION}): {@code {"format_version": 1, "stages": [{"task_id",
 * "java_class", "application_args": [...]}, ...]}}. The DAG appends {@code --config} and any {@code
 * --conf} overrides to {@code application_args}.
 */
public final class DagSpec {

  /** Bumped when a field changes meaning; the DAG refuses a version it does not know. */
  public static final int FORMAT_VERSION = 1;

  /** The class every stage runs: the CLI, with the stage's subcommand as first argument. */
  public static final String JAVA_CLASS = KindlingCli.class.getName();

  /** Airflow's template for the run date of a DAG run. */
  public static final String RUN_DATE_TEMPLATE = "{{ ds }}";

  private static final String RUN_DATE_OPTION = "--run-date";

  private DagSpec() {}

  /** The spec as a JSON tree, checked against the CLI's subcommands. */
  public static ObjectNode json() {
    Map<String, CommandLine> subcommands = KindlingCli.commandLine().getSubcommands();
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode spec = mapper.createObjectNode();
    spec.put("format_version", FORMAT_VERSION);
    ArrayNode stages = spec.putArray("stages");
    for (String stage : NightlyJob.STAGES) {
      CommandLine command = subcommands.get(stage);
      if (command == null) {
        throw new KindlingException(
            "nightly stage '" + stage + "' has no CLI subcommand; add it to KindlingCli.");
      }
      if (command.getCommandSpec().findOption(RUN_DATE_OPTION) == null) {
        throw new KindlingException(
            "stage '" + stage + "' takes no " + RUN_DATE_OPTION + "; mix in RunDateOption.");
      }
      ObjectNode task = stages.addObject();
      task.put("task_id", stage);
      task.put("java_class", JAVA_CLASS);
      ArrayNode args = task.putArray("application_args");
      for (String arg : List.of(stage, RUN_DATE_OPTION, RUN_DATE_TEMPLATE)) {
        args.add(arg);
      }
    }
    return spec;
  }

  /** The spec as printed: indented JSON with a trailing newline. */
  public static String text() {
    try {
      return new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(json())
          + System.lineSeparator();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot print the DAG spec", e);
    }
  }
}
