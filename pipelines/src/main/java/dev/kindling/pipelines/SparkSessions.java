package dev.kindling.pipelines;

import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a stage runs in: Delta extensions, UTC session time, the configured
 * shuffle partitions and free-form {@code spark.conf} settings. The master comes from spark-submit
 * when it launched the process, else from {@code spark.master} (embedded mode).
 */
public final class SparkSessions {

  private SparkSessions() {}

  public static SparkSession create(String appName, KindlingConfig config) {
    SparkConf launched = new SparkConf();
    SparkSession.Builder builder =
        SparkSession.builder()
            .appName(appName)
            .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
            .config(
                "spark.sql.catalog.spark_catalog",
                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
            .config("spark.sql.session.timeZone", "UTC")
            .config(
                "spark.sql.shuffle.partitions",
                String.valueOf(config.get(ConfigKeys.SPARK_SHUFFLE_PARTITIONS)))
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
    config.sparkConf().forEach(builder::config);
    return builder.getOrCreate();
  }
}
