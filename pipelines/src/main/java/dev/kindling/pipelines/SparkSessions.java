package dev.kindling.pipelines;

import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a stage runs in: Delta extensions, UTC session time, the configured
 * shuffle partitions (Delta's snapshot partitions at most as many), a compiled-query cache of
 * {@value #CODEGEN_CACHE_SIZE} classes and free-form {@code spark.conf} settings. The master comes
 * from spark-submit when it launched the process, else from {@code spark.master} (embedded mode).
 */
public final class SparkSessions {

  private static final String DELTA_SNAPSHOT_PARTITIONS =
      "spark.databricks.delta.snapshotPartitions";
  private static final int DELTA_DEFAULT_SNAPSHOT_PARTITIONS = 50;
  private static final String CODEGEN_CACHE_ENTRIES = "spark.sql.codegen.cache.maxEntries";
  private static final int CODEGEN_CACHE_SIZE = 2000;

  private SparkSessions() {}

  public static SparkSession create(String appName, KindlingConfig config) {
    SparkConf launched = new SparkConf();
    String shufflePartitions = String.valueOf(config.get(ConfigKeys.SPARK_SHUFFLE_PARTITIONS));
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.shuffle.partitions", shufflePartitions)
            .config("spark.sql.sources.partitionOverwriteMode", "static")
            .config("spark.ui.showConsoleProgress", "false")
            .config(
                Lakehouse.LEASE_TTL_CONF,
                String.valueOf(config.get(ConfigKeys.LAKEHOUSE_LEASE_TTL_SECONDS)));
    if (!launched.contains("spark.master")) {
      String master = config.get(ConfigKeys.SPARK_MASTER);
      builder
          .master(master)
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    // Delta rebuilds a table's state from its log in 50 partitions unless told otherwise: 50 tasks
    // per table read, where a Kindling table's log holds a few actions a night. A small stage
    // (local mode, the demo) gets its shuffle width instead, never more than Delta's default; a
    // spark-submit --conf or spark.conf setting still decides.
    // One JVM that runs many stages (nightly, the demo, simulate-loop) runs the same queries
    // night after night; Spark keeps 100 compiled query classes by default, too few for one
    // night's, so each night compiled them all again.
    if (!launched.contains(CODEGEN_CACHE_ENTRIES)) {
      builder.config(CODEGEN_CACHE_ENTRIES, String.valueOf(CODEGEN_CACHE_SIZE));
    }
    if (!launched.contains(DELTA_SNAPSHOT_PARTITIONS)) {
      builder.config(
          DELTA_SNAPSHOT_PARTITIONS,
          String.valueOf(
              Math.min(
                  DELTA_DEFAULT_SNAPSHOT_PARTITIONS,
                  config.get(ConfigKeys.SPARK_SHUFFLE_PARTITIONS))));
    }
    config.sparkConf().forEach(builder::config);
    return builder.getOrCreate();
  }
}
