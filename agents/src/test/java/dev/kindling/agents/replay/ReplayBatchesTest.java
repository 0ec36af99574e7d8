package dev.kindling.agents.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcRoundResult;
import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.features.replay.ReplayTransitions;
import dev.kindling.features.schema.ReplaySchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link ReplayBatches} on hand-built rows of {@link ReplaySchema#SCHEMA}: three observation
 * features (one with std 0), six weights, T = 2, agents feed and search.
 */
class ReplayBatchesTest {

  private static final List<String> SCENARIOS = List.of("feed", "search");
  private static final List<String> FEATURES = List.of("f0", "f1", "f2");
  private static final double[] MEANS = {1.0, -1.0, 0.0};
  private static final double[] STDS = {2.0, 0.0, 0.5};
  private static final int OBS = FEATURES.size();
  private static final int ACTION = 6;
  private static final int STEPS = 2;
  private static final long SEED = 7L;
  private static final NetworkShape SHAPE =
      NetworkShape.of(OBS, ACTION, STEPS, SCENARIOS.size(), SEED);
  private static final int FEATURES_PER_STEP = SHAPE.historyFeatures();
  private static final int RANDOM_ROWS = 16;
  private static final double TOLERANCE = 1e-6;
  private static final double EXPLORE_PROB = 0.2;

  private static ReplayBatches batches;

  @BeforeAll
  static void converter() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    batches = new ReplayBatches(SHAPE, SCENARIOS, normaliser());
  }

  static ObservationNormaliser normaliser() {
    List<Row> spec = new ArrayList<>();
    for (int position = OBS - 1; position >= 0; position--) {
      spec.add(
          RowFactory.create(FEATURES.get(position), position, MEANS[position], STDS[position]));
    }
    return ObservationNormaliser.fromFeatureSpec(spec, FEATURES);
  }

  /** A replay row in ReplaySchema.SCHEMA order; the columns the conversion ignores are fillers. */
  static Row replayRow(
      String requestId,
      String agent,
      List<Float> obs,
      List<Float> history,
      List<Float> action,
      Double exploreProb,
      double reward,
      List<Float> nextObs,
      List<Float> nextHistory,
      String nextAgent,
      boolean done) {
    return RowFactory.create(
        Date.valueOf("2024-05-10"),
        0,
        "u",
        "u:2024-05-10",
        0,
        requestId,
        agent,
        new Timestamp(0L),
        obs,
        history,
        0,
        action,
        exploreProb,
        false,
        reward,
        reward,
        0.0,
        0.0,
        0.0,
        0.0,
        nextObs,
        nextHistory,
        nextAgent,
        done,
        List.of(),
        1);
  }

  /** {@code count} values {@code start, start + 1, ...}. */
  static List<Float> counting(float start, int count) {
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(start + i);
    }
    return values;
  }

  private static double normalised(int feature, double value) {
    double centred = value - MEANS[feature];
    return STDS[feature] == 0.0 ? centred : centred / STDS[feature];
  }

  private static final List<Float> FIRST_OBS = List.of(3.0f, 4.0f, 5.0f);
  private static final List<Float> NEXT_OBS = List.of(6.0f, 7.0f, 8.0f);
  private static final List<Float> WEIGHTS = List.of(0.5f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f);

  private static Row first() {
    return replayRow(
        "r1",
        "search",
        FIRST_OBS,
        counting(100.0f, STEPS * FEATURES_PER_STEP),
        WEIGHTS,
        EXPLORE_PROB,
        1.5,
        NEXT_OBS,
        counting(200.0f, STEPS * FEATURES_PER_STEP),
        "feed",
        false);
  }

  private static Row last() {
    return replayRow(
        "r2",
        "feed",
        List.of(6.0f, 7.0f, 8.0f),
        counting(200.0f, STEPS * FEATURES_PER_STEP),
        WEIGHTS,
        null,
        -1.0,
        List.of(0.0f, 0.0f, 0.0f),
        counting(300.0f, STEPS * FEATURES_PER_STEP),
        null,
        true);
  }

  @Test
  void shapesMatchTheNetworkShape() {
    TransitionBatch batch = batches.toBatch(List.of(first(), last()));
    batch.requireShape(SHAPE);
    assertThat(batch.size()).as("one transition per row").isEqualTo(2);
  }

  @Test
  void historyIsReshapedStepByStepWithItsObservationPartNormalised() {
    TransitionBatch batch = batches.toBatch(List.of(first(), last()));
    float[][] starts = {{100.0f, 200.0f}, {200.0f, 300.0f}};
    for (int row = 0; row < 2; row++) {
      for (int step = 0; step < STEPS; step++) {
        for (int feature = 0; feature < FEATURES_PER_STEP; feature++) {
          int flat = step * FEATURES_PER_STEP + feature;
          double raw = starts[row][0] + flat;
          double nextRaw = starts[row][1] + flat;
          double expected = feature < OBS ? normalised(feature, raw) : raw;
          double expectedNext = feature < OBS ? normalised(feature, nextRaw) : nextRaw;
          assertThat(batch.history().getDouble(row, feature, step))
              .as("history[%d, %d, %d] = flat[%d]", row, feature, step, flat)
              .isCloseTo(expected, within(TOLERANCE));
          assertThat(batch.nextHistory().getDouble(row, feature, step))
              .as("nextHistory[%d, %d, %d] = flat[%d]", row, feature, step, flat)
              .isCloseTo(expectedNext, within(TOLERANCE));
        }
      }
    }
  }

  @Test
  void observationsAreNormalisedAndAConstantFeatureOnlyCentred() {
    TransitionBatch batch = batches.toBatch(List.of(first()));
    assertThat(batch.observation().toDoubleVector())
        .as("(x - mean) / std, std 0 -> x - mean")
        .containsExactly(new double[] {1.0, 5.0, 10.0}, within(TOLERANCE));
    assertThat(batch.nextObservation().toDoubleVector())
        .as("next_obs alike")
        .containsExactly(new double[] {2.5, 8.0, 16.0}, within(TOLERANCE));
  }

  @Test
  void actionIsTheWeightsThenExploreProb() {
    TransitionBatch batch = batches.toBatch(List.of(first(), last()));
    double[] expected = new double[SHAPE.jointActionSize()];
    for (int i = 0; i < ACTION; i++) {
      expected[i] = WEIGHTS.get(i);
    }
    expected[ACTION] = EXPLORE_PROB;
    assertThat(batch.action().getRow(0).toDoubleVector())
        .as("logged explore_prob last")
        .containsExactly(expected, within(TOLERANCE));
    expected[ACTION] = ReplayTransitions.UNLOGGED_EXPLORE_PROB;
    assertThat(batch.action().getRow(1).toDoubleVector())
        .as("unlogged explore_prob as in the history blocks")
        .containsExactly(expected, within(TOLERANCE));
    assertThat(batch.reward().toDoubleVector())
        .as("rewards")
        .containsExactly(new double[] {1.5, -1.0}, within(TOLERANCE));
  }

  @Test
  void agentsAreOneHotInScenarioOrderAndDoneHasNoNextAgent() {
    TransitionBatch batch = batches.toBatch(List.of(first(), last()));
    assertThat(batch.agent().toDoubleMatrix())
        .as("search is agent 1, feed agent 0")
        .isEqualTo(new double[][] {{0.0, 1.0}, {1.0, 0.0}});
    assertThat(batch.nextAgent().toDoubleMatrix())
        .as("next agent feed, then none")
        .isEqualTo(new double[][] {{1.0, 0.0}, {0.0, 0.0}});
    assertThat(batch.done().toDoubleVector()).as("done").containsExactly(0.0, 1.0);
  }

  @Test
  void rowsThatDoNotFitFailNamingTheProblem() {
    Row shortObs =
        replayRow(
            "bad-obs",
            "feed",
            List.of(1.0f, 2.0f),
            counting(100.0f, STEPS * FEATURES_PER_STEP),
            WEIGHTS,
            null,
            0.0,
            NEXT_OBS,
            counting(200.0f, STEPS * FEATURES_PER_STEP),
            "feed",
            false);
    assertThatThrownBy(() -> batches.toBatch(List.of(shortObs)))
        .as("wrong obs length")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad-obs")
        .hasMessageContaining(ReplaySchema.OBS + " has 2 values, expected 3");
    Row unknown =
        replayRow(
            "bad-agent",
            "video",
            FIRST_OBS,
            counting(100.0f, STEPS * FEATURES_PER_STEP),
            WEIGHTS,
            null,
            0.0,
            NEXT_OBS,
            counting(200.0f, STEPS * FEATURES_PER_STEP),
            "feed",
            false);
    assertThatThrownBy(() -> batches.toBatch(List.of(unknown)))
        .as("unknown agent")
        .hasMessageContaining("'video', not one of the scenarios [feed, search]");
    Row shortHistory =
        replayRow(
            "bad-history",
            "feed",
            FIRST_OBS,
            counting(0.0f, FEATURES_PER_STEP),
            WEIGHTS,
            null,
            0.0,
            NEXT_OBS,
            counting(200.0f, STEPS * FEATURES_PER_STEP),
            "feed",
            false);
    assertThatThrownBy(() -> batches.toBatch(List.of(shortHistory)))
        .as("history not T * historyFeatures")
        .hasMessageContaining(
            ReplaySchema.HISTORY + " has 10 values, expected T * historyFeatures");
    Row lostNext =
        replayRow(
            "no-next",
            "feed",
            FIRST_OBS,
            counting(100.0f, STEPS * FEATURES_PER_STEP),
            WEIGHTS,
            null,
            0.0,
            NEXT_OBS,
            counting(200.0f, STEPS * FEATURES_PER_STEP),
            null,
            false);
    assertThatThrownBy(() -> batches.toBatch(List.of(lostNext)))
        .as("null next_agent on a step that is not done")
        .hasMessageContaining(ReplaySchema.NEXT_AGENT + " is null on a step that is not done");
    assertThatThrownBy(() -> batches.toBatch(List.of()))
        .as("no rows")
        .hasMessageContaining("no replay rows");
  }

  @Test
  void featureSpecMustMatchTheObservationLayout() {
    List<Row> renamed = new ArrayList<>();
    for (int position = 0; position < OBS; position++) {
      renamed.add(RowFactory.create("g" + position, position, 0.0, 1.0));
    }
    assertThatThrownBy(() -> ObservationNormaliser.fromFeatureSpec(renamed, FEATURES))
        .as("names differ")
        .hasMessageContaining("'g0' but the observation has 'f0'");
    assertThatThrownBy(
            () -> new ReplayBatches(SHAPE, List.of("feed", "search", "detail"), normaliser()))
        .as("agents differ")
        .hasMessageContaining("2 agents");
  }

  @Test
  void aConvertedBatchRunsOneFiniteRound() {
    Random random = new Random(SEED);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < RANDOM_ROWS; i++) {
      boolean done = i % SCENARIOS.size() == 1;
      rows.add(
          replayRow(
              "r" + i,
              SCENARIOS.get(i % SCENARIOS.size()),
              gaussian(random, OBS),
              gaussian(random, STEPS * FEATURES_PER_STEP),
              WEIGHTS,
              EXPLORE_PROB,
              random.nextGaussian(),
              gaussian(random, OBS),
              gaussian(random, STEPS * FEATURES_PER_STEP),
              done ? null : SCENARIOS.get(random.nextInt(SCENARIOS.size())),
              done));
    }
    TransitionBatch batch = batches.toBatch(rows.iterator());
    batch.requireShape(SHAPE);
    Td3BcRoundResult result = LocalTd3BcStep.create(SHAPE, Td3BcConfig.defaults()).round(batch);
    assertThat(result.transitions()).as("every row trained on").isEqualTo(RANDOM_ROWS);
    assertThat(List.of(result.criticLoss1(), result.criticLoss2(), result.actorLoss()))
        .as("finite losses")
        .allSatisfy(loss -> assertThat(loss).isFinite());
  }

  private static List<Float> gaussian(Random random, int count) {
    List<Float> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add((float) random.nextGaussian());
    }
    return values;
  }
}
