package dev.kindling.pipelines.config;

import dev.kindling.features.state.FeatureParams;
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

  // ---- features (defaults from FeatureParams; see UserMindStateSchema, ContentStateSchema) ----

  private static final int MAX_DAYS = FeatureParams.MAX_DAYS;
  private static final double MAX_STRENGTH = 1e9;
  private static final long MAX_COUNT = Long.MAX_VALUE / 2;

  public static final ConfigKey<Integer> FEATURES_WINDOW_DAYS =
      ConfigKey.integer(
          "features.window-days",
          FeatureParams.DEFAULT_WINDOW_DAYS,
          1,
          MAX_DAYS,
          "Trailing days of events behind interest breadth, affinity and the recent sequence.");

  public static final ConfigKey<Integer> FEATURES_LOOKBACK_DAYS =
      ConfigKey.integer(
          "features.lookback-days",
          FeatureParams.DEFAULT_LOOKBACK_DAYS,
          1,
          MAX_DAYS,
          "How far back a user's last mind state is carried over; older users start from priors.");

  public static final ConfigKey<Integer> FEATURES_RECENT_LENGTH =
      ConfigKey.integer(
          "features.recent-sequence-length",
          FeatureParams.DEFAULT_RECENT_SEQUENCE_LENGTH,
          1,
          FeatureParams.MAX_RECENT_SEQUENCE_LENGTH,
          "Clicked items kept in a user's recent behaviour sequence, newest first.");

  public static final ConfigKey<Double> FEATURES_FATIGUE_RATE =
      ConfigKey.positive(
          "features.fatigue-rate",
          FeatureParams.DEFAULT_FATIGUE_RATE,
          1.0,
          "Per-impression EWMA rate of fatigue (runs of same-category impressions).");

  public static final ConfigKey<Double> FEATURES_SATISFACTION_RATE =
      ConfigKey.positive(
          "features.satisfaction-rate",
          FeatureParams.DEFAULT_SATISFACTION_RATE,
          1.0,
          "Per-impression EWMA rate of satisfaction (outcomes of impressions).");

  public static final ConfigKey<Double> FEATURES_CURIOSITY_RATE =
      ConfigKey.positive(
          "features.curiosity-rate",
          FeatureParams.DEFAULT_CURIOSITY_RATE,
          1.0,
          "Per-day EWMA rate of curiosity (share of clicks on categories new to the user).");

  public static final ConfigKey<Double> FEATURES_SATISFACTION_PRIOR =
      ConfigKey.decimal(
          "features.satisfaction-prior",
          FeatureParams.DEFAULT_SATISFACTION_PRIOR,
          0,
          1,
          "Satisfaction of a user with no carried state.");

  public static final ConfigKey<Double> FEATURES_CURIOSITY_PRIOR =
      ConfigKey.decimal(
          "features.curiosity-prior",
          FeatureParams.DEFAULT_CURIOSITY_PRIOR,
          0,
          1,
          "Curiosity of a user with no carried state.");

  public static final ConfigKey<Double> FEATURES_NOVELTY_PRIOR_STRENGTH =
      ConfigKey.positive(
          "features.novelty-prior-strength",
          FeatureParams.DEFAULT_NOVELTY_PRIOR_STRENGTH,
          MAX_STRENGTH,
          "Pseudo-clicks smoothing a day's novelty share toward the carried curiosity.");

  public static final ConfigKey<Double> FEATURES_CLICK_ONLY_SATISFACTION =
      ConfigKey.decimal(
          "features.click-only-satisfaction",
          FeatureParams.DEFAULT_CLICK_ONLY_SATISFACTION,
          0,
          1,
          "Outcome of a click that was not completed, shared or bought (1 = fully engaged).");

  public static final ConfigKey<Double> FEATURES_FATIGUE_RECOVERY =
      ConfigKey.decimal(
          "features.fatigue-recovery",
          FeatureParams.DEFAULT_FATIGUE_RECOVERY,
          0,
          1,
          "Factor applied to carried fatigue per day away (0.5 halves it each day).");

  public static final ConfigKey<Integer> FEATURES_EXPLOITATION_TOP =
      ConfigKey.integer(
          "features.exploitation-top-categories",
          FeatureParams.DEFAULT_EXPLOITATION_TOP_CATEGORIES,
          1,
          MAX_DAYS,
          "Top categories whose click share is the exploitation score.");

  public static final ConfigKey<Integer> FEATURES_PROTECTION_DAYS =
      ConfigKey.integer(
          "features.protection-days",
          FeatureParams.DEFAULT_PROTECTION_DAYS,
          0,
          MAX_DAYS,
          "Days after sign-up in the exploration protection period.");

  public static final ConfigKey<Double> FEATURES_CTR_PRIOR_STRENGTH =
      ConfigKey.positive(
          "features.ctr-prior-strength",
          FeatureParams.DEFAULT_CTR_PRIOR_STRENGTH,
          MAX_STRENGTH,
          "Pseudo-impressions smoothing an item's CTR toward its category's.");

  public static final ConfigKey<Double> FEATURES_COMPLETION_PRIOR_STRENGTH =
      ConfigKey.positive(
          "features.completion-prior-strength",
          FeatureParams.DEFAULT_COMPLETION_PRIOR_STRENGTH,
          MAX_STRENGTH,
          "Pseudo-clicks smoothing an item's completion per click toward its category's.");

  public static final ConfigKey<Double> FEATURES_COLD_MAX_AGE_DAYS =
      ConfigKey.decimal(
          "features.cold.max-age-days",
          FeatureParams.DEFAULT_COLD_MAX_AGE_DAYS,
          0,
          MAX_DAYS,
          "An item younger than this (days) is cold.");

  public static final ConfigKey<Long> FEATURES_COLD_MIN_EXPOSURE =
      ConfigKey.longInt(
          "features.cold.min-exposure",
          FeatureParams.DEFAULT_COLD_MIN_EXPOSURE,
          0,
          MAX_COUNT,
          "An item with fewer lifetime impressions than this is cold.");

  public static final ConfigKey<Double> FEATURES_FRAUD_INFLATION =
      ConfigKey.positive(
          "features.fraud.click-inflation-threshold",
          FeatureParams.DEFAULT_CLICK_INFLATION_THRESHOLD,
          MAX_STRENGTH,
          "Click inflation (CTR lift over completion lift) at which an item is a fraud suspect.");

  public static final ConfigKey<Long> FEATURES_FRAUD_MIN_CLICKS =
      ConfigKey.longInt(
          "features.fraud.min-clicks",
          FeatureParams.DEFAULT_FRAUD_MIN_CLICKS,
          0,
          MAX_COUNT,
          "Lifetime clicks an item needs before it can be a fraud suspect.");

  public static final ConfigKey<Integer> FEATURES_CONTENT_HORIZON_DAYS =
      ConfigKey.integer(
          "features.content-horizon-days",
          FeatureParams.DEFAULT_CONTENT_HORIZON_DAYS,
          1,
          MAX_DAYS,
          "Days a never-exposed item stays in content_state after publication.");

  private static final List<ConfigKey<?>> ALL =
      List.of(
          LAKEHOUSE_ROOT,
          SPARK_MASTER,
          SPARK_SHUFFLE_PARTITIONS,
          VALIDATE_SCENARIOS,
          FEATURES_WINDOW_DAYS,
          FEATURES_LOOKBACK_DAYS,
          FEATURES_RECENT_LENGTH,
          FEATURES_FATIGUE_RATE,
          FEATURES_SATISFACTION_RATE,
          FEATURES_CURIOSITY_RATE,
          FEATURES_SATISFACTION_PRIOR,
          FEATURES_CURIOSITY_PRIOR,
          FEATURES_NOVELTY_PRIOR_STRENGTH,
          FEATURES_CLICK_ONLY_SATISFACTION,
          FEATURES_FATIGUE_RECOVERY,
          FEATURES_EXPLOITATION_TOP,
          FEATURES_PROTECTION_DAYS,
          FEATURES_CTR_PRIOR_STRENGTH,
          FEATURES_COMPLETION_PRIOR_STRENGTH,
          FEATURES_COLD_MAX_AGE_DAYS,
          FEATURES_COLD_MIN_EXPOSURE,
          FEATURES_FRAUD_INFLATION,
          FEATURES_FRAUD_MIN_CLICKS,
          FEATURES_CONTENT_HORIZON_DAYS);

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
