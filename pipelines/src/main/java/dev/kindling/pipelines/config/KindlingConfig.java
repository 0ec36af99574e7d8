package dev.kindling.pipelines.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import dev.kindling.pipelines.Errors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The loaded, validated configuration: a HOCON file, then {@code --conf key=value} overrides on
 * top, checked against the keys declared in {@link ConfigKeys}. An unknown key or an invalid value
 * fails here, before any Spark work.
 */
public final class KindlingConfig {

  private final Config config;

  private KindlingConfig(Config config) {
    this.config = config;
  }

  /**
   * Loads {@code file} (which must exist) with {@code overrides} applied on top.
   *
   * @param overrides strings {@code key=value}; a later override of the same key wins
   */
  public static KindlingConfig load(Path file, List<String> overrides) {
    if (!Files.isRegularFile(file)) {
      throw Errors.of(
          "Config file " + file.toAbsolutePath() + " does not exist.",
          "Every stage reads its settings from a HOCON file (default conf/local.conf).",
          "Pass --config FILE, or run from the project directory where conf/local.conf lives.");
    }
    Config fromFile;
    try {
      fromFile = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults());
    } catch (ConfigException e) {
      throw Errors.of(
          "Config file " + file + " is not valid HOCON: " + e.getMessage() + ".",
          "The file must parse before any key can be read.",
          "Fix the syntax at the line the message names.");
    }
    return fromConfig(applyOverrides(fromFile, overrides));
  }

  /** Built-in defaults with {@code overrides} applied; for tests and embedded use. */
  public static KindlingConfig defaults(List<String> overrides) {
    return fromConfig(applyOverrides(ConfigFactory.empty(), overrides));
  }

  /**
   * This config with {@code overrides} applied on top, validated again; e.g. the same settings
   * pointed at another {@code lakehouse.root}.
   */
  public KindlingConfig withOverrides(List<String> overrides) {
    return fromConfig(applyOverrides(config, overrides));
  }

  private static Config applyOverrides(Config base, List<String> overrides) {
    Config result = base;
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw Errors.malformedOverride(override);
      }
      String key = override.substring(0, eq).trim();
      String value = override.substring(eq + 1).trim();
      try {
        ConfigUtil.splitPath(key);
      } catch (ConfigException e) {
        throw Errors.malformedOverride(override);
      }
      result = result.withValue(key, ConfigValueFactory.fromAnyRef(value));
    }
    return result;
  }

  private static KindlingConfig fromConfig(Config raw) {
    Config resolved;
    try {
      resolved = raw.resolve();
    } catch (ConfigException e) {
      throw Errors.of(
          "Config cannot be resolved: " + e.getMessage() + ".",
          "A ${...} substitution points at a key that is not set.",
          "Set the key or remove the substitution.");
    }
    for (Map.Entry<String, ConfigValue> entry : resolved.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith(ConfigKeys.SPARK_CONF_PREFIX + ".")) {
        continue;
      }
      if (!ConfigKeys.byPath().containsKey(key)) {
        throw Errors.unknownConfigKey(key, closestKey(key));
      }
    }
    KindlingConfig config = new KindlingConfig(resolved);
    ConfigKeys.all().forEach(k -> k.read(resolved));
    return config;
  }

  /** The validated value of {@code key}, or its default. */
  public <T> T get(ConfigKey<T> key) {
    return key.read(config);
  }

  /**
   * Free-form Spark settings under {@code spark.conf}, e.g. {@code spark.conf {
   * "spark.executor.memory" = 4g }}, passed to the session builder unchanged.
   */
  public Map<String, String> sparkConf() {
    Map<String, String> out = new TreeMap<>();
    if (!config.hasPath(ConfigKeys.SPARK_CONF_PREFIX)) {
      return out;
    }
    for (Map.Entry<String, ConfigValue> e :
        config.getConfig(ConfigKeys.SPARK_CONF_PREFIX).entrySet()) {
      String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
      out.put(key, String.valueOf(e.getValue().unwrapped()));
    }
    return out;
  }

  /** Every declared key with its effective value, default and doc, for {@code kindling config}. */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    ConfigKeys.all().stream()
        .sorted(Comparator.comparing(ConfigKey::path))
        .forEach(
            k ->
                out.put(
                    k.path(),
                    Errors.render(get(k))
                        + "    # "
                        + k.doc()
                        + " Default "
                        + Errors.render(k.defaultValue())
                        + "; "
                        + k.allowed()
                        + "."));
    sparkConf().forEach((k, v) -> out.put(ConfigKeys.SPARK_CONF_PREFIX + ".\"" + k + "\"", v));
    return out;
  }

  private static String closestKey(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : ConfigKeys.byPath().keySet()) {
      int d = levenshtein(key, candidate);
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    int maxUsefulDistance = Math.max(2, key.length() / 3);
    return bestDistance <= maxUsefulDistance ? best : null;
  }

  private static int levenshtein(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
