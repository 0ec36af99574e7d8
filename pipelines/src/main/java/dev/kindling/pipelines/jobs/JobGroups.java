package dev.kindling.pipelines.jobs;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Names each step's Spark jobs so the Spark UI reads like the pipeline, and logs its duration. */
public final class JobGroups {

  private static final Logger LOG = LoggerFactory.getLogger(JobGroups.class);
  private static final double NANOS_PER_SECOND = 1e9;

  private JobGroups() {}

  /** Runs {@code body} with the job group {@code stage:step}, then clears the group. */
  public static <T> T run(SparkSession spark, String stage, String step, Supplier<T> body) {
    spark.sparkContext().setJobGroup(stage + ":" + step, stage + " - " + step, false);
    long started = System.nanoTime();
    try {
      return body.get();
    } finally {
      spark.sparkContext().clearJobGroup();
      LOG.info(
          "{}: {} took {} s",
          stage,
          step,
          String.format("%.1f", (System.nanoTime() - started) / NANOS_PER_SECOND));
    }
  }
}
