package dev.kindling.pipelines;

import java.util.Collection;
import java.util.stream.Collectors;

/** Builds every user-facing error message of the pipelines in one place: problem, why, fix. */
public final class Errors {

  private Errors() {}

  /** A message of three parts; each part is one sentence or more. */
  public static KindlingException of(String problem, String why, String fix) {
    return new KindlingException(problem + " " + why + " " + fix);
  }

  public static KindlingException unknownConfigKey(String key, String suggestion) {
    return of(
        "Unknown config key '" + key + "'.",
        "Kindling declares every key it reads, so a misspelt key would otherwise be ignored.",
        (suggestion == null ? "" : "Did you mean '" + suggestion + "'? ")
            + "Run 'bin/kindling config' to list every key with its default and doc.");
  }

  public static KindlingException invalidConfigValue(
      String key, Object value, String allowed, String doc) {
    return of(
        "Invalid value for config key '" + key + "': " + render(value) + ".",
        "Allowed: " + allowed + " (" + doc + ").",
        "Fix it in the config file or pass --conf " + key + "=<value>.");
  }

  public static KindlingException malformedOverride(String override) {
    return of(
        "Malformed --conf '" + override + "'.",
        "Overrides have the form key=value.",
        "For example --conf lakehouse.root=/data/lh.");
  }

  public static KindlingException missingInput(String what, String path, String fix) {
    return of(
        "Missing input: " + what + " at " + path + ".", "The stage cannot run without it.", fix);
  }

  /** Renders a value for a message, quoting strings so blanks are visible. */
  public static String render(Object value) {
    if (value instanceof String s) {
      return "'" + s + "'";
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(Errors::render).collect(Collectors.joining(", ", "[", "]"));
    }
    return String.valueOf(value);
  }
}
