package dev.kindling.features.content;

import static dev.kindling.features.content.ContentStateRows.contentState;
import static dev.kindling.features.content.ContentStateRows.impression;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.content.ContentStateRows.Counts;
import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link ColdStartFeatures}: transitions, the click-concentration signal, fraud and the bid. */
class ColdStartFeaturesTest {

  private static final LocalDate D = LocalDate.parse("2024-03-10");
  private static final ColdStartParams P = ColdStartParams.defaults();

  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  @Test
  void aTransitionCarriesTheNextDaysHeatingAndTrueEngagementNetOfItsCost() {
    List<Row> rows =
        List.of(
            contentState("a", "c", D, 0.5, new Counts(100, 10, 5, 1, 10, 100, 10), 1.0, true),
            contentState(
                "a", "c", D.plusDays(1), 0.5, new Counts(300, 40, 25, 3, 60, 200, 30), 1.0, true),
            contentState(
                "warm", "c", D, 0.5, new Counts(5000, 500, 250, 9, 0, 900, 90), 1.0, false),
            contentState(
                "warm",
                "c",
                D.plusDays(1),
                0.5,
                new Counts(5900, 590, 300, 9, 0, 900, 90),
                1.0,
                false),
            contentState("lone", "c", D, 0.5, new Counts(50, 5, 2, 0, 0, 50, 5), 1.0, true));
    Dataset<Row> states =
        ColdStartFeatures.states(spark.createDataFrame(rows, ContentStateSchema.SCHEMA), P);

    List<Row> transitions = ColdStartFeatures.transitions(states, P).collectAsList();

    assertThat(transitions)
        .as("only the cold item with a next day makes a transition")
        .extracting(r -> r.getString(r.fieldIndex(ContentStateSchema.ITEM_ID)))
        .containsExactly("a");
    Row t = transitions.get(0);
    double engagementNext = 20 * P.completionWeight() + 2 * P.shareWeight();
    assertThat(t.getDouble(t.fieldIndex(ColdStartFeatures.ACTION)))
        .as("action: the heated impressions of d + 1")
        .isEqualTo(50.0);
    assertThat(t.getDouble(t.fieldIndex(ColdStartFeatures.ENGAGEMENT_NEXT)))
        .as("true engagement of d + 1: completions and shares, never clicks")
        .isCloseTo(engagementNext, within(1e-9));
    assertThat(t.getDouble(t.fieldIndex(ColdStartFeatures.REWARD)))
        .as("reward: engagement minus the heating cost of the heated impressions")
        .isCloseTo(engagementNext - 50 * P.heatingCost(), within(1e-9));
    assertThat(t.getDouble(t.fieldIndex(ColdStartFeatures.VALUE_PER_IMPRESSION)))
        .as("label: engagement per impression of d + 1 net of the heating cost")
        .isCloseTo(engagementNext / 200 - P.heatingCost(), within(1e-9));
    assertThat(t.getDouble(t.fieldIndex(ContentStateSchema.EXPOSURE)))
        .as("the state is day d's")
        .isEqualTo(100.0);
  }

  @Test
  void clickbaitAndConcentratedClicksAreZeroedWhileAnOrdinaryItemWithTheSameClicksIsNot() {
    Counts sixtyClicks = new Counts(600, 60, 30, 3, 0, 600, 60);
    List<Row> states =
        List.of(
            contentState("ordinary", "c", D, 0.5, sixtyClicks, 1.0, true),
            contentState(
                "clickbait", "c", D, 0.5, new Counts(600, 60, 2, 0, 0, 600, 60), 3.0, true),
            contentState("concentrated", "c", D, 0.5, sixtyClicks, 1.0, true),
            contentState("tiny", "c", D, 0.5, new Counts(40, 4, 0, 0, 0, 40, 4), 3.0, true));
    List<Row> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      events.add(impression("o" + i, "user-" + i, "ordinary", D, true, i % 2 == 0));
      events.add(impression("b" + i, "user-" + i, "clickbait", D, true, false));
      String heavyUser = i < 40 ? "bot-1" : i < 55 ? "bot-2" : "user-" + i;
      events.add(impression("k" + i, heavyUser, "concentrated", D, true, i % 2 == 0));
    }
    for (int i = 0; i < 4; i++) {
      events.add(impression("t" + i, "bot-1", "tiny", D, true, false));
    }
    Dataset<Row> concentration =
        ColdStartFeatures.clickConcentration(spark.createDataFrame(events, EventsSchema.SCHEMA), P);
    Map<String, Double> share =
        concentration.collectAsList().stream()
            .collect(
                Collectors.toMap(
                    r -> r.getString(0),
                    r -> r.getDouble(r.fieldIndex(ColdStartFeatures.TOP_USERS_CLICK_SHARE))));
    assertThat(share.get("concentrated"))
        .as("two users made 55 of the 60 clicks")
        .isCloseTo(55.0 / 60, within(1e-9));
    assertThat(share.get("ordinary"))
        .as("sixty users, one click each")
        .isCloseTo(2.0 / 60, within(1e-9));

    Dataset<Row> valued =
        ColdStartFeatures.states(spark.createDataFrame(states, ContentStateSchema.SCHEMA), P)
            .withColumn(ColdStartScoresSchema.PREDICTED_VALUE, functions.lit(0.05))
            .withColumn(ColdStartScoresSchema.UNCERTAINTY, functions.lit(0.01))
            .withColumn(ColdStartFeatures.VALUE_REASON, functions.lit(null).cast("string"));
    Map<String, Row> bids =
        ColdStartFeatures.bids(ColdStartFeatures.fraud(valued, concentration, P), P)
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(r.fieldIndex("item_id")), r -> r));

    assertThat(bids).as("one bid per state row").hasSize(4);
    for (String item : List.of("clickbait", "concentrated")) {
      Row bid = bids.get(item);
      assertThat(bid.getBoolean(bid.fieldIndex(ColdStartScoresSchema.FRAUD_ZEROED)))
          .as("%s is over a fraud threshold", item)
          .isTrue();
      assertThat(bid.getDouble(bid.fieldIndex(ColdStartScoresSchema.SCORE)))
          .as("%s scores 0", item)
          .isZero();
      assertThat(bid.getDouble(bid.fieldIndex(ColdStartScoresSchema.FRAUD_PENALTY)))
          .as("%s has the full penalty", item)
          .isEqualTo(1.0);
    }
    assertThat(bids.get("clickbait").getString(bids.get("clickbait").fieldIndex("reason")))
        .as("the clickbait reason names the signal, its value and the threshold")
        .contains("fraud-zeroed", "click inflation 3.00 >= threshold 2.00");
    assertThat(bids.get("concentrated").getString(bids.get("concentrated").fieldIndex("reason")))
        .as("the concentration reason names the signal, its value and the threshold")
        .contains("fraud-zeroed", "top 2 users made 0.92", "of the item's 60 clicks", "0.50");
    for (String item : List.of("ordinary", "tiny")) {
      Row bid = bids.get(item);
      assertThat(bid.getBoolean(bid.fieldIndex(ColdStartScoresSchema.FRAUD_ZEROED)))
          .as("%s is not fraud-zeroed (ordinary, or too few clicks to judge)", item)
          .isFalse();
      assertThat(bid.getDouble(bid.fieldIndex(ColdStartScoresSchema.FRAUD_PENALTY)))
          .as("%s has no penalty", item)
          .isZero();
      assertThat(bid.getDouble(bid.fieldIndex(ColdStartScoresSchema.SCORE)))
          .as("%s bids predicted value + exploration bonus x uncertainty", item)
          .isCloseTo(0.05 + P.explorationBonus() * 0.01, within(1e-12));
      assertThat(bid.isNullAt(bid.fieldIndex(ColdStartScoresSchema.REASON)))
          .as("%s needs no reason", item)
          .isTrue();
    }
  }

  @Test
  void aMildFraudSignalLowersTheBidWithoutZeroingIt() {
    List<Row> states =
        List.of(
            contentState(
                "inflated", "c", D, 0.5, new Counts(600, 60, 20, 0, 0, 600, 60), 1.625, true));
    Dataset<Row> valued =
        ColdStartFeatures.states(spark.createDataFrame(states, ContentStateSchema.SCHEMA), P)
            .withColumn(ColdStartScoresSchema.PREDICTED_VALUE, functions.lit(0.1))
            .withColumn(ColdStartScoresSchema.UNCERTAINTY, functions.lit(0.0))
            .withColumn(ColdStartFeatures.VALUE_REASON, functions.lit(null).cast("string"));
    Dataset<Row> noClicks =
        ColdStartFeatures.clickConcentration(
            spark.createDataFrame(List.of(), EventsSchema.SCHEMA), P);

    Row bid = ColdStartFeatures.bids(ColdStartFeatures.fraud(valued, noClicks, P), P).first();

    double penalty =
        (1.625 - P.clickInflationOnset()) / (P.clickInflationThreshold() - P.clickInflationOnset());
    assertThat(bid.getDouble(bid.fieldIndex(ColdStartScoresSchema.FRAUD_PENALTY)))
        .as("the penalty grows linearly from the onset to the threshold")
        .isCloseTo(penalty, within(1e-9));
    assertThat(bid.getDouble(bid.fieldIndex(ColdStartScoresSchema.SCORE)))
        .as("the bid is scaled by 1 - penalty")
        .isCloseTo(0.1 * (1 - penalty), within(1e-9));
    assertThat(bid.getBoolean(bid.fieldIndex(ColdStartScoresSchema.FRAUD_ZEROED)))
        .as("below the threshold the item keeps a bid")
        .isFalse();
    assertThat(bid.getString(bid.fieldIndex(ColdStartScoresSchema.REASON)))
        .as("the reason names the penalty")
        .startsWith("fraud penalty 0.50");
  }
}
