package dev.kindling.pipelines.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Exit codes of {@link KindlingCli#run}. Every case here fails or finishes before a SparkSession
 * would be built, so no Spark runs in this class.
 */
class KindlingCliTest {

  /** Surefire runs in the module directory; the repository's config is one level up. */
  private static final String CONFIG = "../conf/local.conf";

  @BeforeAll
  static void configIsThere() {
    assertThat(Files.isRegularFile(Path.of(CONFIG)))
        .as("the tests run in pipelines/ and find %s", CONFIG)
        .isTrue();
  }

  /** Every subcommand and nested subcommand, as typed: "benchmark serving". */
  static List<String> subcommands() {
    List<String> names = new ArrayList<>();
    addSubcommands(KindlingCli.commandLine(), "", names);
    return names;
  }

  private static void addSubcommands(CommandLine command, String prefix, List<String> names) {
    for (Map.Entry<String, CommandLine> sub : command.getSubcommands().entrySet()) {
      if (!sub.getKey().equals("help")) {
        names.add(prefix + sub.getKey());
        addSubcommands(sub.getValue(), prefix + sub.getKey() + " ", names);
      }
    }
  }

  @Test
  void everyStageAndToolIsASubcommand() {
    assertThat(subcommands())
        .contains(
            "simulate",
            "simulate-loop",
            "validate",
            "nightly",
            "report",
            "sql",
            "config",
            "dag-spec",
            "benchmark serving")
        .containsAll(dev.kindling.pipelines.jobs.NightlyJob.STAGES);
  }

  @ParameterizedTest
  @MethodSource("subcommands")
  void helpOfEverySubcommandExitsZero(String subcommand) {
    Run run = run((subcommand + " --help").split(" "));
    assertThat(run.code).as("%s --help exits 0", subcommand).isZero();
    assertThat(run.out).as("%s --help prints its usage", subcommand).contains("Usage:");
  }

  @Test
  void helpOfTheCommandExitsZero() {
    assertThat(run("--help").code).as("kindling --help exits 0").isZero();
  }

  @Test
  void malformedRunDateIsAUsageError() {
    Run run = run("validate", "--config", CONFIG, "--run-date", "2024-13-01");
    assertThat(run.code).as("a malformed --run-date exits 2").isEqualTo(2);
    assertThat(run.err).as("the message shows the bad value").contains("2024-13-01");
  }

  @Test
  void missingRunDateIsAUsageError() {
    assertThat(run("features", "--config", CONFIG).code)
        .as("a stage without --run-date exits 2")
        .isEqualTo(2);
  }

  @Test
  void unknownConfigKeyIsAClearFailure() {
    Run run =
        run(
            "validate",
            "--config",
            CONFIG,
            "--run-date",
            "2024-01-01",
            "--conf",
            "lakehouse.roo=x");
    assertThat(run.code).as("an unknown config key exits 1").isEqualTo(1);
    assertThat(run.err)
        .as("the message names the key and suggests the right one")
        .contains("lakehouse.roo")
        .contains("Did you mean 'lakehouse.root'");
  }

  @Test
  void nightlyNeedsRunDateOrDemo() {
    Run run = run("nightly", "--config", CONFIG);
    assertThat(run.code).as("nightly with neither --run-date nor --demo exits 1").isEqualTo(1);
    assertThat(run.err).as("the message names both options").contains("--run-date", "--demo");
  }

  @Test
  void nightlyRejectsRunDateWithDemo() {
    assertThat(run("nightly", "--config", CONFIG, "--demo", "--run-date", "2024-01-01").code)
        .as("nightly with both --run-date and --demo exits 1")
        .isEqualTo(1);
  }

  /** What one CLI run returned and printed. */
  record Run(int code, String out, String err) {}

  /** Runs the CLI with System.out and System.err captured. */
  static Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      code = KindlingCli.run(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Run(
        code, outBytes.toString(StandardCharsets.UTF_8), errBytes.toString(StandardCharsets.UTF_8));
  }
}
