package dev.kindling.pipelines.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import dev.kindling.pipelines.report.EvaluationRow;
import dev.kindling.pipelines.report.ReportFixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReportJob} against a real Delta {@code evaluation} table holding the fixture rows of
 * {@link ReportFixtures}. Also writes the fixture report to {@link #CHECK_REPORT}, with the number
 * of charts it must hold in {@link #CHECK_CHARTS}, for {@code .ci/check-report} to open in a
 * headless browser.
 */
class ReportJobTest {

  /** Where {@code .ci/check-report} finds the report (surefire runs in the module directory). */
  static final Path CHECK_REPORT = Path.of("target/report-check/kindling-report.html");

  /** The inline SVG charts {@code .ci/check-report} expects in the rendered page. */
  static final Path CHECK_CHARTS = Path.of("target/report-check/expected-svg-count");

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path root;
  private static List<EvaluationRow> fixture;

  @BeforeAll
  static void writeTable() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    fixture = ReportFixtures.rows();
    Lakehouse lakehouse = new Lakehouse(spark, root.toString());
    for (LocalDate day : fixture.stream().map(EvaluationRow::dt).distinct().sorted().toList()) {
      List<Row> rows =
          fixture.stream().filter(r -> r.dt().equals(day)).map(ReportJobTest::toSpark).toList();
      lakehouse.replacePartition(
          Table.EVALUATION, day, spark.createDataFrame(rows, EvaluationSchema.SCHEMA));
    }
  }

  @Test
  void writesTheReportOfTheWholeTableUnderTheLakehouse() throws IOException {
    ReportResult result = new ReportJob(spark, new ReportConfig(root.toString(), null, null)).run();
    Path expected = root.resolve(ReportJob.DEFAULT_OUTPUT).toAbsolutePath();
    assertThat(result.path()).as("the default output under the root").isEqualTo(expected);
    assertThat(result.rows()).as("every row read back from Delta").isEqualTo(fixture.size());
    assertThat(result.charts()).as("charts").isEqualTo(ReportFixtures.CHARTS);
    assertThat(result.firstDate()).isEqualTo(ReportFixtures.DAY_1);
    assertThat(result.lastDate()).isEqualTo(ReportFixtures.DAY_3);
    String html = Files.readString(expected, StandardCharsets.UTF_8);
    assertThat(result.bytes()).as("the size reported").isEqualTo(Files.size(expected));
    assertThat(html)
        .as("the hand-computed summary means survive the Delta round trip")
        .contains(
            "<tr class=\"mean\"><td>kindling</td><td>all seeds</td><td class=\"num\">2 seeds</td>"
                + "<td class=\"num\">3.65%</td>")
        .contains("<td class=\"num\">+8.00 pp</td>")
        .doesNotContain(ReportFixtures.HOSTILE);
    assertThat(countOf(html, "<svg ")).isEqualTo(ReportFixtures.CHARTS);
  }

  @Test
  void replacesTheGivenFileAtomicallyAndLeavesTheCheckCopy() throws IOException {
    Files.createDirectories(CHECK_REPORT.getParent());
    Files.writeString(CHECK_REPORT, "an older report");
    ReportResult result =
        new ReportJob(spark, new ReportConfig(root.toString(), null, CHECK_REPORT)).run();
    assertThat(result.path()).isEqualTo(CHECK_REPORT.toAbsolutePath());
    String html = Files.readString(CHECK_REPORT, StandardCharsets.UTF_8);
    assertThat(html).as("the old file was replaced").startsWith("<!DOCTYPE html>");
    try (Stream<Path> files = Files.list(CHECK_REPORT.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary file left beside the report")
          .noneMatch(name -> name.endsWith(".tmp"));
    }
    Files.writeString(CHECK_CHARTS, result.charts() + "\n");
  }

  @Test
  void readsOnlyTheDaysUpToTheRunDate() throws IOException {
    Path out = dir.resolve("up-to/report.html");
    ReportResult result =
        new ReportJob(spark, new ReportConfig(root.toString(), ReportFixtures.DAY_2, out)).run();
    long expected = fixture.stream().filter(r -> !r.dt().isAfter(ReportFixtures.DAY_2)).count();
    assertThat(result.rows()).as("rows of days up to the run date").isEqualTo(expected);
    assertThat(result.lastDate()).isEqualTo(ReportFixtures.DAY_2);
    String html = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(html)
        .as("the off-policy section shows the latest evaluate date up to the run date")
        .contains("Evaluate date 2024-01-02")
        .doesNotContain("2024-01-03");
  }

  @Test
  void aMissingTableFailsNamingItsWriters() {
    Path empty = dir.resolve("empty-lakehouse");
    ReportConfig config = new ReportConfig(empty.toString(), null, null);
    assertThatThrownBy(() -> new ReportJob(spark, config).run())
        .as("no evaluation table: a clear error")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("evaluation table")
        .hasMessageContaining("evaluate stage")
        .hasMessageContaining("simulate-loop");
    assertThat(empty.resolve(ReportJob.DEFAULT_OUTPUT)).as("nothing written").doesNotExist();
  }

  private static Row toSpark(EvaluationRow r) {
    return RowFactory.create(
        Date.valueOf(r.dt()),
        r.run(),
        r.seed(),
        r.policy(),
        r.kind(),
        r.metric(),
        r.estimator(),
        r.value(),
        r.lower(),
        r.upper(),
        r.n(),
        r.point(),
        r.detail());
  }

  private static int countOf(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
