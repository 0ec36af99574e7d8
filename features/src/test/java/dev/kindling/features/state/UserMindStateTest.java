package dev.kindling.features.state;

import static dev.kindling.features.state.StateTestRows.date;
import static dev.kindling.features.state.StateTestRows.event;
import static dev.kindling.features.state.StateTestRows.frame;
import static dev.kindling.features.state.StateTestRows.impression;
import static dev.kindling.features.state.StateTestRows.javaMap;
import static dev.kindling.features.state.StateTestRows.ts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UserMindStateSchema;
import dev.kindling.features.schema.UsersSchema;
import java.time.LocalDate;
import java.util.Collections;
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
 * {@link UserMindState} on a hand-checkable week: u1 signs up on D and is new, u2 carries a state
 * from D-2 (a gap day), u3 spreads clicks over five categories, u4 is idle on D, u5 browses on D-3
 * and D without a click. Computed once.
 */
class UserMindStateTest {

  private static final LocalDate RUN_DATE = LocalDate.parse("2024-05-10");
  private static final Offset<Double> EPS = offset(1e-9);

  /** Round numbers so that every expected value is a short hand computation. */
  private static final FeatureParams PARAMS =
      FeatureParams.builder()
          .fatigueRate(0.5)
          .satisfactionRate(0.5)
          .curiosityRate(0.5)
          .noveltyPriorStrength(2.0)
          .fatigueRecovery(0.5)
          .recentSequenceLength(3)
          .build();

  private static Dataset<Row> result;
  private static Map<String, Row> byUser;

  @BeforeAll
  static void computeOnce() {
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> items =
        frame(
            spark,
            List.of(
                item("i1", "A"),
                item("i2", "A"),
                item("i3", "B"),
                item("i4", "B"),
                item("i5", "C"),
                item("i6", "C"),
                item("i7", "E"),
                item("i8", "C"),
                item("i9", "C"),
                item("i10", "B"),
                item("i11", "E"),
                item("i12", "F"),
                item("i13", "A"),
                item("i14", "G")),
            ItemsSchema.SCHEMA);
    Dataset<Row> users =
        frame(
            spark,
            List.of(
                user("u1", "2024-05-10T08:00:00Z"),
                user("u2", "2024-05-08T23:59:59Z"),
                user("u3", "2024-05-07T00:00:00Z"),
                user("u4", "2024-01-01T00:00:00Z"),
                user("u5", "2024-01-01T00:00:00Z")),
            UsersSchema.SCHEMA);
    Dataset<Row> events =
        frame(
            spark,
            List.of(
                // u1, new: A clicked+completed, A ignored, B clicked, B clicked+shared.
                event("e1", "u1", "i1", "2024-05-10T10:00:00Z", true, true, false, 0.0, false),
                impression("e2", "u1", "i2", "2024-05-10T10:01:00Z", false),
                impression("e3", "u1", "i3", "2024-05-10T10:02:00Z", true),
                event("e4", "u1", "i4", "2024-05-10T10:03:00Z", true, false, true, 0.0, false),
                // u2, last active D-2: C, C, E clicked, C ignored; on D: C clicked, A ignored.
                impression("e5", "u2", "i5", "2024-05-08T08:00:00Z", true),
                impression("e6", "u2", "i6", "2024-05-08T08:05:00Z", true),
                impression("e7", "u2", "i7", "2024-05-08T08:10:00Z", true),
                impression("e8", "u2", "i8", "2024-05-08T08:15:00Z", false),
                impression("e9", "u2", "i9", "2024-05-10T09:00:00Z", true),
                impression("e10", "u2", "i1", "2024-05-10T09:05:00Z", false),
                // u3: G on D-7 is outside the 7-day window; A twice, B, E, F on D-1; A on D.
                impression("e11", "u3", "i14", "2024-05-03T12:00:00Z", true),
                impression("e12", "u3", "i13", "2024-05-09T12:00:00Z", true),
                impression("e13", "u3", "i1", "2024-05-09T12:01:00Z", true),
                impression("e14", "u3", "i10", "2024-05-09T12:02:00Z", true),
                impression("e15", "u3", "i11", "2024-05-09T12:03:00Z", true),
                impression("e16", "u3", "i12", "2024-05-09T12:04:00Z", true),
                impression("e17", "u3", "i13", "2024-05-10T12:00:00Z", true),
                impression("e18", "u3", "i12", "2024-05-10T12:01:00Z", false),
                // u4: active on D-1 only.
                impression("e19", "u4", "i1", "2024-05-09T07:00:00Z", true),
                // u5, no carried state: ignored impressions on D-3 and on D.
                impression("e20", "u5", "i2", "2024-05-07T07:00:00Z", false),
                impression("e21", "u5", "i3", "2024-05-10T07:00:00Z", false)),
            EventsSchema.SCHEMA);
    Dataset<Row> previous =
        frame(
            spark,
            List.of(
                state("u2", RUN_DATE.minusDays(5), 0.1, 0.9, 0.9, 3),
                state("u2", RUN_DATE.minusDays(2), 0.8, 0.4, 0.2, 5),
                // A row of the run date itself (an earlier attempt) must not be carried.
                state("u2", RUN_DATE, 0.99, 0.99, 0.99, 99),
                state("u4", RUN_DATE.minusDays(1), 0.3, 0.3, 0.3, 2)),
            UserMindStateSchema.SCHEMA);

    result = UserMindState.compute(events, items, users, previous, RUN_DATE, PARAMS);
    List<Row> rows = result.collectAsList();
    byUser =
        rows.stream()
            .collect(
                Collectors.toMap(
                    row -> row.getAs(UserMindStateSchema.USER_ID), Function.identity()));
    assertThat(rows).as("one row per active user, no duplicate user").hasSize(byUser.size());
  }

  @Test
  void oneRowPerUserActiveOnTheRunDate() {
    assertThat(byUser.keySet())
        .as("u4 was idle on D")
        .containsExactlyInAnyOrder("u1", "u2", "u3", "u5");
    assertThat(byUser.values())
        .as("every row is dated D")
        .allSatisfy(row -> assertThat(row.<Object>getAs("dt")).isEqualTo(date(RUN_DATE)));
  }

  @Test
  void outputMatchesTheSchema() {
    assertThat(result.schema().catalogString())
        .as("column names, order and types are the table's")
        .isEqualTo(UserMindStateSchema.SCHEMA.catalogString());
  }

  @Test
  void countsImpressionsAndClicksOfTheRunDateOnly() {
    assertThat(longOf("u1", UserMindStateSchema.IMPRESSIONS)).as("u1 impressions").isEqualTo(4);
    assertThat(longOf("u1", UserMindStateSchema.CLICKS)).as("u1 clicks").isEqualTo(3);
    assertThat(longOf("u2", UserMindStateSchema.IMPRESSIONS)).as("u2 impressions").isEqualTo(2);
    assertThat(longOf("u2", UserMindStateSchema.CLICKS)).as("u2 clicks").isEqualTo(1);
  }

  @Test
  void fatigueOfANewUserIsTheClosedFormOfTheRecursion() {
    // x = 0 (first), 1 (A after A), 0 (B after A), 1 (B after B); f0 = 0.
    double byHand = 0.5 * 0.25 + 0.5;
    assertThat(byHand).as("hand value").isEqualTo(recursiveEwma(0.0, 0.5, 0, 1, 0, 1));
    assertThat(doubleOf("u1", UserMindStateSchema.FATIGUE))
        .as("u1 fatigue = EWMA of category repeats")
        .isCloseTo(byHand, EPS);
  }

  @Test
  void satisfactionOfANewUserStartsFromThePrior() {
    // o = 1 (completed), 0 (not clicked), 0.6 (clicked only), 1 (shared); s0 = 0.5.
    double byHand = 0.0625 * 0.5 + 0.5 * 0.125 + 0.5 * 0.5 * 0.6 + 0.5;
    assertThat(byHand).as("hand value").isCloseTo(recursiveEwma(0.5, 0.5, 1, 0, 0.6, 1), EPS);
    assertThat(doubleOf("u1", UserMindStateSchema.SATISFACTION))
        .as("u1 satisfaction")
        .isCloseTo(byHand, EPS);
  }

  @Test
  void carriedFatigueRecoversOverTheGapAndSatisfactionCarries() {
    // Carried from D-2, not the older D-5 row nor the D row: fatigue 0.8 * 0.5^2 = 0.2 at start.
    assertThat(doubleOf("u2", UserMindStateSchema.FATIGUE))
        .as("u2 fatigue: two non-repeats after a two-day recovery")
        .isCloseTo(recursiveEwma(0.8 * 0.25, 0.5, 0, 0), EPS)
        .isCloseTo(0.05, EPS);
    assertThat(doubleOf("u2", UserMindStateSchema.SATISFACTION))
        .as("u2 satisfaction from the carried 0.4")
        .isCloseTo(recursiveEwma(0.4, 0.5, 0.6, 0), EPS)
        .isCloseTo(0.25, EPS);
  }

  @Test
  void curiosityMovesTowardTheSmoothedNoveltyShare() {
    // u1: 3 clicks, all novel, from the prior 0.5: v = (3 + 2 * 0.5) / 5.
    assertThat(doubleOf("u1", UserMindStateSchema.CURIOSITY))
        .as("u1 curiosity")
        .isCloseTo(0.5 * 0.5 + 0.5 * 0.8, EPS);
    // u2: 1 click on C, clicked before: v = (0 + 2 * 0.2) / 3, from the carried 0.2.
    assertThat(doubleOf("u2", UserMindStateSchema.CURIOSITY))
        .as("u2 curiosity")
        .isCloseTo(0.5 * 0.2 + 0.5 * (0.4 / 3), EPS);
    // u3: 1 click on A, clicked on D-1: v = (0 + 2 * 0.5) / 3.
    assertThat(doubleOf("u3", UserMindStateSchema.CURIOSITY))
        .as("u3 curiosity")
        .isCloseTo(0.5 * 0.5 + 0.5 / 3, EPS);
  }

  @Test
  void affinityEntropyAndBreadthOfAKnownClickMix() {
    Map<String, Double> u3 = javaMap(byUser.get("u3"), UserMindStateSchema.CATEGORY_AFFINITY);
    assertThat(u3.keySet())
        .as("G is outside the window")
        .containsExactlyInAnyOrder("A", "B", "E", "F");
    assertThat(u3.get("A")).as("A share").isCloseTo(0.5, EPS);
    assertThat(u3.get("F")).as("F share").isCloseTo(1.0 / 6, EPS);
    assertThat(u3.values().stream().mapToDouble(Double::doubleValue).sum())
        .as("shares sum to 1")
        .isCloseTo(1.0, EPS);
    assertThat(intOf("u3", UserMindStateSchema.INTEREST_BREADTH)).as("u3 breadth").isEqualTo(4);
    assertThat(doubleOf("u3", UserMindStateSchema.INTEREST_ENTROPY))
        .as("u3 entropy: 1/2 and three 1/6")
        .isCloseTo(0.5 + 0.5 * Math.log(6) / Math.log(2), EPS);
    assertThat(doubleOf("u3", UserMindStateSchema.EXPLOITATION_SCORE))
        .as("u3 exploitation: top 3 categories hold 3 + 1 + 1 of 6 clicks")
        .isCloseTo(5.0 / 6, EPS);

    Map<String, Double> u2 = javaMap(byUser.get("u2"), UserMindStateSchema.CATEGORY_AFFINITY);
    assertThat(u2).as("u2: C 3 of 4 clicks, E 1").containsEntry("C", 0.75).containsEntry("E", 0.25);
    assertThat(doubleOf("u2", UserMindStateSchema.INTEREST_ENTROPY))
        .as("u2 entropy")
        .isCloseTo(-(0.75 * log2(0.75) + 0.25 * log2(0.25)), EPS);
    assertThat(doubleOf("u2", UserMindStateSchema.EXPLOITATION_SCORE))
        .as("two categories are all within the top 3")
        .isCloseTo(1.0, EPS);
  }

  @Test
  void recentSequenceIsNewestFirstAndTruncated() {
    Row u1 = byUser.get("u1");
    assertThat(u1.getList(u1.fieldIndex(UserMindStateSchema.RECENT_ITEMS)))
        .as("u1 recent items")
        .containsExactly("i4", "i3", "i1");
    Row u2 = byUser.get("u2");
    assertThat(u2.getList(u2.fieldIndex(UserMindStateSchema.RECENT_ITEMS)))
        .as("u2: the oldest of four clicks is cut at N = 3")
        .containsExactly("i9", "i7", "i6");
    assertThat(u2.getList(u2.fieldIndex(UserMindStateSchema.RECENT_CATEGORIES)))
        .as("u2 recent categories, position by position")
        .containsExactly("C", "E", "C");
  }

  @Test
  void daysActiveCarriesOrCountsTheWindow() {
    assertThat(intOf("u1", UserMindStateSchema.DAYS_ACTIVE)).as("u1 new").isEqualTo(1);
    assertThat(intOf("u2", UserMindStateSchema.DAYS_ACTIVE)).as("u2 carried 5 + 1").isEqualTo(6);
    assertThat(intOf("u3", UserMindStateSchema.DAYS_ACTIVE))
        .as("u3: D-1 and D within the window")
        .isEqualTo(2);
    assertThat(intOf("u5", UserMindStateSchema.DAYS_ACTIVE))
        .as("u5: D-3 and D count although neither day had a click")
        .isEqualTo(2);
  }

  @Test
  void protectionPeriodEndsOnDayThree() {
    assertThat(intOf("u1", UserMindStateSchema.DAYS_SINCE_SIGNUP)).as("u1").isEqualTo(0);
    assertThat(intOf("u2", UserMindStateSchema.DAYS_SINCE_SIGNUP)).as("u2").isEqualTo(2);
    assertThat(intOf("u3", UserMindStateSchema.DAYS_SINCE_SIGNUP)).as("u3").isEqualTo(3);
    assertThat(boolOf("u1")).as("day 0 is protected").isTrue();
    assertThat(boolOf("u2")).as("day 2 is protected").isTrue();
    assertThat(boolOf("u3")).as("day 3 is not").isFalse();
  }

  @Test
  void userWithoutClicksHasEmptyAffinity() {
    SparkSession spark = SparkTestSession.get();
    Row only =
        UserMindState.compute(
                frame(
                    spark,
                    List.of(impression("x1", "u9", "i1", "2024-05-10T01:00:00Z", false)),
                    EventsSchema.SCHEMA),
                frame(spark, List.of(item("i1", "A")), ItemsSchema.SCHEMA),
                frame(spark, Collections.emptyList(), UsersSchema.SCHEMA),
                frame(spark, Collections.emptyList(), UserMindStateSchema.SCHEMA),
                RUN_DATE,
                PARAMS)
            .collectAsList()
            .get(0);
    assertThat(javaMap(only, UserMindStateSchema.CATEGORY_AFFINITY)).as("no clicks").isEmpty();
    assertThat(only.<Double>getAs(UserMindStateSchema.EXPLOITATION_SCORE))
        .as("exploitation is 0 without clicks")
        .isEqualTo(0.0);
    assertThat(only.<Double>getAs(UserMindStateSchema.INTEREST_ENTROPY))
        .as("entropy")
        .isEqualTo(0.0);
    assertThat(only.<Double>getAs(UserMindStateSchema.CURIOSITY))
        .as("a day without clicks leaves curiosity at its start")
        .isCloseTo(PARAMS.curiosityPrior(), EPS);
    assertThat(only.<Object>getAs(UserMindStateSchema.DAYS_SINCE_SIGNUP))
        .as("unknown sign-up")
        .isNull();
    assertThat(only.<Boolean>getAs(UserMindStateSchema.IN_PROTECTION_PERIOD))
        .as("unknown sign-up is not protected")
        .isFalse();
  }

  /** The textbook recursion {@code v = (1 - a) v + a x}, to hold the closed form against. */
  private static double recursiveEwma(double start, double rate, double... xs) {
    double value = start;
    for (double x : xs) {
      value = (1 - rate) * value + rate * x;
    }
    return value;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static long longOf(String user, String column) {
    return byUser.get(user).<Long>getAs(column);
  }

  private static int intOf(String user, String column) {
    return byUser.get(user).<Integer>getAs(column);
  }

  private static double doubleOf(String user, String column) {
    return byUser.get(user).<Double>getAs(column);
  }

  private static boolean boolOf(String user) {
    return byUser.get(user).<Boolean>getAs(UserMindStateSchema.IN_PROTECTION_PERIOD);
  }

  private static Row item(String itemId, String category) {
    return RowFactory.create(
        itemId, "creator-" + category, category, ts("2024-01-01T00:00:00Z"), 0.5);
  }

  private static Row user(String userId, String signup) {
    return RowFactory.create(userId, ts(signup));
  }

  private static Row state(
      String userId,
      LocalDate dt,
      double fatigue,
      double satisfaction,
      double curiosity,
      int daysActive) {
    return RowFactory.create(
        userId,
        date(dt),
        1L,
        0L,
        0.0,
        curiosity,
        fatigue,
        satisfaction,
        0,
        0.0,
        Collections.emptyMap(),
        Collections.emptyList(),
        Collections.emptyList(),
        daysActive,
        10,
        false);
  }
}
