package dev.kindling.pipelines.jobs;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/** Names each step's Spark jobs so the Spark UI reads like the pipeline. */
public final class JobGroups {

  private JobGroups() {}

  /** Runs {@code body} with the job group {@code stage:step}, then clears the group. */
  public static <T> T run(SparkSession spark, String stage, String step, Supplier<T> body) {
    spark.sparkContext().setJobGroup(stage + ":" + step, stage + " - " + step, false);
    try {
      return body.get();
    } finally {
      spark.sparkContext().clearJobGroup();
    }
  }
}
