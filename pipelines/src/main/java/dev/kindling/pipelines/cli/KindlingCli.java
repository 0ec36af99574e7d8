package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.KindlingException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code kindling} command line: one subcommand per stage. Exit codes: 0 success, 1 a stage
 * failed with a clear reason (bad input, bad config), 2 a usage error, 3 an unexpected failure.
 */
@Command(
    name = "kindling",
    mixinStandardHelpOptions = true,
    version = "kindling 0.1.0",
    description = "Nightly multi-agent RL training for recommenders, against the Matthew effect.",
    subcommands = {
      SimulateCommand.class,
      SimulateLoopCommand.class,
      ValidateCommand.class,
      FeaturesCommand.class,
      EmbeddingsCommand.class,
      ReplayCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      ScoreColdStartCommand.class,
      AllocateCommand.class,
      PublishCommand.class,
      NightlyCommand.class,
      ReportCommand.class,
      AblationCommand.class,
      SqlCommand.class,
      ConfigCommand.class,
      DagSpecCommand.class,
      BenchmarkCommand.class,
      CommandLine.HelpCommand.class
    })
public final class KindlingCli {

  /** Exit code of a stage that failed with a reason the user can act on. */
  public static final int EXIT_FAILED = 1;

  /** Exit code of an unexpected failure (a bug, or an environment fault). */
  public static final int EXIT_UNEXPECTED = 3;

  private KindlingCli() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The command line with its converters and exit-code mapping; {@code parseArgs} on it checks an
   * argument list without running anything.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new KindlingCli());
    cli.registerConverter(LocalDate.class, KindlingCli::parseDate);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof KindlingException) {
            commandLine.getErr().println("kindling: " + e.getMessage());
            return EXIT_FAILED;
          }
          commandLine.getErr().println("kindling: unexpected failure: " + e);
          e.printStackTrace(commandLine.getErr());
          return EXIT_UNEXPECTED;
        });
    return cli;
  }

  private static LocalDate parseDate(String value) {
    try {
      return LocalDate.parse(value);
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a date; use yyyy-MM-dd, e.g. 2026-11-07");
    }
  }
}
