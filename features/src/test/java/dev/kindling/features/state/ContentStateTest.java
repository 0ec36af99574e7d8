package dev.kindling.features.state;

import static dev.kindling.features.state.StateTestRows.date;
import static dev.kindling.features.state.StateTestRows.event;
import static dev.kindling.features.state.StateTestRows.frame;
import static dev.kindling.features.state.StateTestRows.impression;
import static dev.kindling.features.state.StateTestRows.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ContentState} on a small catalog: in category N a good item and a clickbait item with the
 * same exposure (1000 lifetime, 10 of them on D) and a young unexposed one; a brand-new item alone
 * in M; an old item alone in Z exposed only before D; a stale never-exposed item and one published
 * after D, both of which must be absent. Computed once.
 */
class ContentStateTest {

  private static final LocalDate RUN_DATE = LocalDate.parse("2024-05-10");
  private static final Offset<Double> EPS = offset(1e-9);
  private static final FeatureParams PARAMS =
      FeatureParams.builder()
          .ctrPriorStrength(100.0)
          .completionPriorStrength(10.0)
          .coldMaxAgeDays(7.0)
          .coldMinExposure(1000L)
          .clickInflationThreshold(2.0)
          .fraudMinClicks(20L)
          .contentHorizonDays(30)
          .build();

  /** Category N over its rows: 2000 impressions, 250 clicks, 50 completions. */
  private static final double CTR_N = 250.0 / 2000;

  private static final double COMPLETION_N = 50.0 / 250;

  private static Dataset<Row> result;
  private static Map<String, Row> byItem;

  @BeforeAll
  static void computeOnce() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> items =
        frame(
            spark,
            List.of(
                item("good", "N", "2024-04-01T00:00:00Z"),
                item("bait", "N", "2024-04-01T00:00:00Z"),
                item("young", "N", "2024-05-01T00:00:00Z"),
                item("new", "M", "2024-05-10T06:00:00Z"),
                item("old", "Z", "2024-01-01T00:00:00Z"),
                item("stale", "N", "2024-03-01T00:00:00Z"),
                item("future", "N", "2024-05-11T00:00:00Z")),
            ItemsSchema.SCHEMA);

    List<Row> events = new ArrayList<>();
    // good on D: 10 impressions, 2 clicks both completed, one shared and one with a purchase of 5;
    // 2 heated.
    events.add(event("g0", "u", "good", "2024-05-10T10:00:00Z", true, true, true, 0.0, true));
    events.add(event("g1", "u", "good", "2024-05-10T10:01:00Z", true, true, false, 5.0, true));
    for (int i = 2; i < 10; i++) {
      events.add(impression("g" + i, "u", "good", "2024-05-10T10:02:00Z", false));
    }
    // bait on D: 10 impressions, 5 clicks, none completed.
    for (int i = 0; i < 10; i++) {
      events.add(impression("b" + i, "u", "bait", "2024-05-10T11:00:00Z", i < 5));
    }
    // new on D: 2 impressions, 1 click, completed.
    events.add(event("n0", "u", "new", "2024-05-10T12:00:00Z", true, true, false, 0.0, false));
    events.add(impression("n1", "u", "new", "2024-05-10T12:01:00Z", false));
    // An impression of D-1 handed in by mistake must not count.
    events.add(impression("x0", "u", "good", "2024-05-09T12:00:00Z", true));

    Dataset<Row> previous =
        frame(
            spark,
            List.of(
                carried("good", 990, 48, 38, 4, 0, 20.0),
                carried("bait", 990, 195, 10, 0, 0, 0.0),
                carried("old", 50, 0, 0, 0, 0, 0.0),
                carried("stale", 0, 0, 0, 0, 0, 0.0)),
            ContentStateSchema.SCHEMA);

    result =
        ContentState.compute(
            frame(spark, events, EventsSchema.SCHEMA), items, previous, RUN_DATE, PARAMS);
    List<Row> rows = result.collectAsList();
    byItem =
        rows.stream()
            .collect(
                Collectors.toMap(
                    row -> row.getAs(ContentStateSchema.ITEM_ID), Function.identity()));
    assertThat(rows).as("one row per item, no duplicate item").hasSize(byItem.size());
  }

  @Test
  void keepsYoungOrEverExposedItemsPublishedByTheEndOfTheDay() {
    assertThat(byItem.keySet())
        .as("stale is past the horizon unexposed; future is published after D")
        .containsExactlyInAnyOrder("good", "bait", "young", "new", "old");
    assertThat(byItem.values())
        .as("every row is dated D")
        .allSatisfy(row -> assertThat(row.<Object>getAs("dt")).isEqualTo(date(RUN_DATE)));
  }

  @Test
  void outputMatchesTheSchema() {
    assertThat(result.schema().catalogString())
        .as("column names, order and types are the table's")
        .isEqualTo(ContentStateSchema.SCHEMA.catalogString());
  }

  @Test
  void lifetimeTotalsAddTheDayToTheCarriedState() {
    Row good = byItem.get("good");
    assertThat(good.<Long>getAs(ContentStateSchema.EXPOSURE)).as("exposure").isEqualTo(1000L);
    assertThat(good.<Long>getAs(ContentStateSchema.CLICKS)).as("clicks").isEqualTo(50L);
    assertThat(good.<Long>getAs(ContentStateSchema.COMPLETIONS)).as("completions").isEqualTo(40L);
    assertThat(good.<Long>getAs(ContentStateSchema.SHARES)).as("shares").isEqualTo(5L);
    assertThat(good.<Long>getAs(ContentStateSchema.HEATED_EXPOSURE)).as("heated").isEqualTo(2L);
    assertThat(good.<Double>getAs(ContentStateSchema.PURCHASE_AMOUNT))
        .as("GMV")
        .isCloseTo(25.0, EPS);
    assertThat(good.<Long>getAs(ContentStateSchema.EXPOSURE_TODAY)).as("today").isEqualTo(10L);
    assertThat(good.<Long>getAs(ContentStateSchema.CLICKS_TODAY)).as("today").isEqualTo(2L);
    Row old = byItem.get("old");
    assertThat(old.<Long>getAs(ContentStateSchema.EXPOSURE)).as("old carried").isEqualTo(50L);
    assertThat(old.<Long>getAs(ContentStateSchema.EXPOSURE_TODAY)).as("old idle").isEqualTo(0L);
  }

  @Test
  void ageRunsToTheEndOfTheDay() {
    assertThat(doubleOf("good", ContentStateSchema.AGE_DAYS)).as("good").isCloseTo(40.0, EPS);
    assertThat(doubleOf("new", ContentStateSchema.AGE_DAYS)).as("18 hours").isCloseTo(0.75, EPS);
  }

  @Test
  void smoothedCtrShrinksTowardTheCategory() {
    assertThat(doubleOf("good", ContentStateSchema.CTR_CATEGORY)).as("N").isCloseTo(CTR_N, EPS);
    assertThat(doubleOf("good", ContentStateSchema.COMPLETION_RATE_CATEGORY))
        .as("N completions per click")
        .isCloseTo(COMPLETION_N, EPS);
    assertThat(doubleOf("good", ContentStateSchema.CTR_SMOOTHED))
        .as("good")
        .isCloseTo((50 + 100 * CTR_N) / (1000 + 100), EPS);
    assertThat(doubleOf("young", ContentStateSchema.CTR_SMOOTHED))
        .as("unexposed item gets the category CTR")
        .isCloseTo(CTR_N, EPS);
    assertThat(doubleOf("good", ContentStateSchema.COMPLETION_RATE)).as("good").isCloseTo(0.8, EPS);
    assertThat(doubleOf("good", ContentStateSchema.SHARE_RATE)).as("good").isCloseTo(0.1, EPS);
    assertThat(byItem.get("young").<Object>getAs(ContentStateSchema.COMPLETION_RATE))
        .as("no clicks, no rate")
        .isNull();
  }

  @Test
  void clickbaitIsAFraudSuspectAndTheGoodItemIsNot() {
    double baitInflation =
        ((200 + 100 * CTR_N) / 1100 / CTR_N) / ((10 + 10 * COMPLETION_N) / 210 / COMPLETION_N);
    double goodInflation =
        ((50 + 100 * CTR_N) / 1100 / CTR_N) / ((40 + 10 * COMPLETION_N) / 60 / COMPLETION_N);
    assertThat(doubleOf("bait", ContentStateSchema.CLICK_INFLATION))
        .as("bait clicks well above its completions")
        .isCloseTo(baitInflation, EPS)
        .isGreaterThan(PARAMS.clickInflationThreshold());
    assertThat(doubleOf("good", ContentStateSchema.CLICK_INFLATION))
        .as("good keeps its clicks")
        .isCloseTo(goodInflation, EPS)
        .isLessThan(1.0);
    assertThat(boolOf("bait", ContentStateSchema.IS_FRAUD_SUSPECT)).as("bait").isTrue();
    assertThat(boolOf("good", ContentStateSchema.IS_FRAUD_SUSPECT)).as("good").isFalse();
    assertThat(byItem.get("old").<Object>getAs(ContentStateSchema.CLICK_INFLATION))
        .as("a category without clicks has no inflation")
        .isNull();
    assertThat(boolOf("old", ContentStateSchema.IS_FRAUD_SUSPECT)).as("old").isFalse();
    assertThat(doubleOf("new", ContentStateSchema.CLICK_INFLATION))
        .as("an item alone in its category is its own reference")
        .isCloseTo(1.0, EPS);
  }

  @Test
  void coldByAgeOrByExposure() {
    assertThat(boolOf("good", ContentStateSchema.IS_COLD)).as("old and 1000 shown").isFalse();
    assertThat(boolOf("bait", ContentStateSchema.IS_COLD)).as("old and 1000 shown").isFalse();
    assertThat(boolOf("new", ContentStateSchema.IS_COLD)).as("young").isTrue();
    assertThat(boolOf("old", ContentStateSchema.IS_COLD)).as("old but 50 shown").isTrue();
  }

  @Test
  void badParameterNamesTheFieldTheValueAndTheRange() {
    assertThatThrownBy(() -> FeatureParams.builder().fatigueRate(1.5).build())
        .as("a rate above 1")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fatigueRate")
        .hasMessageContaining("1.5")
        .hasMessageContaining("(0, 1]");
    assertThatThrownBy(() -> FeatureParams.builder().windowDays(0).build())
        .as("an empty window")
        .hasMessageContaining("windowDays = 0")
        .hasMessageContaining("[1, 3650]");
    assertThat(FeatureParams.defaults().toBuilder().build())
        .as("defaults round-trip through the builder")
        .isEqualTo(FeatureParams.defaults());
  }

  private static double doubleOf(String item, String column) {
    return byItem.get(item).<Double>getAs(column);
  }

  private static boolean boolOf(String item, String column) {
    return byItem.get(item).<Boolean>getAs(column);
  }

  private static Row item(String itemId, String category, String published) {
    return RowFactory.create(itemId, "creator-" + itemId, category, ts(published), 0.5);
  }

  /** A previous content state row dated D-1; only the lifetime totals matter to the function. */
  private static Row carried(
      String itemId,
      long exposure,
      long clicks,
      long completions,
      long shares,
      long heated,
      double purchase) {
    return RowFactory.create(
        itemId,
        "creator-" + itemId,
        "N",
        date(RUN_DATE.minusDays(1)),
        ts("2024-01-01T00:00:00Z"),
        0.5,
        1.0,
        exposure,
        clicks,
        completions,
        shares,
        heated,
        purchase,
        0L,
        0L,
        0.0,
        0.0,
        0.0,
        null,
        null,
        null,
        false,
        false);
  }
}
