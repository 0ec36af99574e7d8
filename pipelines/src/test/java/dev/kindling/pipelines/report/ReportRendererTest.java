package dev.kindling.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.features.schema.DailyMetricsSchema;
import dev.kindling.features.schema.EvaluationSchema;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ReportRenderer} and {@link LoopSummary} on the fixture rows of {@link ReportFixtures}. */
class ReportRendererTest {

  private static final ReportRenderer.Context CONTEXT =
      new ReportRenderer.Context("file:/lakehouse/evaluation", null, Instant.EPOCH);
  private static final double EPS = 1e-12;

  private static ReportRenderer.Rendered full;

  @BeforeAll
  static void render() {
    full = ReportRenderer.render(ReportFixtures.rows(), CONTEXT);
  }

  @Test
  void everySectionIsThereWithItsCharts() {
    String html = full.html();
    for (String section : ReportRenderer.SECTIONS) {
      assertThat(html).as("section %s is there", section).contains("id=\"" + section + "\"");
    }
    assertThat(full.charts()).as("charts the renderer counted").isEqualTo(ReportFixtures.CHARTS);
    assertThat(count(html, "<svg ")).as("inline <svg> elements").isEqualTo(ReportFixtures.CHARTS);
    assertThat(section(html, "metrics"))
        .as("a metric that is always null says so instead of a chart")
        .contains("Novelty: every row's value is null");
    assertThat(section(html, "lorenz"))
        .as("the Lorenz chart names each arm's last loop day and the diagonal")
        .contains("kindling, last loop day 2024-01-03, mean of 2 seeds")
        .contains("equal exposure (Gini 0)");
    assertThat(section(html, "off-policy"))
        .as("off-policy estimates are those of the latest evaluate date only")
        .contains("Evaluate date 2024-01-03")
        .doesNotContain("2024-01-02")
        .contains("-0.4000")
        .contains("-0.4500");
    assertThat(section(html, "gates"))
        .as("the gate decisions of both evaluate dates, newest first")
        .containsSubsequence("2024-01-03", "fail", "2024-01-02", "pass");
  }

  @Test
  void theDocumentIsSelfContained() {
    String html = full.html();
    assertThat(html)
        .as("no script, stylesheet link, image or frame")
        .doesNotContainIgnoringCase("<script")
        .doesNotContainIgnoringCase("<link")
        .doesNotContainIgnoringCase("<img")
        .doesNotContainIgnoringCase("<iframe")
        .doesNotContainIgnoringCase("@import")
        .doesNotContainIgnoringCase("url(http");
    Matcher urls = Pattern.compile("([\\w:-]+)=['\"](https?://[^\"']*)").matcher(html);
    int namespaces = 0;
    while (urls.find()) {
      assertThat(urls.group(1))
          .as("the only absolute URL, %s, is an XML namespace declaration", urls.group(2))
          .startsWith("xmlns");
      namespaces++;
    }
    assertThat(namespaces).as("each SVG declares its namespaces").isPositive();
    assertThat(html.replaceAll("xmlns(:\\w+)?=['\"][^'\"]*['\"]", ""))
        .as("no URL outside the namespace declarations")
        .doesNotContain("http:")
        .doesNotContain("https:");
  }

  @Test
  void textFromTheTableIsEscaped() {
    String html = full.html();
    assertThat(html)
        .as("the hostile detail and policy never appear raw")
        .doesNotContain(ReportFixtures.HOSTILE)
        .doesNotContain(ReportFixtures.HOSTILE_POLICY)
        .doesNotContain("<b>");
    assertThat(section(html, "gates"))
        .as("the gate detail appears escaped in HTML")
        .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &lt;b&gt;");
    assertThat(section(html, "metrics"))
        .as("the policy name appears escaped in the SVG legend")
        .contains("&lt;img src=x onerror=alert(1)&gt;");
  }

  @Test
  void sectionsWithoutRowsSaySo() {
    List<EvaluationRow> loopOnly =
        ReportFixtures.rows().stream()
            .filter(r -> r.isRun(EvaluationSchema.RUN_SIMULATE_LOOP))
            .filter(r -> r.isKind(EvaluationSchema.KIND_METRIC))
            .toList();
    ReportRenderer.Rendered rendered = ReportRenderer.render(loopOnly, CONTEXT);
    assertThat(section(rendered.html(), "lorenz"))
        .as("no curve rows: one line, no chart")
        .contains("class=\"empty\">No Lorenz curve rows")
        .doesNotContain("<svg");
    assertThat(section(rendered.html(), "off-policy"))
        .contains("class=\"empty\">No off-policy estimates")
        .doesNotContain("<svg");
    assertThat(section(rendered.html(), "gates")).contains("class=\"empty\">No gate rows");
    assertThat(rendered.charts()).as("one chart per loop metric with values").isEqualTo(10);

    ReportRenderer.Rendered nothing = ReportRenderer.render(List.of(), CONTEXT);
    assertThat(nothing.charts()).as("no rows, no charts").isZero();
    assertThat(nothing.html()).as("no rows, no <svg>").doesNotContain("<svg");
    for (String section : ReportRenderer.SECTIONS) {
      assertThat(section(nothing.html(), section))
          .as("empty section %s says so in one line", section)
          .contains("<p class=\"empty\">No ");
    }
  }

  @Test
  void differenceFromTheBaselineUsesOnlyTheDaysBothArmsCover() {
    String gmv = DailyMetricsSchema.GMV;
    List<EvaluationRow> rows =
        List.of(
            EvaluationRow.loopMetric(ReportFixtures.DAY_1, "popularity", 1, gmv, 100.0),
            EvaluationRow.loopMetric(ReportFixtures.DAY_2, "popularity", 1, gmv, 200.0),
            EvaluationRow.loopMetric(ReportFixtures.DAY_1, "kindling", 1, gmv, 110.0),
            EvaluationRow.loopMetric(ReportFixtures.DAY_2, "kindling", 1, gmv, 230.0),
            // days and seeds the baseline never reached: in the arm's means, not in its difference
            EvaluationRow.loopMetric(ReportFixtures.DAY_3, "kindling", 1, gmv, 900.0),
            EvaluationRow.loopMetric(ReportFixtures.DAY_1, "kindling", 2, gmv, 5000.0));
    LoopSummary.ArmSummary kindling = LoopSummary.of(rows).get(1);
    assertThat(kindling.acrossSeeds().get(gmv))
        .as("the arm's own mean keeps every day: ((110 + 230 + 900) / 3 + 5000) / 2")
        .isCloseTo(((110.0 + 230 + 900) / 3 + 5000) / 2, within(EPS));
    assertThat(kindling.vsBaseline().get(gmv))
        .as("seed 1, days 1 and 2 only: (110 + 230) / 2 - (100 + 200) / 2")
        .isCloseTo(20.0, within(EPS));

    List<EvaluationRow> disjoint =
        List.of(
            EvaluationRow.loopMetric(ReportFixtures.DAY_1, "popularity", 1, gmv, 100.0),
            EvaluationRow.loopMetric(ReportFixtures.DAY_2, "kindling", 1, gmv, 110.0));
    assertThat(LoopSummary.of(disjoint).get(1).vsBaseline().get(gmv))
        .as("no shared day, no difference")
        .isNull();
  }

  @Test
  void summaryMeansEqualTheHandComputedOnes() {
    List<LoopSummary.ArmSummary> arms = LoopSummary.of(ReportFixtures.rows());
    assertThat(arms)
        .extracting(LoopSummary.ArmSummary::arm)
        .containsExactly("popularity", "epsilon", "kindling");
    LoopSummary.ArmSummary popularity = arms.get(0);
    LoopSummary.ArmSummary kindling = arms.get(2);
    String newCtr = DailyMetricsSchema.NEW_CONTENT_CTR;
    String retention = DailyMetricsSchema.NEXT_DAY_RETENTION;
    String gmv = DailyMetricsSchema.GMV;
    // popularity new-content CTR: seed 1 (0.010 + 0.008 + 0.006) / 3 = 0.008, seed 2 0.010.
    assertThat(popularity.seeds().get(0).means().get(newCtr)).isCloseTo(0.008, within(EPS));
    assertThat(popularity.seeds().get(1).means().get(newCtr)).isCloseTo(0.010, within(EPS));
    assertThat(popularity.acrossSeeds().get(newCtr)).isCloseTo(0.009, within(EPS));
    // kindling: seed 1 (0.030 + 0.036 + 0.039) / 3 = 0.035, seed 2 0.038, across 0.0365.
    assertThat(kindling.seeds().get(0).means().get(newCtr)).isCloseTo(0.035, within(EPS));
    assertThat(kindling.acrossSeeds().get(newCtr)).isCloseTo(0.0365, within(EPS));
    assertThat(kindling.vsBaseline().get(newCtr))
        .as("CTR difference is relative: 0.0365 / 0.009 - 1")
        .isCloseTo(0.0365 / 0.009 - 1, within(EPS));
    // retention: the last day's null is left out: (0.66 + 0.68) / 2 = 0.67, (0.64 + 0.66) / 2.
    assertThat(kindling.seeds().get(0).means().get(retention)).isCloseTo(0.67, within(EPS));
    assertThat(kindling.acrossSeeds().get(retention)).isCloseTo(0.66, within(EPS));
    assertThat(kindling.vsBaseline().get(retention))
        .as("other differences are absolute: 0.66 - 0.58")
        .isCloseTo(0.08, within(EPS));
    assertThat(popularity.acrossSeeds().get(gmv)).isCloseTo(105.0, within(EPS));
    assertThat(kindling.vsBaseline().get(gmv)).isCloseTo(25.0, within(EPS));
    assertThat(popularity.vsBaseline()).as("the baseline has no difference row").isEmpty();
    assertThat(kindling.seeds()).extracting(LoopSummary.SeedMeans::days).containsExactly(3, 3);

    String summary = section(full.html(), "summary");
    assertThat(summary)
        .as("the table prints the same means, formatted")
        .contains(
            "<tr><td>popularity</td><td class=\"num\">1</td><td class=\"num\">3</td>"
                + "<td class=\"num\">0.80%</td>")
        .contains(
            "<tr class=\"mean\"><td>kindling</td><td>all seeds</td><td class=\"num\">2 seeds</td>"
                + "<td class=\"num\">3.65%</td>")
        .contains(
            "<tr class=\"delta\"><td>kindling</td><td colspan=\"2\">&Delta; vs popularity</td>"
                + "<td class=\"num\">+305.6%</td>")
        .contains("<td class=\"num\">+8.00 pp</td>")
        .contains("<td class=\"num\">+25.00</td>");
  }

  /** The text of one section: from its heading to the next one. */
  static String section(String html, String id) {
    int start = html.indexOf("<h2 id=\"" + id + "\"");
    assertThat(start).as("section %s exists", id).isNotNegative();
    int end = html.indexOf("<h2 ", start + 1);
    return html.substring(start, end < 0 ? html.length() : end);
  }

  static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
