package dev.kindling.features;

/**
 * The range check every typed parameter record of the features module shares, so that each one
 * reports a bad value the same way: what it is, its value, the allowed range and how to fix it.
 */
public final class ParamChecks {

  private ParamChecks() {}

  /**
   * Throws when {@code value} is NaN or outside the range.
   *
   * @param kind what the parameter belongs to, as the message's subject, e.g. {@code "Feature
   *     parameter"}
   * @param field the parameter's name
   * @throws IllegalArgumentException naming the parameter, its value and the allowed range
   */
  public static void requireInRange(
      String kind,
      String field,
      double value,
      double min,
      boolean minInclusive,
      double max,
      boolean maxInclusive) {
    boolean aboveMin = minInclusive ? value >= min : value > min;
    boolean belowMax = maxInclusive ? value <= max : value < max;
    if (Double.isNaN(value) || !aboveMin || !belowMax) {
      String range =
          (minInclusive ? "[" : "(")
              + formatBound(min)
              + ", "
              + formatBound(max)
              + (maxInclusive ? "]" : ")");
      throw new IllegalArgumentException(
          kind
              + " "
              + field
              + " = "
              + formatBound(value)
              + " is out of range: it must lie in "
              + range
              + "; set "
              + field
              + " to a value in "
              + range
              + ".");
    }
  }

  /** A bound as people write it: whole numbers without a fraction, the largest values as inf. */
  private static String formatBound(double value) {
    if (value == Double.MAX_VALUE || value == Long.MAX_VALUE || value == Integer.MAX_VALUE) {
      return "inf";
    }
    return value == Math.rint(value) && Math.abs(value) < Long.MAX_VALUE
        ? Long.toString((long) value)
        : Double.toString(value);
  }
}
