package dev.kindling.features.replay;

import static dev.kindling.features.replay.ReplayTestRows.contentState;
import static dev.kindling.features.replay.ReplayTestRows.event;
import static dev.kindling.features.replay.ReplayTestRows.item;
import static dev.kindling.features.replay.ReplayTestRows.oneHotAction;
import static dev.kindling.features.replay.ReplayTestRows.userState;
import static dev.kindling.features.replay.ReplayTestRows.withoutExploreProb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.replay.ReplayTestRows.Outcome;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.features.schema.UserMindStateSchema;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ReplayTransitions} on a hand-checkable day. u1 carries a state from D-1 (affinity A and B)
 * and crosses feed (r1) -> detail (r2) -> search (rn, no action) -> search (r3, a purchase); u2 has
 * no state and one feed request; u3's only request logs an action of the wrong length. Items: i1,
 * i2, i7 are A, i3, i5 are B, i4 is C, i6 is D; on D-1 i2 was cold and i6, i7 did not exist. Built
 * once with T = 2.
 */
class ReplayTransitionsTest {

  private static final LocalDate RUN_DATE = LocalDate.parse("2024-05-10");
  private static final Offset<Double> EPS = offset(1e-6);
  private static final int ACTION_LENGTH = ReplayParams.DEFAULT_ACTION_LENGTH;
  private static final double PURCHASE = 25.0;

  /** Distinct weights so that every reward part identifies its term. */
  private static final RewardWeights WEIGHTS = new RewardWeights(0.5, 1.0, 2.0, 3.0);

  private static final ReplayParams PARAMS =
      ReplayParams.builder().historySteps(2).buckets(8).rewardWeights(WEIGHTS).build();

  private static final List<String> NAMES = ObservationSpec.featureNames(PARAMS.scenarios());
  private static final int OBS_LENGTH = NAMES.size();

  /** Floats of explore_prob at the end of a history block. */
  private static final int EXPLORE_PROB_LENGTH = 1;

  private static final int VECTOR_LENGTH = OBS_LENGTH + ACTION_LENGTH + EXPLORE_PROB_LENGTH;

  private static Dataset<Row> events;
  private static Dataset<Row> items;
  private static Dataset<Row> userStates;
  private static Dataset<Row> contentStates;
  private static ReplayTransitionsResult result;
  private static List<Row> u1;
  private static Row u2;
  private static Row u4;

  @BeforeAll
  static void buildOnce() {
    SparkSession spark = SparkTestSession.get();
    List<Float> a0 = oneHotAction(ACTION_LENGTH, 0);
    List<Float> a1 = oneHotAction(ACTION_LENGTH, 1);
    List<Float> a2 = oneHotAction(ACTION_LENGTH, 2);
    List<Float> a3 = oneHotAction(ACTION_LENGTH, 3);
    Outcome completed = new Outcome(true, true, false, 0.0);
    Outcome shared = new Outcome(true, false, true, 0.0);
    Outcome bought = new Outcome(true, false, false, PURCHASE);
    events =
        spark.createDataFrame(
            List.of(
                event("u1", "r1", "feed", 0, "i1", "2024-05-10T10:00:00Z", completed, 0.5, a0),
                event(
                    "u1", "r1", "feed", 1, "i2", "2024-05-10T10:00:01Z", Outcome.IGNORED, 0.25, a0),
                event("u1", "r2", "detail", 0, "i7", "2024-05-10T10:05:00Z", shared, 0.4, a1),
                event(
                    "u1",
                    "r2",
                    "detail",
                    1,
                    "i6",
                    "2024-05-10T10:05:01Z",
                    Outcome.CLICKED,
                    0.3,
                    a1),
                event(
                    "u1",
                    "r2",
                    "detail",
                    2,
                    "i3",
                    "2024-05-10T10:05:02Z",
                    Outcome.IGNORED,
                    0.2,
                    a1),
                event(
                    "u1",
                    "rn",
                    "search",
                    0,
                    "i4",
                    "2024-05-10T10:07:00Z",
                    Outcome.CLICKED,
                    0.9,
                    null),
                withoutExploreProb(
                    event("u1", "r3", "search", 0, "i5", "2024-05-10T10:10:00Z", bought, 0.6, a2)),
                withoutExploreProb(
                    event(
                        "u1",
                        "r3",
                        "search",
                        1,
                        "i4",
                        "2024-05-10T10:10:01Z",
                        Outcome.IGNORED,
                        0.1,
                        a2)),
                event(
                    "u2", "r9", "feed", 0, "i3", "2024-05-10T23:00:00Z", Outcome.CLICKED, 0.7, a3),
                event(
                    "u3",
                    "r8",
                    "feed",
                    0,
                    "i1",
                    "2024-05-10T12:00:00Z",
                    Outcome.IGNORED,
                    0.7,
                    List.of(1.0f, 0.0f, 0.0f)),
                event(
                    "u4", "r7", "feed", 0, "i1", "2024-05-10T08:00:00Z", Outcome.IGNORED, 0.7, a0),
                // Another day's impression is ignored.
                event(
                    "u1", "r0", "feed", 0, "i1", "2024-05-09T10:00:00Z", Outcome.CLICKED, 0.5, a0)),
            EventsSchema.SCHEMA);
    items =
        spark.createDataFrame(
            List.of(
                item("i1", "A"),
                item("i2", "A"),
                item("i3", "B"),
                item("i4", "C"),
                item("i5", "B"),
                item("i6", "D"),
                item("i7", "A")),
            ItemsSchema.SCHEMA);
    LocalDate dayBefore = RUN_DATE.minusDays(1);
    contentStates =
        spark.createDataFrame(
            List.of(
                contentState("i1", "A", dayBefore, false),
                contentState("i2", "A", dayBefore, true),
                contentState("i3", "B", dayBefore, false),
                contentState("i4", "C", dayBefore, false),
                contentState("i5", "B", dayBefore, false),
                // The run date's own state (an earlier attempt) must not count.
                contentState("i1", "A", RUN_DATE, true)),
            ContentStateSchema.SCHEMA);
    userStates =
        spark.createDataFrame(
            List.of(
                userState(
                    "u1",
                    dayBefore,
                    0.6,
                    0.3,
                    0.2,
                    0.7,
                    2,
                    1.0,
                    Map.of("A", 0.5, "B", 0.5),
                    5,
                    false),
                userState(
                    "u1",
                    RUN_DATE.minusDays(3),
                    0.9,
                    0.9,
                    0.9,
                    0.9,
                    1,
                    0.0,
                    Map.of("D", 1.0),
                    2,
                    true),
                userState("u1", RUN_DATE, 0.1, 0.1, 0.1, 0.1, 9, 3.0, Map.of("D", 1.0), 9, true)),
            UserMindStateSchema.SCHEMA);

    result = ReplayTransitions.build(events, items, userStates, contentStates, RUN_DATE, PARAMS);
    List<Row> rows = result.transitions().collectAsList();
    u1 =
        rows.stream()
            .filter(row -> "u1".equals(row.getAs(ReplaySchema.USER_ID)))
            .sorted(Comparator.comparingInt(row -> row.<Integer>getAs(ReplaySchema.STEP)))
            .collect(Collectors.toList());
    u2 =
        rows.stream()
            .filter(row -> "u2".equals(row.getAs(ReplaySchema.USER_ID)))
            .findFirst()
            .orElseThrow();
    u4 =
        rows.stream()
            .filter(row -> "u4".equals(row.getAs(ReplaySchema.USER_ID)))
            .findFirst()
            .orElseThrow();
    assertThat(rows).as("u1's three kept steps, u2's and u4's one; u3 has none").hasSize(5);
  }

  @Test
  void outputFollowsTheReplaySchemaExactly() {
    assertThat(result.transitions().schema().toDDL())
        .as("names, order, types and nullability of ReplaySchema")
        .isEqualTo(ReplaySchema.SCHEMA.toDDL());
    assertThat(result.transitions().schema())
        .as("the StructType itself")
        .isEqualTo(ReplaySchema.SCHEMA);
  }

  @Test
  void stepsInTimeOrderWithTheirAgents() {
    assertThat(u1.stream().map(row -> row.<String>getAs(ReplaySchema.REQUEST_ID)))
        .as("kept steps in time order; rn (no action) left out")
        .containsExactly("r1", "r2", "r3");
    assertThat(u1.stream().map(row -> row.<Integer>getAs(ReplaySchema.STEP)))
        .as("kept steps renumbered without a gap")
        .containsExactly(0, 1, 2);
    assertThat(u1.stream().map(row -> row.<String>getAs(ReplaySchema.AGENT)))
        .as("agent = the scenario that served the step")
        .containsExactly("feed", "detail", "search");
    assertThat(u1.stream().map(row -> row.<String>getAs(ReplaySchema.EPISODE_ID)))
        .as("one episode per user and day")
        .containsOnly("u1:2024-05-10");
    assertThat(u1.get(0).<java.sql.Timestamp>getAs(ReplaySchema.TS))
        .as("ts = the request's first impression")
        .isEqualTo(ReplayTestRows.ts("2024-05-10T10:00:00Z"));
    assertThat(u1.stream().map(row -> row.<Integer>getAs(ReplaySchema.SLATE_SIZE)))
        .as("slate sizes")
        .containsExactly(2, 3, 2);
  }

  @Test
  void baseRewardIsMaRdpgs() {
    assertThat(u1.stream().map(row -> row.<Double>getAs(ReplaySchema.REWARD_BASE)))
        .as("click -> 1, click -> 1, purchase -> its amount")
        .containsExactly(1.0, 1.0, PURCHASE);
    assertThat(u2.<Double>getAs(ReplaySchema.REWARD_BASE)).as("u2 clicked").isEqualTo(1.0);
  }

  @Test
  void noClickNoPurchaseIsMinusOne() {
    assertThat(u4.<Double>getAs(ReplaySchema.REWARD_BASE))
        .as("neither clicked nor bought")
        .isEqualTo(-1.0);
    assertThat(u4.<Double>getAs(ReplaySchema.REWARD)).as("nothing to shape").isEqualTo(-1.0);
  }

  @Test
  void shapedRewardParts() {
    // r1: completed -> E = 1; i1 was warm -> N = 0; A is in the affinity -> G = 0; first step -> F
    // = 0.
    assertParts(u1.get(0), 0.5, 0.0, 0.0, 0.0, 1.5);
    // r2: shared -> E = 1; i7 and i6 absent on D-1 (brand new) and clicked -> N = 2; D clicked
    // for the first time and not in the affinity -> G = 1 (A was clicked in r1); previous primary
    // A, slate A D B -> F = 1/3.
    assertParts(u1.get(1), 0.5, 2.0, 2.0, -1.0, 1.0 + 0.5 + 2.0 + 2.0 - 1.0);
    // r3: previous step is rn (left out, but lived) with primary C; slate B C -> F = 1/2; B was in
    // the affinity -> G = 0.
    assertParts(u1.get(2), 0.0, 0.0, 0.0, -1.5, PURCHASE - 1.5);
    // u2 has no state: B is a new category for it -> G = 1.
    assertParts(u2, 0.0, 0.0, 2.0, 0.0, 3.0);
  }

  private static void assertParts(
      Row row,
      double engagement,
      double newContent,
      double diversity,
      double fatigue,
      double total) {
    String at = row.getAs(ReplaySchema.REQUEST_ID);
    assertThat(row.<Double>getAs(ReplaySchema.REWARD_ENGAGEMENT))
        .as(at + " engagement")
        .isCloseTo(engagement, EPS);
    assertThat(row.<Double>getAs(ReplaySchema.REWARD_NEW_CONTENT))
        .as(at + " new content")
        .isCloseTo(newContent, EPS);
    assertThat(row.<Double>getAs(ReplaySchema.REWARD_DIVERSITY))
        .as(at + " diversity")
        .isCloseTo(diversity, EPS);
    assertThat(row.<Double>getAs(ReplaySchema.REWARD_FATIGUE))
        .as(at + " fatigue")
        .isCloseTo(fatigue, EPS);
    assertThat(row.<Double>getAs(ReplaySchema.REWARD))
        .as(at + " reward = sum of parts")
        .isCloseTo(total, EPS);
  }

  @Test
  void daySoFarUsesEarlierStepsOnly() {
    // Per kept step: steps, impressions, clicks, click rate, categories seen, same-category run.
    assertDaySoFar(u1.get(0), 0, 0, 0, 0.0, 0, 0);
    assertDaySoFar(u1.get(1), 1, 2, 1, 0.5, 1, 1);
    // rn (left out) counts: 3 earlier steps, 2 + 3 + 1 impressions, 1 + 2 + 1 clicks, A D B C;
    // rn's primary C differs from r2's A -> run 1.
    assertDaySoFar(u1.get(2), 3, 6, 4, 4.0 / 6.0, 4, 1);
    assertDaySoFar(u2, 0, 0, 0, 0.0, 0, 0);
  }

  private static void assertDaySoFar(
      Row row, int steps, int impressions, int clicks, double rate, int categories, int run) {
    String at = row.getAs(ReplaySchema.REQUEST_ID);
    assertThat(feature(row, ObservationSpec.STEPS_SO_FAR))
        .as(at + " steps so far")
        .isCloseTo(steps, EPS);
    assertThat(feature(row, ObservationSpec.IMPRESSIONS_SO_FAR))
        .as(at + " impressions so far")
        .isCloseTo(impressions, EPS);
    assertThat(feature(row, ObservationSpec.CLICKS_SO_FAR))
        .as(at + " clicks so far")
        .isCloseTo(clicks, EPS);
    assertThat(feature(row, ObservationSpec.CLICK_RATE_SO_FAR))
        .as(at + " click rate so far")
        .isCloseTo(rate, EPS);
    assertThat(feature(row, ObservationSpec.CATEGORIES_SEEN_SO_FAR))
        .as(at + " categories seen so far")
        .isCloseTo(categories, EPS);
    assertThat(feature(row, ObservationSpec.SAME_CATEGORY_RUN))
        .as(at + " same-category run")
        .isCloseTo(run, EPS);
  }

  @Test
  void startOfDayStateFromTheDayBeforeAndPriorsWhenAbsent() {
    Row first = u1.get(0);
    assertThat(feature(first, ObservationSpec.HAS_STATE)).as("u1 has a state").isCloseTo(1.0, EPS);
    assertThat(feature(first, ObservationSpec.EXPLOITATION_SCORE))
        .as("D-1's, not D-3's or D's")
        .isCloseTo(0.6, EPS);
    assertThat(feature(first, ObservationSpec.CURIOSITY)).as("curiosity").isCloseTo(0.3, EPS);
    assertThat(feature(first, ObservationSpec.FATIGUE)).as("fatigue").isCloseTo(0.2, EPS);
    assertThat(feature(first, ObservationSpec.SATISFACTION)).as("satisfaction").isCloseTo(0.7, EPS);
    assertThat(feature(first, ObservationSpec.INTEREST_BREADTH)).as("breadth").isCloseTo(2.0, EPS);
    assertThat(feature(first, ObservationSpec.INTEREST_ENTROPY)).as("entropy").isCloseTo(1.0, EPS);
    assertThat(feature(first, ObservationSpec.LOG_DAYS_ACTIVE))
        .as("log1p(5)")
        .isCloseTo(Math.log1p(5), EPS);
    assertThat(feature(first, ObservationSpec.IN_PROTECTION_PERIOD))
        .as("not protected")
        .isCloseTo(0.0, EPS);
    assertThat(feature(u1.get(2), ObservationSpec.FATIGUE))
        .as("the start-of-day state stays the same all day")
        .isCloseTo(0.2, EPS);

    assertThat(feature(u2, ObservationSpec.HAS_STATE)).as("u2 has no state").isCloseTo(0.0, EPS);
    assertThat(feature(u2, ObservationSpec.CURIOSITY))
        .as("curiosity prior")
        .isCloseTo(PARAMS.curiosityPrior(), EPS);
    assertThat(feature(u2, ObservationSpec.SATISFACTION))
        .as("satisfaction prior")
        .isCloseTo(PARAMS.satisfactionPrior(), EPS);
    assertThat(feature(u2, ObservationSpec.EXPLOITATION_SCORE)).as("zero").isCloseTo(0.0, EPS);
    assertThat(feature(u2, ObservationSpec.LOG_DAYS_ACTIVE)).as("zero").isCloseTo(0.0, EPS);
  }

  @Test
  void scenarioOneHotAndTimeOfDay() {
    Row detail = u1.get(1);
    assertThat(feature(detail, ObservationSpec.scenarioFeature("detail")))
        .as("detail hot")
        .isCloseTo(1.0, EPS);
    assertThat(feature(detail, ObservationSpec.scenarioFeature("feed")))
        .as("feed cold")
        .isCloseTo(0.0, EPS);
    assertThat(feature(detail, ObservationSpec.scenarioFeature("search")))
        .as("search cold")
        .isCloseTo(0.0, EPS);
    double angle = 2 * Math.PI * (10 * 3600 + 5 * 60) / 86_400.0;
    assertThat(feature(detail, ObservationSpec.HOUR_SIN))
        .as("sin of 10:05")
        .isCloseTo(Math.sin(angle), EPS);
    assertThat(feature(detail, ObservationSpec.HOUR_COS))
        .as("cos of 10:05")
        .isCloseTo(Math.cos(angle), EPS);
    assertThat(obs(detail, ReplaySchema.OBS)).as("fixed length").hasSize(OBS_LENGTH);
  }

  @Test
  void historyIsThePreviousStepsFrontPadded() {
    List<Float> v0 = vector(u1.get(0));
    List<Float> v1 = vector(u1.get(1));
    List<Float> v2 = vector(u1.get(2));
    List<Float> padding = Collections.nCopies(VECTOR_LENGTH, 0.0f);

    assertThat(obs(u1.get(0), ReplaySchema.HISTORY))
        .as("step 0: all padding")
        .isEqualTo(concat(padding, padding));
    assertThat(obs(u1.get(1), ReplaySchema.HISTORY))
        .as("step 1: padding then step 0")
        .isEqualTo(concat(padding, v0));
    assertThat(obs(u1.get(2), ReplaySchema.HISTORY))
        .as("step 2: steps 0 and 1, oldest first")
        .isEqualTo(concat(v0, v1));
    assertThat(VECTOR_LENGTH)
        .as("block length")
        .isEqualTo(ReplayTransitions.historyBlockLength(PARAMS));
    assertThat(v0.get(VECTOR_LENGTH - 1))
        .as("a block ends with the logged explore_prob")
        .isEqualTo((float) ReplayTestRows.LOGGED_EXPLORE_PROB);
    assertThat(u1.get(2).<Double>getAs(ReplaySchema.EXPLORE_PROB)).as("r3 unlogged").isNull();
    assertThat(v2.get(VECTOR_LENGTH - 1))
        .as("an unlogged explore_prob enters the history as the constant")
        .isEqualTo(ReplayTransitions.UNLOGGED_EXPLORE_PROB);
    assertThat(u1.stream().map(row -> row.<Integer>getAs(ReplaySchema.HISTORY_LENGTH)))
        .as("history lengths")
        .containsExactly(0, 1, 2);
    assertThat(obs(u1.get(2), ReplaySchema.NEXT_HISTORY))
        .as("after the last step: steps 1 and 2")
        .isEqualTo(concat(v1, v2));
    for (int step = 0; step < 2; step++) {
      assertThat(obs(u1.get(step), ReplaySchema.NEXT_HISTORY))
          .as("next_history of step %d = history of step %d", step, step + 1)
          .isEqualTo(obs(u1.get(step + 1), ReplaySchema.HISTORY));
    }
  }

  @Test
  void nextObservationAndDone() {
    for (int step = 0; step < 2; step++) {
      assertThat(obs(u1.get(step), ReplaySchema.NEXT_OBS))
          .as("next_obs of step %d = obs of step %d", step, step + 1)
          .isEqualTo(obs(u1.get(step + 1), ReplaySchema.OBS));
      assertThat(u1.get(step).<Boolean>getAs(ReplaySchema.DONE)).as("not done").isFalse();
    }
    assertThat(u1.stream().map(row -> row.<String>getAs(ReplaySchema.NEXT_AGENT)))
        .as("next agents; null when done")
        .containsExactly("detail", "search", null);
    Row last = u1.get(2);
    assertThat(last.<Boolean>getAs(ReplaySchema.DONE)).as("last step done").isTrue();
    assertThat(obs(last, ReplaySchema.NEXT_OBS))
        .as("zeros when done")
        .containsOnly(0.0f)
        .hasSize(OBS_LENGTH);
    assertThat(u2.<Boolean>getAs(ReplaySchema.DONE)).as("a one-step episode is done").isTrue();
  }

  @Test
  void actionPropensitiesAndExploration() {
    assertThat(obs(u1.get(1), ReplaySchema.ACTION))
        .as("logged weights")
        .isEqualTo(oneHotAction(ACTION_LENGTH, 1));
    assertThat(u1.get(1).<Double>getList(u1.get(1).fieldIndex(ReplaySchema.PROPENSITIES)))
        .as("propensities in position order")
        .containsExactly(0.4, 0.3, 0.2);
    assertThat(u1.get(1).<Double>getAs(ReplaySchema.EXPLORE_PROB))
        .as("explore_prob")
        .isEqualTo(0.1);
    assertThat(u1.get(1).<Boolean>getAs(ReplaySchema.EXPLORE)).as("explore").isFalse();
  }

  @Test
  void bucketsInRangeAndStablePerUser() {
    List<Row> rows = result.transitions().collectAsList();
    assertThat(rows.stream().map(row -> row.<Integer>getAs(ReplaySchema.BUCKET)))
        .as("bucket in [0, N)")
        .allMatch(bucket -> bucket >= 0 && bucket < PARAMS.buckets());
    assertThat(u1.stream().map(row -> row.<Integer>getAs(ReplaySchema.BUCKET)).distinct())
        .as("one bucket per user")
        .hasSize(1);
  }

  @Test
  void leftOutStepsAreCounted() {
    assertThat(result.steps()).as("u1 4 + u2 1 + u3 1 + u4 1 requests on D").isEqualTo(7);
    assertThat(result.stepsWithoutAction()).as("rn").isEqualTo(1);
    assertThat(result.stepsWithWrongActionLength()).as("u3's 3-weight action").isEqualTo(1);
    assertThat(result.keptSteps()).as("kept").isEqualTo(5);
  }

  @Test
  void noLoggedActionAtAllFailsNamingTheColumn() {
    Dataset<Row> withoutActions =
        events.withColumn(
            EventsSchema.ACTION,
            functions.lit(null).cast(EventsSchema.typeOf(EventsSchema.ACTION)));
    assertThatThrownBy(
            () ->
                ReplayTransitions.build(
                    withoutActions, items, userStates, contentStates, RUN_DATE, PARAMS))
        .as("every action null")
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("'action'")
        .hasMessageContaining("replay stage")
        .hasMessageContaining("Fix:");
    assertThatThrownBy(
            () ->
                ReplayTransitions.build(
                    events.drop(EventsSchema.ACTION),
                    items,
                    userStates,
                    contentStates,
                    RUN_DATE,
                    PARAMS))
        .as("column absent")
        .isInstanceOf(ReplayInputException.class)
        .hasMessageContaining("no column 'action'")
        .hasMessageContaining("replay stage");
  }

  @Test
  void emptyStatesGivePriorsEverywhere() {
    ReplayTransitionsResult bare =
        ReplayTransitions.build(
            events, items, userStates.limit(0), contentStates.limit(0), RUN_DATE, PARAMS);
    List<Row> rows = bare.transitions().collectAsList();
    assertThat(rows).as("same steps").hasSize(5);
    assertThat(rows.stream().map(row -> feature(row, ObservationSpec.HAS_STATE)))
        .as("no user has a state")
        .containsOnly(0.0);
    Row r1 =
        rows.stream()
            .filter(row -> "r1".equals(row.getAs(ReplaySchema.REQUEST_ID)))
            .findFirst()
            .orElseThrow();
    assertThat(r1.<Double>getAs(ReplaySchema.REWARD_NEW_CONTENT))
        .as("without a content state every item is brand new: i1's click counts")
        .isCloseTo(1.0, EPS);
  }

  @Test
  void reRunningGivesIdenticalRows() {
    Dataset<Row> shuffled =
        events.repartition(3).sortWithinPartitions(functions.col(EventsSchema.EVENT_ID).desc());
    Dataset<Row> again =
        ReplayTransitions.build(shuffled, items, userStates, contentStates, RUN_DATE, PARAMS)
            .transitions();
    assertThat(sorted(again.collectAsList()))
        .as("identical rows, whatever the input's partitioning and order")
        .isEqualTo(sorted(result.transitions().collectAsList()));
  }

  private static List<Row> sorted(List<Row> rows) {
    return rows.stream()
        .sorted(
            Comparator.comparing((Row row) -> row.<String>getAs(ReplaySchema.USER_ID))
                .thenComparing(row -> row.<Integer>getAs(ReplaySchema.STEP)))
        .toList();
  }

  private static double feature(Row row, String name) {
    return obs(row, ReplaySchema.OBS).get(NAMES.indexOf(name));
  }

  private static List<Float> obs(Row row, String column) {
    return row.getList(row.fieldIndex(column));
  }

  /** A step's history block: obs, action weights, explore_prob (unlogged as the constant). */
  private static List<Float> vector(Row row) {
    Double exploreProb = row.getAs(ReplaySchema.EXPLORE_PROB);
    float logged =
        exploreProb == null ? ReplayTransitions.UNLOGGED_EXPLORE_PROB : exploreProb.floatValue();
    return concat(
        concat(obs(row, ReplaySchema.OBS), obs(row, ReplaySchema.ACTION)), List.of(logged));
  }

  private static List<Float> concat(List<Float> first, List<Float> second) {
    List<Float> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
