package dev.kindling.pipelines.report;

import dev.kindling.features.schema.DailyMetricsSchema;
import dev.kindling.features.schema.EvaluationSchema;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fixture rows of the {@code evaluation} table in its schema: a closed loop of three arms, two
 * seeds and three days (every summary metric, a metric that is always null, the Lorenz curve of
 * every day), and two evaluate dates (observed logging metrics, off-policy estimates with
 * intervals, gate rows); a gate detail and a policy name carry {@link #HOSTILE} text.
 */
public final class ReportFixtures {

  /** Text that would run or break the page if it were not escaped. */
  public static final String HOSTILE = "<script>alert(\"x\")</script> & 'q' <b>";

  /** A policy name that would inject an element if it were not escaped, in SVG and HTML. */
  public static final String HOSTILE_POLICY = "<img src=x onerror=alert(1)>";

  public static final LocalDate DAY_1 = LocalDate.of(2024, 1, 1);
  public static final LocalDate DAY_2 = LocalDate.of(2024, 1, 2);
  public static final LocalDate DAY_3 = LocalDate.of(2024, 1, 3);
  public static final List<LocalDate> DAYS = List.of(DAY_1, DAY_2, DAY_3);
  public static final List<String> ARMS = List.of("popularity", "epsilon", "kindling");
  public static final List<Long> SEEDS = List.of(1L, 2L);

  /** A metric whose rows all have a null value: its chart is replaced by a line. */
  public static final String ALWAYS_NULL = DailyMetricsSchema.NOVELTY;

  /**
   * The inline SVG charts of the fixture's report: one per metric with values (the ten summary
   * metrics), the Lorenz chart, one off-policy chart.
   */
  public static final int CHARTS = 12;

  /** The summary metrics whose values are given by hand (per arm, seed, then day). */
  public static final Map<String, Map<String, double[][]>> HAND =
      Map.of(
          DailyMetricsSchema.NEW_CONTENT_CTR,
          Map.of(
              "popularity", new double[][] {{0.010, 0.008, 0.006}, {0.012, 0.010, 0.008}},
              "epsilon", new double[][] {{0.020, 0.020, 0.020}, {0.020, 0.020, 0.020}},
              "kindling", new double[][] {{0.030, 0.036, 0.039}, {0.040, 0.038, 0.036}}),
          DailyMetricsSchema.NEXT_DAY_RETENTION,
          Map.of(
              // NaN marks the last day's null (D + 1 not simulated).
              "popularity", new double[][] {{0.58, 0.60, Double.NaN}, {0.56, 0.58, Double.NaN}},
              "epsilon", new double[][] {{0.60, 0.60, Double.NaN}, {0.60, 0.60, Double.NaN}},
              "kindling", new double[][] {{0.66, 0.68, Double.NaN}, {0.64, 0.66, Double.NaN}}),
          DailyMetricsSchema.GMV,
          Map.of(
              "popularity", new double[][] {{100, 110, 120}, {90, 100, 110}},
              "epsilon", new double[][] {{100, 100, 100}, {100, 100, 100}},
              "kindling", new double[][] {{130, 130, 130}, {130, 130, 130}}));

  /** The off-policy metric of the evaluate rows. */
  public static final String REWARD = "reward_per_step";

  /** The Lorenz curve of each arm is x to this power: the popularity arm's most concentrated. */
  private static final double[] LORENZ_EXPONENTS = {4.0, 2.5, 1.6};

  private ReportFixtures() {}

  /** Every fixture row. */
  public static List<EvaluationRow> rows() {
    List<EvaluationRow> rows = new ArrayList<>();
    for (int a = 0; a < ARMS.size(); a++) {
      String arm = ARMS.get(a);
      for (int s = 0; s < SEEDS.size(); s++) {
        long seed = SEEDS.get(s);
        for (int d = 0; d < DAYS.size(); d++) {
          LocalDate day = DAYS.get(d);
          for (String metric : MetricLabels.SUMMARY_METRICS) {
            rows.add(EvaluationRow.loopMetric(day, arm, seed, metric, value(metric, a, s, d)));
          }
          rows.add(EvaluationRow.loopMetric(day, arm, seed, ALWAYS_NULL, null));
          for (int p = 0; p <= 100; p++) {
            double share = Math.pow(p / 100.0, LORENZ_EXPONENTS[a] + 0.1 * s);
            rows.add(curve(day, EvaluationSchema.RUN_SIMULATE_LOOP, seed, arm, p, share));
          }
        }
      }
    }
    for (LocalDate day : List.of(DAY_2, DAY_3)) {
      rows.add(
          evaluate(
              day,
              "logging",
              EvaluationSchema.KIND_METRIC,
              DailyMetricsSchema.CTR,
              "observed",
              0.021,
              null,
              null,
              null));
      rows.add(
          evaluate(
              day,
              "logging",
              EvaluationSchema.KIND_METRIC,
              DailyMetricsSchema.EXPOSURE_GINI,
              "observed",
              0.81,
              null,
              null,
              null));
      rows.add(
          evaluate(
              day,
              HOSTILE_POLICY,
              EvaluationSchema.KIND_METRIC,
              DailyMetricsSchema.CTR,
              "observed",
              0.02,
              null,
              null,
              null));
      double shift = day.equals(DAY_3) ? 0 : 1;
      for (String estimator : List.of("ips", "snips", "dr")) {
        rows.add(
            evaluate(
                day,
                "logging",
                EvaluationSchema.KIND_OFF_POLICY,
                REWARD,
                estimator,
                -0.40 + shift,
                -0.45 + shift,
                -0.35 + shift,
                null));
        rows.add(
            evaluate(
                day,
                "candidate",
                EvaluationSchema.KIND_OFF_POLICY,
                REWARD,
                estimator,
                -0.30 + shift,
                -0.42 + shift,
                -0.20 + shift,
                null));
        rows.add(
            evaluate(
                day,
                "published",
                EvaluationSchema.KIND_OFF_POLICY,
                REWARD,
                estimator,
                -0.35 + shift,
                null,
                null,
                "no interval: " + HOSTILE));
      }
      boolean pass = day.equals(DAY_2);
      rows.add(
          evaluate(
              day,
              "candidate",
              EvaluationSchema.KIND_GATE,
              EvaluationSchema.GATE,
              null,
              pass ? 1.0 : 0.0,
              null,
              null,
              pass ? "every check passed" : "gini_not_worse failed"));
      rows.add(
          evaluate(
              day,
              "candidate",
              EvaluationSchema.KIND_GATE,
              "beats_logging",
              null,
              1.0,
              null,
              null,
              "dr lower bound above logging"));
      rows.add(
          evaluate(
              day,
              "candidate",
              EvaluationSchema.KIND_GATE,
              "gini_not_worse",
              null,
              pass ? 1.0 : 0.0,
              null,
              null,
              HOSTILE));
    }
    return rows;
  }

  /** The value of one loop metric row: by hand for {@link #HAND}, else a simple formula. */
  private static Double value(String metric, int arm, int seed, int day) {
    Map<String, double[][]> hand = HAND.get(metric);
    if (hand != null) {
      double v = hand.get(ARMS.get(arm))[seed][day];
      return Double.isNaN(v) ? null : v;
    }
    return 0.2 + 0.1 * arm + 0.01 * seed + 0.001 * day;
  }

  private static EvaluationRow curve(
      LocalDate day, String run, Long seed, String policy, int point, double value) {
    return new EvaluationRow(
        day,
        run,
        seed,
        policy,
        EvaluationSchema.KIND_CURVE,
        ReportRenderer.LORENZ,
        null,
        value,
        null,
        null,
        null,
        point,
        null);
  }

  private static EvaluationRow evaluate(
      LocalDate day,
      String policy,
      String kind,
      String metric,
      String estimator,
      Double value,
      Double lower,
      Double upper,
      String detail) {
    return new EvaluationRow(
        day,
        EvaluationSchema.RUN_EVALUATE,
        null,
        policy,
        kind,
        metric,
        estimator,
        value,
        lower,
        upper,
        kind.equals(EvaluationSchema.KIND_GATE) ? null : 5000L,
        null,
        detail);
  }
}
