package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.SparkSessions;
import dev.kindling.pipelines.config.KindlingConfig;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** Runs one stage's job in a session built from the config, then stops the session. */
final class Stage {

  private Stage() {}

  static <R> R run(String appName, KindlingConfig config, Function<SparkSession, R> job) {
    SparkSession spark = SparkSessions.create(appName, config);
    try {
      return job.apply(spark);
    } finally {
      spark.stop();
    }
  }
}
