package dev.kindling.pipelines.report;

import dev.kindling.features.schema.EvaluationSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Renders rows of the {@code evaluation} table into one self-contained HTML document: inline CSS,
 * charts as inline SVG, no script and no reference to anything outside the file. Sections: the
 * closed loop's summary table ({@link LoopSummary}), each metric over days, the Lorenz curves of
 * item exposure, the off-policy estimates of the latest evaluate date, and the gate decisions; a
 * section without rows says so in one line. Every text taken from the rows is HTML-escaped. Cost:
 * all in memory, a few milliseconds per chart.
 */
public final class ReportRenderer {

  /** The curve metric the Lorenz section draws. */
  public static final String LORENZ = "exposure_lorenz";

  /** The report's sections, as HTML ids in document order. */
  public static final List<String> SECTIONS =
      List.of("summary", "metrics", "lorenz", "off-policy", "gates");

  private static final List<String> EVALUATE_POLICIES =
      List.of("logging", "candidate", "published");
  private static final List<String> ESTIMATORS =
      List.of("observed", "ips", "snips", "dm", "dr", "critic");
  private static final DateTimeFormatter GENERATED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /**
   * Where the rows came from, for the report's header.
   *
   * @param source the table's location
   * @param upTo the last date read, or null when the whole table was read
   * @param generatedAt when the report was made
   */
  public record Context(String source, LocalDate upTo, Instant generatedAt) {

    public Context {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(generatedAt, "generatedAt");
    }
  }

  /**
   * A rendered report.
   *
   * @param html the whole document
   * @param charts the inline SVG charts it holds
   */
  public record Rendered(String html, int charts) {}

  private final List<EvaluationRow> rows;
  private final StringBuilder out = new StringBuilder();
  private int charts;

  private ReportRenderer(List<EvaluationRow> rows) {
    this.rows = List.copyOf(rows);
  }

  /** The report of {@code rows}. */
  public static Rendered render(List<EvaluationRow> rows, Context context) {
    ReportRenderer renderer = new ReportRenderer(rows);
    renderer.document(context);
    return new Rendered(renderer.out.toString(), renderer.charts);
  }

  /** {@code text} with {@code & < > " '} replaced by their character references. */
  public static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }

  private void document(Context context) {
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>Kindling evaluation report</title>\n<style>\n")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<h1>Kindling evaluation report</h1>\n");
    header(context);
    summary();
    metrics();
    lorenz();
    offPolicy();
    gates();
    out.append("</body>\n</html>\n");
  }

  private void header(Context context) {
    Optional<LocalDate> first = rows.stream().map(EvaluationRow::dt).min(Comparator.naturalOrder());
    Optional<LocalDate> last = rows.stream().map(EvaluationRow::dt).max(Comparator.naturalOrder());
    out.append("<p class=\"meta\">From <code>")
        .append(escape(context.source()))
        .append("</code>: ")
        .append(rows.size())
        .append(" rows");
    if (first.isPresent()) {
      out.append(", days ").append(first.get()).append(" to ").append(last.get());
    }
    if (context.upTo() != null) {
      out.append(" (read up to ").append(context.upTo()).append(")");
    }
    out.append(". Generated ").append(GENERATED.format(context.generatedAt())).append(".</p>\n");
    out.append("<nav>")
        .append("<a href=\"#summary\">Closed loop summary</a> ")
        .append("<a href=\"#metrics\">Metrics over days</a> ")
        .append("<a href=\"#lorenz\">Exposure Lorenz curves</a> ")
        .append("<a href=\"#off-policy\">Off-policy estimates</a> ")
        .append("<a href=\"#gates\">Gate decisions</a>")
        .append("</nav>\n");
  }

  // ---- summary ----

  private void summary() {
    section("summary", "Closed loop summary");
    List<LoopSummary.ArmSummary> arms = LoopSummary.of(rows);
    if (arms.isEmpty()) {
      empty(
          "No closed-loop metric rows (run = 'simulate-loop', kind = 'metric') in the evaluation"
              + " table; simulate-loop writes them.");
      return;
    }
    out.append(
        "<p>Mean over the loop's days of each metric, per arm and seed; <em>all seeds</em> is the"
            + " mean of the seeds' means. The &Delta; row is the arm's difference from the"
            + " popularity arm: absolute (percentage points for shares), except the CTRs, given as"
            + " relative change. A day whose value is null (empty population) is left out of the"
            + " mean; &ndash; means no value.</p>\n");
    out.append("<table class=\"summary\">\n<thead><tr><th>arm</th><th>seed</th><th>days</th>");
    for (String metric : MetricLabels.SUMMARY_METRICS) {
      MetricLabels.Info info = MetricLabels.of(metric);
      out.append("<th title=\"")
          .append(escape(metric))
          .append("\">")
          .append(escape(info.label()))
          .append(
              info.unit().symbol().isEmpty()
                  ? ""
                  : "<br><small>" + escape(info.unit().symbol()) + "</small>")
          .append("</th>");
    }
    out.append("</tr></thead>\n<tbody>\n");
    for (LoopSummary.ArmSummary arm : arms) {
      for (LoopSummary.SeedMeans seed : arm.seeds()) {
        out.append("<tr><td>")
            .append(escape(arm.arm()))
            .append("</td><td class=\"num\">")
            .append(seed.seed() == null ? MetricLabels.NONE : seed.seed().toString())
            .append("</td><td class=\"num\">")
            .append(seed.days())
            .append("</td>");
        for (String metric : MetricLabels.SUMMARY_METRICS) {
          cell(MetricLabels.of(metric).format(seed.means().get(metric)));
        }
        out.append("</tr>\n");
      }
      out.append("<tr class=\"mean\"><td>")
          .append(escape(arm.arm()))
          .append("</td><td>all seeds</td><td class=\"num\">")
          .append(arm.seeds().size())
          .append(" seeds</td>");
      for (String metric : MetricLabels.SUMMARY_METRICS) {
        cell(MetricLabels.of(metric).format(arm.acrossSeeds().get(metric)));
      }
      out.append("</tr>\n");
      if (!arm.vsBaseline().isEmpty()) {
        out.append("<tr class=\"delta\"><td>")
            .append(escape(arm.arm()))
            .append("</td><td colspan=\"2\">&Delta; vs ")
            .append(LoopSummary.BASELINE)
            .append("</td>");
        for (String metric : MetricLabels.SUMMARY_METRICS) {
          Double difference = arm.vsBaseline().get(metric);
          cell(
              MetricLabels.RELATIVE_DIFFERENCE.contains(metric)
                  ? relative(difference)
                  : MetricLabels.of(metric).formatDifference(difference));
        }
        out.append("</tr>\n");
      }
    }
    out.append("</tbody>\n</table>\n");
  }

  private static String relative(Double change) {
    return change == null
        ? MetricLabels.NONE
        : String.format(java.util.Locale.ROOT, "%+.1f%%", change * MetricLabels.PERCENT);
  }

  // ---- metrics over days ----

  private void metrics() {
    section("metrics", "Metrics over days");
    List<EvaluationRow> metricRows =
        rows.stream().filter(r -> r.isKind(EvaluationSchema.KIND_METRIC)).toList();
    if (metricRows.isEmpty()) {
      empty(
          "No metric rows (kind = 'metric') in the evaluation table; the evaluate stage and"
              + " simulate-loop write them.");
      return;
    }
    out.append(
        "<p>One chart per metric; one line per closed-loop arm and seed (colour: arm, dash:"
            + " seed) and per policy observed by the evaluate stage.</p>\n");
    List<Long> seeds =
        metricRows.stream()
            .map(EvaluationRow::seed)
            .filter(Objects::nonNull)
            .collect(Collectors.toCollection(TreeSet::new))
            .stream()
            .toList();
    Map<String, List<EvaluationRow>> byMetric =
        metricRows.stream().collect(Collectors.groupingBy(EvaluationRow::metric));
    for (String metric : MetricLabels.ordered(byMetric.keySet())) {
      MetricLabels.Info info = MetricLabels.of(metric);
      List<EvaluationRow> ofMetric = byMetric.get(metric);
      if (ofMetric.stream().allMatch(r -> r.value() == null)) {
        empty(escape(info.label()) + ": every row's value is null (empty population).");
        continue;
      }
      Map<SeriesKey, Map<LocalDate, Double>> series = new TreeMap<>();
      for (EvaluationRow row : ofMetric) {
        series.computeIfAbsent(SeriesKey.of(row), k -> new TreeMap<>()).put(row.dt(), row.value());
      }
      List<Charts.Line> lines = new ArrayList<>();
      series.forEach(
          (key, points) ->
              lines.add(
                  new Charts.Line(
                      key.label(),
                      key.policy(),
                      key.seed() == null ? 0 : seeds.indexOf(key.seed()),
                      points)));
      chart(Charts.overDays(nextId(), info.label() + " over days", info, lines));
    }
  }

  /** A line of the metric charts: the writer, the policy and the seed. */
  private record SeriesKey(boolean loop, int policyRank, String policy, Long seed)
      implements Comparable<SeriesKey> {

    static SeriesKey of(EvaluationRow row) {
      boolean loop = row.isRun(EvaluationSchema.RUN_SIMULATE_LOOP);
      int rank =
          loop ? rank(LoopSummary.ARMS, row.policy()) : rank(EVALUATE_POLICIES, row.policy());
      return new SeriesKey(loop, rank, row.policy(), row.seed());
    }

    String label() {
      if (loop) {
        return policy + (seed == null ? "" : ", seed " + seed);
      }
      return policy + " (evaluate" + (seed == null ? "" : ", seed " + seed) + ")";
    }

    @Override
    public int compareTo(SeriesKey other) {
      return Comparator.comparing(SeriesKey::loop)
          .reversed()
          .thenComparingInt(SeriesKey::policyRank)
          .thenComparing(SeriesKey::policy)
          .thenComparing(SeriesKey::seed, Comparator.nullsFirst(Comparator.naturalOrder()))
          .compare(this, other);
    }
  }

  private static int rank(List<String> known, String name) {
    int index = known.indexOf(name);
    return index < 0 ? known.size() : index;
  }

  // ---- Lorenz curves ----

  private void lorenz() {
    section("lorenz", "Lorenz curves of item exposure");
    List<EvaluationRow> curveRows =
        rows.stream()
            .filter(r -> r.isKind(EvaluationSchema.KIND_CURVE))
            .filter(r -> r.metric().equals(LORENZ))
            .filter(r -> r.point() != null && r.value() != null)
            .toList();
    if (curveRows.isEmpty()) {
      empty(
          "No Lorenz curve rows (kind = 'curve', metric = 'exposure_lorenz') in the evaluation"
              + " table; simulate-loop writes them.");
      return;
    }
    List<Charts.Curve> curves = new ArrayList<>();
    Map<String, List<EvaluationRow>> loopByArm =
        curveRows.stream()
            .filter(r -> r.isRun(EvaluationSchema.RUN_SIMULATE_LOOP))
            .collect(Collectors.groupingBy(EvaluationRow::policy));
    for (String arm : LoopSummary.armOrder(loopByArm.keySet())) {
      List<EvaluationRow> ofArm = loopByArm.get(arm);
      LocalDate last = ofArm.stream().map(EvaluationRow::dt).max(Comparator.naturalOrder()).get();
      List<EvaluationRow> lastDay = ofArm.stream().filter(r -> r.dt().equals(last)).toList();
      long seeds = lastDay.stream().map(EvaluationRow::seed).distinct().count();
      curves.add(
          curve(
              arm + ", last loop day " + last + (seeds > 1 ? ", mean of " + seeds + " seeds" : ""),
              arm,
              lastDay));
    }
    List<EvaluationRow> evaluate =
        curveRows.stream().filter(r -> r.isRun(EvaluationSchema.RUN_EVALUATE)).toList();
    Optional<LocalDate> latest =
        evaluate.stream().map(EvaluationRow::dt).max(Comparator.naturalOrder());
    if (latest.isPresent()) {
      Map<String, List<EvaluationRow>> byPolicy =
          evaluate.stream()
              .filter(r -> r.dt().equals(latest.get()))
              .collect(Collectors.groupingBy(EvaluationRow::policy));
      byPolicy.keySet().stream()
          .sorted(
              Comparator.comparingInt((String p) -> rank(EVALUATE_POLICIES, p))
                  .thenComparing(p -> p))
          .forEach(
              policy ->
                  curves.add(
                      curve(policy + ", evaluate " + latest.get(), policy, byPolicy.get(policy))));
    }
    out.append(
        "<p>Share of impressions held by the least-shown items: the further below the diagonal,"
            + " the more concentrated the exposure (the Gini is twice the area between).</p>\n");
    chart(Charts.lorenz(nextId(), "Lorenz curve of item exposure", curves));
  }

  /** One curve from its rows, averaging the seeds at each point; x and y in percent. */
  private static Charts.Curve curve(String key, String policy, List<EvaluationRow> points) {
    Map<Integer, List<Double>> byPoint = new TreeMap<>();
    for (EvaluationRow row : points) {
      byPoint.computeIfAbsent(row.point(), p -> new ArrayList<>()).add(row.value());
    }
    double[] x = new double[byPoint.size()];
    double[] y = new double[byPoint.size()];
    int i = 0;
    for (Map.Entry<Integer, List<Double>> point : byPoint.entrySet()) {
      x[i] = point.getKey();
      y[i] = LoopSummary.mean(point.getValue()) * MetricLabels.PERCENT;
      i++;
    }
    return new Charts.Curve(key, policy, x, y);
  }

  // ---- off-policy estimates ----

  private void offPolicy() {
    section("off-policy", "Off-policy estimates");
    List<EvaluationRow> estimates =
        rows.stream()
            .filter(r -> r.isRun(EvaluationSchema.RUN_EVALUATE))
            .filter(r -> r.isKind(EvaluationSchema.KIND_OFF_POLICY))
            .toList();
    if (estimates.isEmpty()) {
      empty(
          "No off-policy estimates (run = 'evaluate', kind = 'off_policy') in the evaluation table;"
              + " the evaluate stage writes them.");
      return;
    }
    LocalDate latest =
        estimates.stream().map(EvaluationRow::dt).max(Comparator.naturalOrder()).get();
    List<EvaluationRow> ofLatest =
        estimates.stream()
            .filter(r -> r.dt().equals(latest))
            .sorted(
                Comparator.comparing(EvaluationRow::metric)
                    .thenComparingInt(r -> rank(ESTIMATORS, estimator(r)))
                    .thenComparing(ReportRenderer::estimator)
                    .thenComparingInt(r -> rank(EVALUATE_POLICIES, r.policy()))
                    .thenComparing(EvaluationRow::policy))
            .toList();
    out.append("<p>Evaluate date ")
        .append(latest)
        .append(
            ": each policy's estimated value per estimator, the dot the estimate and the"
                + " whiskers its interval.</p>\n");
    Map<String, List<EvaluationRow>> byMetric = new LinkedHashMap<>();
    for (EvaluationRow row : ofLatest) {
      byMetric.computeIfAbsent(row.metric(), m -> new ArrayList<>()).add(row);
    }
    for (Map.Entry<String, List<EvaluationRow>> metric : byMetric.entrySet()) {
      MetricLabels.Info info = MetricLabels.of(metric.getKey());
      List<EvaluationRow> present =
          metric.getValue().stream().filter(r -> r.value() != null).toList();
      if (present.isEmpty()) {
        empty(escape(info.label()) + ": every estimate is null (empty population).");
        continue;
      }
      List<String> estimators = present.stream().map(ReportRenderer::estimator).distinct().toList();
      List<String> policies = present.stream().map(EvaluationRow::policy).distinct().toList();
      List<Charts.Estimate> dots =
          present.stream()
              .map(
                  r ->
                      new Charts.Estimate(
                          estimator(r),
                          r.policy(),
                          r.value(),
                          r.lower() == null ? r.value() : r.lower(),
                          r.upper() == null ? r.value() : r.upper()))
              .toList();
      chart(
          Charts.intervals(
              nextId(),
              "Off-policy estimates of " + info.label() + ", " + latest,
              info,
              estimators,
              policies,
              dots));
    }
    out.append(
        "<table>\n<thead><tr><th>metric</th><th>estimator</th><th>policy</th><th>estimate</th>"
            + "<th>lower</th><th>upper</th><th>n</th><th>detail</th></tr></thead>\n<tbody>\n");
    for (EvaluationRow row : ofLatest) {
      MetricLabels.Info info = MetricLabels.of(row.metric());
      out.append("<tr><td>")
          .append(escape(row.metric()))
          .append("</td><td>")
          .append(escape(estimator(row)))
          .append("</td><td>")
          .append(escape(row.policy()))
          .append("</td>");
      cell(info.format(row.value()));
      cell(info.format(row.lower()));
      cell(info.format(row.upper()));
      cell(
          row.n() == null
              ? MetricLabels.NONE
              : String.format(java.util.Locale.ROOT, "%,d", row.n()));
      out.append("<td>").append(escape(row.detail())).append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n");
  }

  private static String estimator(EvaluationRow row) {
    return row.estimator() == null ? MetricLabels.NONE : row.estimator();
  }

  // ---- gates ----

  private void gates() {
    section("gates", "Gate decisions");
    List<EvaluationRow> gateRows =
        rows.stream()
            .filter(r -> r.isRun(EvaluationSchema.RUN_EVALUATE))
            .filter(r -> r.isKind(EvaluationSchema.KIND_GATE))
            .toList();
    if (gateRows.isEmpty()) {
      empty(
          "No gate rows (run = 'evaluate', kind = 'gate') in the evaluation table; the evaluate"
              + " stage writes them.");
      return;
    }
    Map<LocalDate, List<EvaluationRow>> byDate =
        new TreeMap<>(Comparator.<LocalDate>reverseOrder());
    for (EvaluationRow row : gateRows) {
      byDate.computeIfAbsent(row.dt(), d -> new ArrayList<>()).add(row);
    }
    out.append(
        "<p>Newest first. The <code>gate</code> row is the decision publish reads; the other rows"
            + " are the checks behind it.</p>\n");
    out.append(
        "<table class=\"gates\">\n<thead><tr><th>evaluate date</th><th>check</th>"
            + "<th>policy</th><th>result</th><th>detail</th></tr></thead>\n<tbody>\n");
    byDate.forEach(
        (date, ofDate) -> {
          List<EvaluationRow> ordered =
              ofDate.stream()
                  .sorted(
                      Comparator.comparing(
                              (EvaluationRow r) -> !r.metric().equals(EvaluationSchema.GATE))
                          .thenComparing(EvaluationRow::metric)
                          .thenComparing(EvaluationRow::policy))
                  .toList();
          for (EvaluationRow row : ordered) {
            boolean decision = row.metric().equals(EvaluationSchema.GATE);
            out.append(decision ? "<tr class=\"decision\">" : "<tr>")
                .append("<td>")
                .append(date)
                .append("</td><td>")
                .append(escape(row.metric()))
                .append("</td><td>")
                .append(escape(row.policy()))
                .append("</td><td>")
                .append(verdict(row.value()))
                .append("</td><td>")
                .append(escape(row.detail()))
                .append("</td></tr>\n");
          }
        });
    out.append("</tbody>\n</table>\n");
  }

  private static String verdict(Double value) {
    if (value == null) {
      return "<span class=\"na\">n/a</span>";
    }
    return value >= 1 ? "<span class=\"pass\">pass</span>" : "<span class=\"fail\">fail</span>";
  }

  // ---- helpers ----

  private void section(String id, String title) {
    out.append("<h2 id=\"").append(id).append("\">").append(title).append("</h2>\n");
  }

  private void empty(String escapedLine) {
    out.append("<p class=\"empty\">").append(escapedLine).append("</p>\n");
  }

  private void cell(String text) {
    out.append("<td class=\"num\">").append(escape(text)).append("</td>");
  }

  private String nextId() {
    return "chart" + (charts + 1);
  }

  private void chart(String svg) {
    charts++;
    out.append("<div class=\"chart\">\n").append(svg).append("\n</div>\n");
  }

  private static final String CSS =
      """
      body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 24px auto;
        max-width: 1200px; padding: 0 16px; color: #222; }
      h1 { font-size: 24px; } h2 { font-size: 20px; margin-top: 36px;
        border-bottom: 1px solid #ccc; padding-bottom: 4px; }
      p.meta { color: #555; } p.empty { color: #777; font-style: italic; }
      nav a { margin-right: 16px; }
      table { border-collapse: collapse; margin: 12px 0; font-size: 13px; }
      th, td { border: 1px solid #ccc; padding: 4px 8px; vertical-align: top; }
      th { background: #f2f2f2; text-align: center; }
      table.summary td:nth-child(-n+3) { white-space: nowrap; }
      td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
      tr.mean td { font-weight: bold; background: #fafafa; }
      tr.delta td { font-style: italic; background: #eef5fb; }
      tr.decision td { font-weight: bold; background: #fafafa; }
      .pass { color: #fff; background: #2c8a2c; padding: 1px 6px; border-radius: 3px; }
      .fail { color: #fff; background: #c62828; padding: 1px 6px; border-radius: 3px; }
      .na { color: #555; background: #ddd; padding: 1px 6px; border-radius: 3px; }
      div.chart { margin: 12px 0 20px; }
      div.chart svg { max-width: 100%; height: auto; border: 1px solid #e4e4e4; }
      """;
}
