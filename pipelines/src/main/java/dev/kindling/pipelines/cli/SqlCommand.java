package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.SparkSessions;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.TableViews;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Runs one Spark SQL query over the lakehouse tables and prints the result as a table. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    description = {
      "Run Spark SQL with every lakehouse table registered by its name and print the result.",
      "Tables: validated_events, quarantine, user_mind_state, content_state, ... and the raw"
          + " logs as raw_events, raw_items, raw_users.",
      "Example: bin/kindling sql \"SELECT dt, count(*) FROM user_mind_state GROUP BY dt\""
    })
final class SqlCommand implements Callable<Integer> {

  private static final int DEFAULT_ROWS = 50;

  @Mixin CommonOptions common;

  @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL query.")
  String query;

  @Option(
      names = "--max-rows",
      description = "Rows to print at most (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_ROWS)
  int maxRows;

  @Option(names = "--no-truncate", description = "Print long cell values whole.")
  boolean noTruncate;

  @Override
  public Integer call() throws Exception {
    KindlingConfig config = common.load();
    SparkSession spark = SparkSessions.create("kindling-sql", config);
    try {
      Lakehouse lakehouse = new Lakehouse(spark, config.get(ConfigKeys.LAKEHOUSE_ROOT));
      List<String> views = TableViews.registerAll(spark, lakehouse);
      System.err.println("Tables: " + String.join(", ", views));
      try {
        spark.sql(query).show(maxRows, !noTruncate);
      } catch (Exception e) {
        // Spark declares no checked exceptions, so the analysis error arrives undeclared.
        if (!(e instanceof AnalysisException analysis)) {
          throw e;
        }
        throw Errors.of(
            "The query cannot run: " + analysis.getSimpleMessage() + ".",
            "The tables here are " + String.join(", ", views) + ".",
            "Check the table and column names (DESCRIBE <table> lists a table's columns).");
      }
      return 0;
    } finally {
      spark.stop();
    }
  }
}
