package dev.kindling.pipelines.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.kindling.pipelines.Errors;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One declared config key: its HOCON path, type, default, allowed values and a one-line doc. Every
 * key Kindling reads is declared exactly once, in {@link ConfigKeys}.
 *
 * @param <T> the value's Java type
 */
public final class ConfigKey<T> {

  private final String path;
  private final T defaultValue;
  private final String doc;
  private final String allowed;
  private final Function<ConfigValue, T> parser;

  private ConfigKey(
      String path, T defaultValue, String doc, String allowed, Function<ConfigValue, T> parser) {
    this.path = path;
    this.defaultValue = defaultValue;
    this.doc = doc;
    this.allowed = allowed;
    this.parser = parser;
  }

  public String path() {
    return path;
  }

  public T defaultValue() {
    return defaultValue;
  }

  public String doc() {
    return doc;
  }

  /** Human-readable description of the allowed values, used in errors and in the key listing. */
  public String allowed() {
    return allowed;
  }

  /** Reads and validates this key from a resolved config, falling back to the default. */
  public T read(Config config) {
    if (!config.hasPath(path)) {
      return defaultValue;
    }
    ConfigValue value = config.getValue(path);
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException | ConfigException | DateTimeParseException e) {
      throw Errors.invalidConfigValue(path, value.unwrapped(), allowed, doc);
    }
  }

  /** An integer in [min, max]. */
  public static ConfigKey<Integer> integer(String path, int def, int min, int max, String doc) {
    return new ConfigKey<>(
        path,
        def,
        doc,
        "an integer in [" + min + ", " + max + "]",
        v -> {
          int i = Integer.parseInt(scalar(v));
          require(i >= min && i <= max);
          return i;
        });
  }

  /** A long in [min, max]. */
  public static ConfigKey<Long> longInt(String path, long def, long min, long max, String doc) {
    return new ConfigKey<>(
        path,
        def,
        doc,
        "an integer in [" + min + ", " + max + "]",
        v -> {
          long l = Long.parseLong(scalar(v));
          require(l >= min && l <= max);
          return l;
        });
  }

  /** A finite double in [min, max]. */
  public static ConfigKey<Double> decimal(
      String path, double def, double min, double max, String doc) {
    return new ConfigKey<>(
        path,
        def,
        doc,
        "a number in [" + min + ", " + max + "]",
        v -> {
          double d = Double.parseDouble(scalar(v));
          require(Double.isFinite(d) && d >= min && d <= max);
          return d;
        });
  }

  /** A finite double in (0, max]. */
  public static ConfigKey<Double> positive(String path, double def, double max, String doc) {
    return new ConfigKey<>(
        path,
        def,
        doc,
        "a number in (0, " + max + "]",
        v -> {
          double d = Double.parseDouble(scalar(v));
          require(Double.isFinite(d) && d > 0 && d <= max);
          return d;
        });
  }

  /** true or false. */
  public static ConfigKey<Boolean> bool(String path, boolean def, String doc) {
    return new ConfigKey<>(
        path,
        def,
        doc,
        "true or false",
        v -> {
          String s = scalar(v);
          require("true".equals(s) || "false".equals(s));
          return Boolean.parseBoolean(s);
        });
  }

  /** A non-blank string. */
  public static ConfigKey<String> string(String path, String def, String doc) {
    return new ConfigKey<>(
        path,
        def,
        doc,
        "a non-blank string",
        v -> {
          String s = scalar(v);
          require(!s.isBlank());
          return s;
        });
  }

  /**
   * A name that is safe as a directory name and inside a SQL string literal: lower-case letters,
   * digits and dashes, starting with a letter or digit; or empty when {@code emptyAllowed}.
   */
  public static ConfigKey<String> name(String path, String def, boolean emptyAllowed, String doc) {
    return new ConfigKey<>(
        path,
        def,
        doc,
        (emptyAllowed ? "empty, or " : "") + "lower-case letters, digits and dashes",
        v -> {
          String s = scalar(v);
          require((emptyAllowed && s.isEmpty()) || s.matches("[a-z0-9][a-z0-9-]*"));
          return s;
        });
  }

  /** One of a fixed set of strings. */
  public static ConfigKey<String> oneOf(String path, String def, Set<String> values, String doc) {
    return new ConfigKey<>(
        path,
        def,
        doc,
        "one of " + Errors.render(List.copyOf(values)),
        v -> {
          String s = scalar(v);
          require(values.contains(s));
          return s;
        });
  }

  /** A date {@code yyyy-MM-dd}. */
  public static ConfigKey<LocalDate> date(String path, LocalDate def, String doc) {
    return new ConfigKey<>(path, def, doc, "a date yyyy-MM-dd", v -> LocalDate.parse(scalar(v)));
  }

  /** A non-empty list of non-blank strings: a HOCON list, or one comma-separated string. */
  public static ConfigKey<List<String>> stringList(String path, List<String> def, String doc) {
    return new ConfigKey<>(
        path,
        List.copyOf(def),
        doc,
        "a non-empty list of non-blank strings",
        v -> {
          List<String> out = new ArrayList<>();
          if (v.valueType() == ConfigValueType.LIST) {
            for (Object o : (List<?>) v.unwrapped()) {
              out.add(String.valueOf(o).trim());
            }
          } else {
            Arrays.stream(scalar(v).split(",")).map(String::trim).forEach(out::add);
          }
          require(!out.isEmpty() && out.stream().noneMatch(String::isBlank));
          return List.copyOf(out);
        });
  }

  private static String scalar(ConfigValue v) {
    require(v.valueType() != ConfigValueType.OBJECT && v.valueType() != ConfigValueType.LIST);
    require(v.valueType() != ConfigValueType.NULL);
    return String.valueOf(v.unwrapped()).trim();
  }

  private static void require(boolean condition) {
    if (!condition) {
      throw new IllegalArgumentException("out of range");
    }
  }
}
