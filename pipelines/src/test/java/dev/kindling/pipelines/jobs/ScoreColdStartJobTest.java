package dev.kindling.pipelines.jobs;

import static dev.kindling.features.content.ContentStateRows.contentState;
import static dev.kindling.features.content.ContentStateRows.impression;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.content.ColdStartParams;
import dev.kindling.features.content.ContentStateRows.Counts;
import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ScoreColdStartJob} against a synthetic lakehouse: four days of content state of cold items
 * whose daily completions grow with their quality score, plus a clickbait item, an item clicked
 * almost only by two users, an ordinary item with the same clicks and a warm item.
 */
class ScoreColdStartJobTest {

  private static final LocalDate FIRST = LocalDate.parse("2024-02-01");
  private static final int DAYS = 4;
  private static final LocalDate D = FIRST.plusDays(DAYS - 1);
  private static final int GRADED_ITEMS = 40;
  private static final long EXPOSURE_PER_DAY = 100;
  private static final long CLICKS_PER_DAY = 20;

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Lakehouse lakehouse;
  private static Path root;

  @BeforeAll
  static void writeTheWorld() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    lakehouse = new Lakehouse(spark, root.toString());
    // All days in one append: a single Delta commit keeps the fixture fast.
    List<Row> rows = new ArrayList<>();
    for (int day = 0; day < DAYS; day++) {
      LocalDate dt = FIRST.plusDays(day);
      long n = day + 1L;
      for (int i = 0; i < GRADED_ITEMS; i++) {
        double quality = (double) i / (GRADED_ITEMS - 1);
        // Completions per day grow with quality, with a small deterministic wobble.
        long perDay = Math.round(CLICKS_PER_DAY * quality * 0.9) + (i + day) % 2;
        rows.add(
            contentState(
                "item-" + i,
                i % 2 == 0 ? "news" : "music",
                dt,
                quality,
                daily(n, perDay),
                1.0,
                true));
      }
      rows.add(contentState("ordinary", "news", dt, 0.5, daily(n, 8), 1.0, true));
      rows.add(contentState("concentrated", "news", dt, 0.5, daily(n, 8), 1.0, true));
      rows.add(contentState("clickbait", "news", dt, 0.5, daily(n, 1), 3.0, true));
      rows.add(contentState("warm", "music", dt, 0.9, daily(n + 20, 15), 1.0, false));
    }
    lakehouse.append(Table.CONTENT_STATE, spark.createDataFrame(rows, ContentStateSchema.SCHEMA));
    List<Row> events = new ArrayList<>();
    for (int i = 0; i < 2 * CLICKS_PER_DAY; i++) {
      events.add(impression("o" + i, "user-" + i, "ordinary", D, true, i % 3 == 0));
      String user = i < 25 ? "bot-1" : i < 38 ? "bot-2" : "user-" + i;
      events.add(impression("k" + i, user, "concentrated", D, true, i % 3 == 0));
      events.add(impression("b" + i, "user-" + i, "clickbait", D, true, false));
    }
    lakehouse.replacePartition(
        Table.VALIDATED_EVENTS, D, spark.createDataFrame(events, EventsSchema.SCHEMA));
  }

  /** Lifetime counts after {@code n} days of 100 impressions, 20 clicks and 10 heated a day. */
  private static Counts daily(long n, long completionsPerDay) {
    return new Counts(
        EXPOSURE_PER_DAY * n,
        CLICKS_PER_DAY * n,
        completionsPerDay * n,
        0,
        10 * n,
        EXPOSURE_PER_DAY,
        CLICKS_PER_DAY);
  }

  private static ScoreColdStartResult run(LocalDate day, ColdStartParams params) {
    return new ScoreColdStartJob(spark, new ScoreColdStartConfig(root.toString(), day, params))
        .run();
  }

  private static Map<String, Row> scoresOf(LocalDate day) {
    return lakehouse.read(Table.COLD_START_SCORES, day).collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("item_id")), r -> r));
  }

  private static double value(Row row) {
    return row.getDouble(row.fieldIndex(ColdStartScoresSchema.PREDICTED_VALUE));
  }

  @Test
  void theForestRanksBetterItemsAboveWorseAndZeroesTheFraudulentOnes() {
    ScoreColdStartResult result = run(D, ColdStartParams.defaults());

    assertThat(result.learner()).as("enough transitions to fit").isEqualTo("random-forest");
    assertThat(result.transitions())
        .as("each cold item makes one transition per consecutive pair of days")
        .isEqualTo((GRADED_ITEMS + 3L) * (DAYS - 1));
    assertThat(Files.isDirectory(root.resolve("models/content/dt=" + D)))
        .as("the fitted forest is saved for audit")
        .isTrue();
    Map<String, Row> scores = scoresOf(D);
    assertThat(scores.keySet())
        .as("every cold item of D has a row and the warm one has none")
        .hasSize(GRADED_ITEMS + 3)
        .contains("ordinary", "concentrated", "clickbait")
        .doesNotContain("warm");
    assertThat(result.coldItems()).as("rows written").isEqualTo(GRADED_ITEMS + 3L);
    assertThat(lakehouse.read(Table.COLD_START_SCORES).schema())
        .as("the table has the contract's schema")
        .isEqualTo(ColdStartScoresSchema.SCHEMA);

    double worst = 0;
    double best = 0;
    int third = GRADED_ITEMS / 3;
    for (int i = 0; i < third; i++) {
      worst += value(scores.get("item-" + i)) / third;
      best += value(scores.get("item-" + (GRADED_ITEMS - 1 - i))) / third;
    }
    assertThat(best)
        .as("the best third by true engagement is valued above the worst third")
        .isGreaterThan(worst + 0.05);
    assertThat(value(scores.get("item-" + (GRADED_ITEMS - 1))))
        .as("the best item above the worst")
        .isGreaterThan(value(scores.get("item-0")));

    for (String item : List.of("clickbait", "concentrated")) {
      Row row = scores.get(item);
      assertThat(row.getBoolean(row.fieldIndex(ColdStartScoresSchema.FRAUD_ZEROED)))
          .as("%s is fraud-zeroed", item)
          .isTrue();
      assertThat(row.getDouble(row.fieldIndex(ColdStartScoresSchema.SCORE)))
          .as("%s scores 0", item)
          .isZero();
      assertThat(row.getString(row.fieldIndex(ColdStartScoresSchema.REASON)))
          .as("%s has a reason naming the threshold", item)
          .contains("fraud-zeroed", "threshold");
    }
    Row ordinary = scores.get("ordinary");
    assertThat(ordinary.getBoolean(ordinary.fieldIndex(ColdStartScoresSchema.FRAUD_ZEROED)))
        .as("the ordinary item with the same clicks is not zeroed")
        .isFalse();
    assertThat(ordinary.getDouble(ordinary.fieldIndex(ColdStartScoresSchema.SCORE)))
        .as("the ordinary item keeps a positive bid")
        .isPositive();
    assertThat(result.fraudZeroed()).as("fraud-zeroed count").isEqualTo(2);
    for (Row row : scores.values()) {
      assertThat(row.getDouble(row.fieldIndex(ColdStartScoresSchema.UNCERTAINTY)))
          .as("uncertainty of %s is a finite spread", row.getString(1))
          .isFinite()
          .isGreaterThanOrEqualTo(0.0);
    }

    Dataset<Row> before = JobFixtures.snapshot(spark, lakehouse.read(Table.COLD_START_SCORES, D));
    ScoreColdStartResult again = run(D, ColdStartParams.defaults());
    assertThat(again.coldItems()).as("the re-run writes the same rows").isEqualTo(43L);
    JobFixtures.assertSameRows(
        "cold_start_scores after a re-run of the same date",
        before,
        lakehouse.read(Table.COLD_START_SCORES, D));
  }

  @Test
  void withTooFewTransitionsTheCategoryPriorStandsInAndSaysSo() {
    LocalDate day = FIRST.plusDays(1);
    ScoreColdStartResult result =
        run(day, ColdStartParams.builder().minTransitions(1_000_000).build());

    assertThat(result.learner()).as("the prior stands in").isEqualTo("category-prior");
    Map<String, Row> scores = scoresOf(day);
    assertThat(scores).as("every cold item still has a row").hasSize(GRADED_ITEMS + 3);
    Row best = scores.get("item-" + (GRADED_ITEMS - 1));
    assertThat(best.getString(best.fieldIndex(ColdStartScoresSchema.REASON)))
        .as("the reason names the fallback")
        .contains("category prior", "fewer than the 1000000");
    assertThat(value(best))
        .as("the prior still values the more engaging item higher")
        .isGreaterThan(value(scores.get("item-0")));
  }

  @Test
  void aMissingContentStateNamesTheTableAndTheCommandToRun() {
    LocalDate missing = D.plusDays(5);
    assertThatThrownBy(() -> run(missing, ColdStartParams.defaults()))
        .as("no content_state for the run date")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("content_state")
        .hasMessageContaining("bin/kindling features --run-date " + missing);
  }
}
