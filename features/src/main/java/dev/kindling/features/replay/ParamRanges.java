package dev.kindling.features.replay;

import java.util.Locale;

/**
 * The one place that words a replay parameter out of range: the message names the parameter, the
 * bad value and the allowed range, and says how to fix it.
 */
final class ParamRanges {

  private ParamRanges() {}

  /**
   * Fails unless {@code value} is finite and lies in {@code [min, max]}.
   *
   * @param field the parameter's name as the caller spells it (e.g. {@code rewardWeights.fatigue})
   * @throws IllegalArgumentException naming the field, the bad value and the allowed range
   */
  static void requireFiniteInRange(String field, double value, double min, double max) {
    if (!Double.isFinite(value) || value < min || value > max) {
      throw outOfRange(field, format(value), "a finite number in " + range(min, max));
    }
  }

  /**
   * Fails unless {@code value} lies in {@code [min, max]}.
   *
   * @throws IllegalArgumentException naming the field, the bad value and the allowed range
   */
  static void requireIntInRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw outOfRange(field, Integer.toString(value), "an integer in [" + min + ", " + max + "]");
    }
  }

  /** The error for a parameter whose value is not allowed. */
  static IllegalArgumentException invalid(String field, String value, String allowed) {
    return outOfRange(field, value, allowed);
  }

  private static IllegalArgumentException outOfRange(String field, String value, String allowed) {
    return new IllegalArgumentException(
        String.format(
            Locale.ROOT,
            "Replay parameter %s = %s is not allowed: it must be %s. Fix: set %s to %s.",
            field,
            value,
            allowed,
            field,
            allowed));
  }

  private static String range(double min, double max) {
    return "[" + format(min) + ", " + (max == Double.MAX_VALUE ? "inf)" : format(max) + "]");
  }

  private static String format(double value) {
    return value == Math.rint(value) && Math.abs(value) < Long.MAX_VALUE
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
