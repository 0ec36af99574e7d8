package dev.kindling.pipelines.report;

import dev.kindling.features.schema.DailyMetricsSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Human labels, units and number formats of the metric names of the {@code evaluation} table (the
 * column names of {@link DailyMetricsSchema}); names it does not know are shown as they are.
 */
public final class MetricLabels {

  /** How a metric's values read and print. */
  public enum Unit {
    /** A ratio in 0..1, printed as a percentage. */
    SHARE("%"),
    /** A count. */
    COUNT("count"),
    /** Information in bits. */
    BITS("bits"),
    /** Milliseconds. */
    MILLIS("ms"),
    /** A sum of purchase amounts or of heating costs, in the log's currency units. */
    AMOUNT("currency units"),
    /** A mean count per user. */
    PER_USER("per user"),
    /** A dimensionless figure. */
    PLAIN("");

    private final String symbol;

    Unit(String symbol) {
      this.symbol = symbol;
    }

    /** The unit as an axis label shows it, empty for {@link #PLAIN}. */
    public String symbol() {
      return symbol;
    }
  }

  /** A metric's label and unit. */
  public record Info(String name, String label, Unit unit) {

    /** The label with its unit, for an axis: {@code CTR (%)}. */
    public String axisLabel() {
      return unit.symbol().isEmpty() ? label : label + " (" + unit.symbol() + ")";
    }

    /** The value as the report prints it; an en dash for null. */
    public String format(Double value) {
      if (value == null) {
        return NONE;
      }
      return unit == Unit.SHARE
          ? String.format(Locale.ROOT, "%.2f%%", value * PERCENT)
          : formatNumber(value);
    }

    /** A difference of two values: percentage points for shares, else a signed number. */
    public String formatDifference(Double difference) {
      if (difference == null) {
        return NONE;
      }
      return unit == Unit.SHARE
          ? String.format(Locale.ROOT, "%+.2f pp", difference * PERCENT)
          : (difference >= 0 ? "+" : "") + formatNumber(difference);
    }
  }

  /** What the report prints for a missing value. */
  public static final String NONE = "\u2013";

  /** The off-policy estimates' value of a policy: mean shaped reward per ranking request. */
  public static final String REWARD_PER_STEP = "reward_per_step";

  static final double PERCENT = 100.0;
  private static final double LARGE = 1000.0;

  private static final Map<String, Info> KNOWN = new LinkedHashMap<>();

  static {
    share(DailyMetricsSchema.NEW_CONTENT_CTR, "New-content CTR");
    plain(DailyMetricsSchema.INTEREST_ENTROPY, "Interest diversity, entropy", Unit.BITS);
    plain(DailyMetricsSchema.INTEREST_CATEGORIES, "Interest diversity, categories", Unit.PER_USER);
    share(DailyMetricsSchema.COLD_START_SUCCESS_RATE, "Cold-start success");
    share(DailyMetricsSchema.NEXT_DAY_RETENTION, "Next-day retention");
    plain(DailyMetricsSchema.HEATING_COST, "Heating cost", Unit.AMOUNT);
    plain(DailyMetricsSchema.GMV, "GMV", Unit.AMOUNT);
    plain(DailyMetricsSchema.MEAN_DWELL_MS, "Watch time per click", Unit.MILLIS);
    plain(DailyMetricsSchema.EXPOSURE_GINI, "Exposure Gini", Unit.PLAIN);
    share(DailyMetricsSchema.CTR, "CTR");
    plain(DailyMetricsSchema.IMPRESSIONS, "Impressions", Unit.COUNT);
    plain(DailyMetricsSchema.ACTIVE_USERS, "Active users", Unit.COUNT);
    plain(DailyMetricsSchema.CATALOG_ITEMS, "Catalog items", Unit.COUNT);
    share(DailyMetricsSchema.TOP_EXPOSURE_SHARE, "Top-item exposure share");
    share(DailyMetricsSchema.CATALOG_COVERAGE, "Catalog coverage");
    plain(DailyMetricsSchema.AVERAGE_POPULARITY, "Average popularity", Unit.PLAIN);
    share(DailyMetricsSchema.LONG_TAIL_SHARE, "Long-tail share");
    plain(DailyMetricsSchema.NOVELTY, "Novelty", Unit.BITS);
    plain(DailyMetricsSchema.INTRA_LIST_DIVERSITY, "Intra-list diversity", Unit.PLAIN);
    share(DailyMetricsSchema.HEATED_SHARE, "Heated share of impressions");
    plain(REWARD_PER_STEP, "Reward per step", Unit.PLAIN);
  }

  /**
   * The columns of the summary table, in the order of the project's target table: new-content CTR,
   * interest diversity (entropy, categories), cold-start success, next-day retention, heating cost,
   * GMV, watch time, then exposure Gini and CTR.
   */
  public static final List<String> SUMMARY_METRICS =
      List.of(
          DailyMetricsSchema.NEW_CONTENT_CTR,
          DailyMetricsSchema.INTEREST_ENTROPY,
          DailyMetricsSchema.INTEREST_CATEGORIES,
          DailyMetricsSchema.COLD_START_SUCCESS_RATE,
          DailyMetricsSchema.NEXT_DAY_RETENTION,
          DailyMetricsSchema.HEATING_COST,
          DailyMetricsSchema.GMV,
          DailyMetricsSchema.MEAN_DWELL_MS,
          DailyMetricsSchema.EXPOSURE_GINI,
          DailyMetricsSchema.CTR);

  /** Metrics whose difference from the baseline arm the summary gives as a relative change. */
  public static final List<String> RELATIVE_DIFFERENCE =
      List.of(DailyMetricsSchema.CTR, DailyMetricsSchema.NEW_CONTENT_CTR);

  private MetricLabels() {}

  private static void share(String name, String label) {
    KNOWN.put(name, new Info(name, label, Unit.SHARE));
  }

  private static void plain(String name, String label, Unit unit) {
    KNOWN.put(name, new Info(name, label, unit));
  }

  /** The metric's label and unit; an unknown name is its own label, without unit. */
  public static Info of(String name) {
    Info known = KNOWN.get(name);
    return known != null ? known : new Info(name, name, Unit.PLAIN);
  }

  /**
   * The names in report order: those of {@link DailyMetricsSchema} in its column order, then the
   * others alphabetically.
   */
  public static List<String> ordered(Collection<String> names) {
    List<String> columns = Arrays.asList(DailyMetricsSchema.SCHEMA.fieldNames());
    List<String> result = new ArrayList<>(names.stream().distinct().toList());
    result.sort(
        Comparator.comparingInt(
                (String n) -> columns.contains(n) ? columns.indexOf(n) : Integer.MAX_VALUE)
            .thenComparing(Comparator.naturalOrder()));
    return result;
  }

  /** A number with four significant digits, thousands grouped when large. */
  static String formatNumber(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return String.valueOf(value);
    }
    double magnitude = Math.abs(value);
    if (magnitude >= LARGE) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    return String.format(Locale.ROOT, "%.4g", value);
  }
}
