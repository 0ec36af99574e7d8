package dev.kindling.pipelines.cli;

import java.time.LocalDate;
import picocli.CommandLine.Option;

/** The required {@code --run-date} of a date-keyed stage. */
public final class RunDateOption {

  @Option(
      names = "--run-date",
      paramLabel = "yyyy-MM-dd",
      required = true,
      description = "The date this run processes; re-running a date replaces its partitions.")
  LocalDate runDate;

  public LocalDate runDate() {
    return runDate;
  }
}
