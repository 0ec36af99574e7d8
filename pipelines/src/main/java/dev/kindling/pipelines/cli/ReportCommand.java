package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.ReportConfig;
import dev.kindling.pipelines.jobs.ReportJob;
import dev.kindling.pipelines.jobs.ReportResult;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kindling report}: writes the self-contained HTML evaluation report. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Write the evaluation report: one self-contained HTML file (charts inline as SVG, no"
          + " network needed to view it) made from the evaluation table alone: the closed loop's"
          + " summary per arm and seed, each metric over days, the Lorenz curves of item exposure,"
          + " the off-policy estimates with their intervals, and the gate decisions.",
      "Writes <lakehouse.root>/"
          + ReportJob.DEFAULT_OUTPUT
          + " unless --out is given, atomically"
          + " (temporary file, then a move), and prints its path (the figures on stderr); open it in any browser.",
      "Needs the evaluation table, which the evaluate stage (run by nightly) and simulate-loop"
          + " write."
    })
final class ReportCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Option(
      names = "--run-date",
      paramLabel = "yyyy-MM-dd",
      description = "Read the evaluation rows of days up to this date (default: all of them).")
  LocalDate runDate;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "The HTML file to write (default: <lakehouse.root>/" + ReportJob.DEFAULT_OUTPUT + ").")
  Path out;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    ReportConfig report = ReportConfig.from(config, runDate, out);
    ReportResult result =
        Stage.run("kindling-report", config, spark -> new ReportJob(spark, report).run());
    System.err.println(result);
    System.out.println(result.path());
    return 0;
  }
}
