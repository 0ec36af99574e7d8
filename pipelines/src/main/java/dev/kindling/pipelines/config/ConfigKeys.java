package dev.kindling.pipelines.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every config key Kindling reads, each declared once with its default, allowed values and doc.
 * {@code bin/kindling config} lists them with their effective values.
 */
public final class ConfigKeys {

  /** Free-form Spark settings live under this prefix and are not checked against this list. */
  public static final String SPARK_CONF_PREFIX = "spark.conf";

  private static final int MAX_PARTITIONS = 100_000;

  // ---- lakehouse and Spark ----

  public static final ConfigKey<String> LAKEHOUSE_ROOT =
      ConfigKey.string(
          "lakehouse.root",
          "./lakehouse",
          "Root of the lakehouse: raw logs, Delta tables and artifacts live under it (a local path"
              + " or an object-store URI such as s3a://bucket/kindling).");

  public static final ConfigKey<String> SPARK_MASTER =
      ConfigKey.string(
          "spark.master",
          "local[*]",
          "Spark master for the embedded mode; ignored under spark-submit, which sets its own.");

  public static final ConfigKey<Integer> SPARK_SHUFFLE_PARTITIONS =
      ConfigKey.integer(
          "spark.shuffle-partitions",
          8,
          1,
          MAX_PARTITIONS,
          "spark.sql.shuffle.partitions for every stage: about 2-3 per executor core.");

  // ---- validate ----

  public static final ConfigKey<List<String>> VALIDATE_SCENARIOS =
      ConfigKey.stringList(
          "validate.scenarios",
          List.of("feed", "search", "detail"),
          "Scenarios (ranking agents) a log row may name; others are quarantined.");

  private static final List<ConfigKey<?>> ALL =
      List.of(LAKEHOUSE_ROOT, SPARK_MASTER, SPARK_SHUFFLE_PARTITIONS, VALIDATE_SCENARIOS);

  private static final Map<String, ConfigKey<?>> BY_PATH = index(ALL);

  private ConfigKeys() {}

  /** Every declared key. */
  public static List<ConfigKey<?>> all() {
    return ALL;
  }

  /** Every declared key by its HOCON path. */
  public static Map<String, ConfigKey<?>> byPath() {
    return BY_PATH;
  }

  private static Map<String, ConfigKey<?>> index(List<ConfigKey<?>> keys) {
    Map<String, ConfigKey<?>> out = new LinkedHashMap<>();
    for (ConfigKey<?> key : keys) {
      if (out.put(key.path(), key) != null) {
        throw new IllegalStateException("config key declared twice: " + key.path());
      }
    }
    return Map.copyOf(out);
  }
}
