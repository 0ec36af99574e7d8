package dev.kindling.features;

import org.apache.spark.sql.SparkSession;

/**
 * The one local SparkSession a test JVM shares: {@code local[2]}, UI off, loopback host, few
 * shuffle partitions, UTC, Delta extensions. Stopped by a shutdown hook when the JVM exits.
 */
public final class SparkTestSession {

  private static SparkSession session;

  private SparkTestSession() {}

  /**
   * The shared session, built on first use, and built again when something stopped it (the CLI's
   * stages stop their session when they end, and in a test JVM that is this one).
   */
  public static synchronized SparkSession get() {
    if (session == null || session.sparkContext().isStopped()) {
      session =
          SparkSession.builder()
              .appName("kindling-tests")
              .master("local[2]")
              .config("spark.ui.enabled", "false")
              .config("spark.driver.host", "127.0.0.1")
              .config("spark.driver.bindAddress", "127.0.0.1")
              .config("spark.sql.shuffle.partitions", "2")
              .config("spark.default.parallelism", "2")
              .config("spark.sql.session.timeZone", "UTC")
              .config("spark.sql.sources.partitionColumnTypeInference.enabled", "true")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config(
                  "spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .config("spark.databricks.delta.snapshotPartitions", "2")
              // As the stages' own sessions do (SparkSessions): a test JVM runs the same queries
              // night after night, and Spark's default cache of 100 compiled classes made it
              // compile them again every night (a third of a test night's time).
              .config("spark.sql.codegen.cache.maxEntries", "2000")
              .config(
                  "spark.sql.warehouse.dir", System.getProperty("java.io.tmpdir") + "/warehouse")
              .getOrCreate();
      SparkSession toStop = session;
      Runtime.getRuntime().addShutdownHook(new Thread(toStop::stop));
    }
    return session;
  }
}
