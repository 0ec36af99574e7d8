package dev.kindling.pipelines.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Airflow DAG's stage tasks for one date as Airflow would: {@code dags/tests/render.py}
 * renders each task and builds the argv SparkSubmitOperator runs, and this class runs that argv
 * with Spark's own launcher ({@code org.apache.spark.deploy.SparkSubmit} from the Spark jars, which
 * is what the {@code spark-submit} script execs) against the shaded jar. Integration tests only:
 * the jar comes from {@code mvn package}, the Spark distribution's class path from {@code
 * pipelines/spark-dist} (system properties set by failsafe).
 */
public final class DagSubmissions {

  /** The repository root; failsafe runs in {@code pipelines/}. */
  public static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long STAGE_TIMEOUT_MINUTES = 15;

  /** One stage task: its id and the spark-submit argv the operator runs. */
  public record Task(String taskId, List<String> sparkSubmit) {}

  /** A finished submission. */
  public record Submitted(String taskId, int exitCode, double seconds, Path log) {

    /** The last lines of its log, for a failure message. */
    public String tail() {
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }
  }

  private DagSubmissions() {}

  /** The shaded jar built by {@code mvn package}. */
  public static Path jar() {
    Path jar = Path.of(property("kindling.jar"));
    assertThat(jar).as("the shaded jar (run in mvn verify, after package)").isRegularFile();
    return jar;
  }

  /**
   * The DAG's stage tasks for {@code day}, rendered with the given Airflow Variables and a {@code
   * spark_default} connection of {@code master} (client deploy mode).
   */
  public static List<Task> render(LocalDate day, String master, Map<String, String> variables)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                System.getenv().getOrDefault("KINDLING_PYTHON", "python3"),
                REPO.resolve("dags/tests/render.py").toString(),
                day.toString(),
                "--master",
                master));
    variables.forEach((k, v) -> command.addAll(List.of("--var", k + "=" + v)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as("render.py failed:%n%s", out).isZero();
    List<Task> tasks = new ArrayList<>();
    for (JsonNode task : JSON.readTree(out)) {
      tasks.add(
          new Task(
              task.get("task_id").asText(),
              Arrays.asList(JSON.convertValue(task.get("spark_submit"), String[].class))));
    }
    return tasks;
  }

  /** Runs one task's argv and waits for it ({@link #start}, then {@link Running#await}). */
  public static Submitted submit(Task task, Path logs, Map<String, String> environment)
      throws IOException, InterruptedException {
    return start(task, logs, environment).await();
  }

  /**
   * Starts one task's argv: {@code spark-submit} is replaced by the JVM the script would start
   * (Java 17 module opens, {@code -Xmx} as {@code --driver-memory} would set, the Spark jars on the
   * class path, {@code SparkSubmit} as main); the rest of the argv is passed as is. Output goes to
   * {@code logs/<task>.log}, or {@code logs/<task>-<n>.log} when that exists (a retry).
   */
  public static Running start(Task task, Path logs, Map<String, String> environment)
      throws IOException {
    assertThat(task.sparkSubmit().get(0)).isEqualTo("spark-submit");
    List<String> command = new ArrayList<>(launcher());
    command.addAll(task.sparkSubmit().subList(1, task.sparkSubmit().size()));
    Files.createDirectories(logs);
    Path log = logs.resolve(task.taskId() + ".log");
    for (int attempt = 2; Files.exists(log); attempt++) {
      log = logs.resolve(task.taskId() + "-" + attempt + ".log");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(REPO.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("OMP_NUM_THREADS", "1");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().putAll(environment);
    return new Running(task.taskId(), builder.start(), log, System.nanoTime());
  }

  /** A started submission. */
  public record Running(String taskId, Process process, Path log, long startedNanos) {

    /** Waits for the process, at most the stage timeout (then kills it and fails). */
    public Submitted await() throws InterruptedException {
      if (!process.waitFor(STAGE_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly().waitFor();
        throw new AssertionError(taskId + " did not finish in " + STAGE_TIMEOUT_MINUTES + " min");
      }
      return new Submitted(
          taskId, process.exitValue(), (System.nanoTime() - startedNanos) / 1e9, log);
    }

    /** The log so far. */
    public String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
  }

  /**
   * JVM options of the short-lived JVMs a submission starts (its driver here, its executors through
   * {@link #EXECUTOR_SPARK_CONF}): the client compiler only. A stage's driver and executors live
   * about a minute and spend it in code run once (class loading, Spark's generated code, Delta's
   * log replay); the optimising compiler would not repay its compile time, and the networks' maths
   * is native either way.
   */
  public static final String SHORT_LIVED_JVM = "-XX:TieredStopAtLevel=1";

  /** Spark settings that give a submission's executors {@link #SHORT_LIVED_JVM}, as JSON pairs. */
  public static final String EXECUTOR_SPARK_CONF =
      "\"spark.executor.extraJavaOptions\": \"" + SHORT_LIVED_JVM + "\"";

  /**
   * {@code java <opens> -Xmx2g <short-lived JVM> -cp <Spark jars>
   * org.apache.spark.deploy.SparkSubmit}.
   */
  public static List<String> launcher() throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(Arrays.asList(property("kindling.java-opens").trim().split("\\s+")));
    command.add("-Xmx2g");
    command.add(SHORT_LIVED_JVM);
    command.add("-cp");
    command.add(sparkClasspath());
    command.add("org.apache.spark.deploy.SparkSubmit");
    return command;
  }

  /** A Spark distribution's jars, as {@code pipelines/spark-dist} lists them. */
  public static String sparkClasspath() throws IOException {
    Path file = Path.of(property("kindling.spark-dist-classpath"));
    assertThat(file)
        .as("the Spark distribution class path (build pipelines/spark-dist first)")
        .isRegularFile();
    return Files.readString(file).trim();
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    assertThat(value)
        .as("system property %s (set by failsafe in pipelines/pom.xml)", name)
        .isNotNull();
    return value;
  }
}
