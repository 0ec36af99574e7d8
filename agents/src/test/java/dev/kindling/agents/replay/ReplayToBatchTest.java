package dev.kindling.agents.replay;

import static dev.kindling.features.replay.ReplayTestRows.event;
import static dev.kindling.features.replay.ReplayTestRows.item;
import static dev.kindling.features.replay.ReplayTestRows.oneHotAction;
import static dev.kindling.features.replay.ReplayTestRows.withoutExploreProb;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcRoundResult;
import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.replay.ReplayParams;
import dev.kindling.features.replay.ReplayTestRows;
import dev.kindling.features.replay.ReplayTestRows.Outcome;
import dev.kindling.features.replay.ReplayTransitions;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.features.schema.UserMindStateSchema;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The replay stage's rows, straight from {@link ReplayTransitions#build} on a tiny inline day, fit
 * the networks: the history layout the replay writes is the one {@link ReplayBatches} reads, and
 * one TD3+BC round runs on the result. u1 crosses feed -> search -> feed (the last without a logged
 * explore_prob); u2 has one detail request.
 */
class ReplayToBatchTest {

  private static final LocalDate RUN_DATE = LocalDate.parse("2024-05-10");
  private static final int STEPS = 2;
  private static final long SEED = 11L;
  private static final double TOLERANCE = 1e-5;
  private static final ReplayParams PARAMS =
      ReplayParams.builder().historySteps(STEPS).buckets(1).build();

  @Test
  void replayRowsBecomeABatchThatTrains() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    SparkSession spark = SparkTestSession.get();
    int actionLength = PARAMS.actionLength();
    Dataset<Row> events =
        spark.createDataFrame(
            List.of(
                event(
                    "u1",
                    "r1",
                    "feed",
                    0,
                    "i1",
                    "2024-05-10T10:00:00Z",
                    Outcome.CLICKED,
                    0.5,
                    oneHotAction(actionLength, 0)),
                event(
                    "u1",
                    "r2",
                    "search",
                    0,
                    "i2",
                    "2024-05-10T10:05:00Z",
                    Outcome.IGNORED,
                    0.4,
                    oneHotAction(actionLength, 1)),
                withoutExploreProb(
                    event(
                        "u1",
                        "r3",
                        "feed",
                        0,
                        "i1",
                        "2024-05-10T10:09:00Z",
                        Outcome.CLICKED,
                        0.3,
                        oneHotAction(actionLength, 2))),
                event(
                    "u2",
                    "r4",
                    "detail",
                    0,
                    "i2",
                    "2024-05-10T18:00:00Z",
                    Outcome.IGNORED,
                    0.6,
                    oneHotAction(actionLength, 3))),
            EventsSchema.SCHEMA);
    Dataset<Row> items =
        spark.createDataFrame(List.of(item("i1", "A"), item("i2", "B")), ItemsSchema.SCHEMA);
    Dataset<Row> noUsers = spark.createDataFrame(List.of(), UserMindStateSchema.SCHEMA);
    Dataset<Row> noContent = spark.createDataFrame(List.of(), ContentStateSchema.SCHEMA);

    Dataset<Row> replay =
        ReplayTransitions.build(events, items, noUsers, noContent, RUN_DATE, PARAMS)
            .transitions()
            .cache();
    List<String> names = ObservationSpec.featureNames(PARAMS.scenarios());
    List<Row> spec = ObservationSpec.statistics(replay, names).collectAsList();
    List<Row> rows =
        replay.collectAsList().stream()
            .sorted(
                Comparator.comparing((Row row) -> row.<String>getAs(ReplaySchema.USER_ID))
                    .thenComparing(row -> row.<Integer>getAs(ReplaySchema.STEP)))
            .toList();
    replay.unpersist();

    NetworkShape shape =
        NetworkShape.of(
            names.size(), actionLength, PARAMS.historySteps(), PARAMS.scenarios().size(), SEED);
    ObservationNormaliser normaliser = ObservationNormaliser.fromFeatureSpec(spec, names);
    TransitionBatch batch = new ReplayBatches(shape, PARAMS.scenarios(), normaliser).toBatch(rows);
    batch.requireShape(shape);
    assertThat(ReplayTransitions.historyBlockLength(PARAMS))
        .as("a replay history block is a network history step")
        .isEqualTo(shape.historyFeatures());

    // u1's third step (row 2) sees steps 1 and 2 (rows 0, 1) as its history, oldest first: each
    // block is the earlier step's normalised observation and its joint action.
    int third = 2;
    for (int step = 0; step < STEPS; step++) {
      for (int feature = 0; feature < shape.observationSize(); feature++) {
        assertThat(batch.history().getDouble(third, feature, step))
            .as("history step %d, observation feature %d", step, feature)
            .isCloseTo(batch.observation().getDouble(step, feature), within(TOLERANCE));
      }
      for (int joint = 0; joint < shape.jointActionSize(); joint++) {
        assertThat(batch.history().getDouble(third, shape.observationSize() + joint, step))
            .as("history step %d, joint action %d", step, joint)
            .isCloseTo(batch.action().getDouble(step, joint), within(TOLERANCE));
      }
    }
    assertThat(batch.action().getDouble(1, actionLength))
        .as("logged explore_prob")
        .isCloseTo(ReplayTestRows.LOGGED_EXPLORE_PROB, within(TOLERANCE));
    assertThat(batch.action().getDouble(third, actionLength))
        .as("unlogged explore_prob")
        .isCloseTo(ReplayTransitions.UNLOGGED_EXPLORE_PROB, within(TOLERANCE));
    assertThat(batch.done().toDoubleVector())
        .as("u1's last step and u2's only step end their episodes")
        .containsExactly(0.0, 0.0, 1.0, 1.0);

    Td3BcRoundResult result = LocalTd3BcStep.create(shape, Td3BcConfig.defaults()).round(batch);
    assertThat(List.of(result.criticLoss1(), result.criticLoss2(), result.actorLoss()))
        .as("finite losses")
        .allSatisfy(loss -> assertThat(loss).isFinite());
  }
}
