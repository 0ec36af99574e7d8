package dev.kindling.pipelines.report;

import dev.kindling.features.schema.EvaluationSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The summary table of the closed loop: for each arm, the mean over the loop's days of every {@link
 * MetricLabels#SUMMARY_METRICS summary metric}, per seed and across seeds (the mean of the seeds'
 * means), and the arm's difference from the {@link #BASELINE} arm (absolute; a relative change for
 * {@link MetricLabels#RELATIVE_DIFFERENCE}). The difference compares like with like: both arms are
 * averaged over only the (seed, day) pairs that both of them cover, so an arm that ran fewer days,
 * or a seed the baseline lacks, is not compared with days the simulated world had not reached. A
 * day whose value is null (empty population) is left out of its mean; a mean of nothing is null.
 */
public final class LoopSummary {

  /** The arm every other arm is compared with. */
  public static final String BASELINE = "popularity";

  /** The closed loop's arms in report order; other arms follow alphabetically. */
  public static final List<String> ARMS = List.of(BASELINE, "epsilon", "kindling");

  /**
   * One seed of one arm.
   *
   * @param seed the seed, null when the rows carry none
   * @param days distinct loop days with at least one metric row
   * @param means mean over days per metric name (null values left out)
   */
  public record SeedMeans(Long seed, int days, Map<String, Double> means) {}

  /**
   * One arm.
   *
   * @param arm the arm's policy name
   * @param seeds per seed, ascending
   * @param acrossSeeds per metric, the mean of the seeds' means
   * @param vsBaseline per metric, the difference from the baseline over the (seed, day) pairs both
   *     arms cover (relative for the CTRs); empty for the baseline itself and when the loop has no
   *     baseline; null for a metric when the arms share no day
   */
  public record ArmSummary(
      String arm,
      List<SeedMeans> seeds,
      Map<String, Double> acrossSeeds,
      Map<String, Double> vsBaseline) {}

  private LoopSummary() {}

  /** The summary of the {@code simulate-loop} metric rows among {@code rows}, arms in order. */
  public static List<ArmSummary> of(List<EvaluationRow> rows) {
    List<EvaluationRow> loop =
        rows.stream()
            .filter(r -> r.isRun(EvaluationSchema.RUN_SIMULATE_LOOP))
            .filter(r -> r.isKind(EvaluationSchema.KIND_METRIC))
            .toList();
    Map<String, List<EvaluationRow>> byArm =
        loop.stream().collect(Collectors.groupingBy(EvaluationRow::policy));
    List<EvaluationRow> baselineRows = byArm.get(BASELINE);
    List<ArmSummary> arms = new ArrayList<>();
    for (String arm : armOrder(byArm.keySet())) {
      ArmSummary summary = summarise(arm, byArm.get(arm));
      if (baselineRows != null && !arm.equals(BASELINE)) {
        Set<List<Object>> shared = seedDays(byArm.get(arm));
        shared.retainAll(seedDays(baselineRows));
        summary =
            new ArmSummary(
                arm,
                summary.seeds(),
                summary.acrossSeeds(),
                differences(
                    summarise(arm, within(byArm.get(arm), shared)).acrossSeeds(),
                    summarise(BASELINE, within(baselineRows, shared)).acrossSeeds()));
      }
      arms.add(summary);
    }
    return arms;
  }

  private static Set<List<Object>> seedDays(List<EvaluationRow> rows) {
    Set<List<Object>> keys = new HashSet<>();
    for (EvaluationRow row : rows) {
      keys.add(Arrays.asList(row.seed(), row.dt()));
    }
    return keys;
  }

  private static List<EvaluationRow> within(List<EvaluationRow> rows, Set<List<Object>> keys) {
    return rows.stream().filter(r -> keys.contains(Arrays.asList(r.seed(), r.dt()))).toList();
  }

  /** The arms in report order: {@link #ARMS} first, then the rest alphabetically. */
  static List<String> armOrder(java.util.Collection<String> arms) {
    List<String> ordered = new ArrayList<>(arms);
    ordered.sort(
        Comparator.comparingInt((String a) -> ARMS.contains(a) ? ARMS.indexOf(a) : ARMS.size())
            .thenComparing(Comparator.naturalOrder()));
    return ordered;
  }

  private static ArmSummary summarise(String arm, List<EvaluationRow> rows) {
    Map<Long, List<EvaluationRow>> bySeed =
        new TreeMap<>(Comparator.nullsFirst(Comparator.<Long>naturalOrder()));
    for (EvaluationRow row : rows) {
      bySeed.computeIfAbsent(row.seed(), s -> new ArrayList<>()).add(row);
    }
    List<SeedMeans> seeds = new ArrayList<>();
    for (Map.Entry<Long, List<EvaluationRow>> seed : bySeed.entrySet()) {
      Map<String, Double> means = new LinkedHashMap<>();
      for (String metric : MetricLabels.SUMMARY_METRICS) {
        means.put(
            metric,
            mean(
                seed.getValue().stream()
                    .filter(r -> r.metric().equals(metric))
                    .map(EvaluationRow::value)
                    .toList()));
      }
      int days = (int) seed.getValue().stream().map(EvaluationRow::dt).distinct().count();
      seeds.add(new SeedMeans(seed.getKey(), days, means));
    }
    Map<String, Double> across = new LinkedHashMap<>();
    for (String metric : MetricLabels.SUMMARY_METRICS) {
      across.put(metric, mean(seeds.stream().map(s -> s.means().get(metric)).toList()));
    }
    return new ArmSummary(arm, seeds, across, Map.of());
  }

  private static Map<String, Double> differences(
      Map<String, Double> arm, Map<String, Double> baseline) {
    Map<String, Double> result = new LinkedHashMap<>();
    for (String metric : MetricLabels.SUMMARY_METRICS) {
      Double value = arm.get(metric);
      Double base = baseline.get(metric);
      Double difference = null;
      if (value != null && base != null) {
        if (!MetricLabels.RELATIVE_DIFFERENCE.contains(metric)) {
          difference = value - base;
        } else if (base != 0) {
          difference = value / base - 1;
        }
      }
      result.put(metric, difference);
    }
    return result;
  }

  /** The mean of the non-null values, or null when there is none. */
  static Double mean(List<Double> values) {
    List<Double> present = values.stream().filter(Objects::nonNull).toList();
    if (present.isEmpty()) {
      return null;
    }
    double sum = 0;
    for (double v : present) {
      sum += v;
    }
    return sum / present.size();
  }
}
