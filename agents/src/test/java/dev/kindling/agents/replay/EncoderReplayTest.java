package dev.kindling.agents.replay;

import static dev.kindling.features.replay.ReplayTestRows.event;
import static dev.kindling.features.replay.ReplayTestRows.item;
import static dev.kindling.features.replay.ReplayTestRows.oneHotAction;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.nets.EncoderBatch;
import dev.kindling.agents.nets.EncoderProbe;
import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.serving.SequenceInputs;
import dev.kindling.agents.serving.SequenceInputs.Interaction;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.replay.ReplayParams;
import dev.kindling.features.replay.ReplayTestRows.Outcome;
import dev.kindling.features.replay.ReplayTransitions;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.features.schema.UserMindStateSchema;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link EncoderReplay} on a tiny two-day log, against {@link SequenceInputs} fed by hand with the
 * impressions each step should see. u1 has three impressions the day before and three requests on
 * the run date; u2 has one request and no earlier impression. N = 2, so u1's older impressions
 * reach the summary.
 */
class EncoderReplayTest {

  private static final LocalDate RUN_DATE = LocalDate.parse("2024-05-10");
  private static final ReplayParams PARAMS =
      ReplayParams.builder().historySteps(2).buckets(2).build();
  private static final EncoderShape SHAPE = new EncoderShape(2, 2, 1, 4, 3);
  private static final Outcome COMPLETED = new Outcome(true, true, false, 0.0);

  private static SparkSession spark;
  private static List<Row> rows;
  private static SequenceInputs inputs;

  @BeforeAll
  static void build() {
    spark = SparkTestSession.get();
    int a = PARAMS.actionLength();
    Dataset<Row> events =
        spark.createDataFrame(
            List.of(
                event("u1", "p1", "feed", 0, "i1", "2024-05-09T20:00:00Z", COMPLETED, 0.5, null),
                event(
                    "u1",
                    "p1",
                    "feed",
                    1,
                    "i3",
                    "2024-05-09T20:00:00Z",
                    Outcome.IGNORED,
                    0.5,
                    null),
                event(
                    "u1",
                    "p2",
                    "feed",
                    0,
                    "i2",
                    "2024-05-09T22:00:00Z",
                    Outcome.CLICKED,
                    0.5,
                    null),
                event(
                    "u1",
                    "r1",
                    "feed",
                    0,
                    "i1",
                    "2024-05-10T10:00:00Z",
                    Outcome.CLICKED,
                    0.5,
                    oneHotAction(a, 0)),
                event(
                    "u1",
                    "r2",
                    "search",
                    0,
                    "i2",
                    "2024-05-10T10:05:00Z",
                    Outcome.IGNORED,
                    0.4,
                    oneHotAction(a, 1)),
                event(
                    "u1",
                    "r3",
                    "feed",
                    0,
                    "i4",
                    "2024-05-10T10:09:00Z",
                    COMPLETED,
                    0.3,
                    oneHotAction(a, 2)),
                event(
                    "u2",
                    "r4",
                    "detail",
                    0,
                    "i2",
                    "2024-05-10T18:00:00Z",
                    Outcome.IGNORED,
                    0.6,
                    oneHotAction(a, 3)),
                // u3's first request logged no action: left out of the replay, not of the inputs.
                event("u3", "p3", "feed", 0, "i4", "2024-05-10T08:00:00Z", COMPLETED, 0.5, null),
                event(
                    "u3",
                    "r5",
                    "feed",
                    0,
                    "i1",
                    "2024-05-10T09:00:00Z",
                    Outcome.IGNORED,
                    0.5,
                    oneHotAction(a, 0))),
            EventsSchema.SCHEMA);
    Dataset<Row> items =
        spark.createDataFrame(
            List.of(item("i1", "A"), item("i2", "B"), item("i3", "A"), item("i4", "B")),
            ItemsSchema.SCHEMA);
    Dataset<Row> transitions =
        ReplayTransitions.build(
                events,
                items,
                spark.createDataFrame(List.of(), UserMindStateSchema.SCHEMA),
                spark.createDataFrame(List.of(), ContentStateSchema.SCHEMA),
                RUN_DATE,
                PARAMS)
            .transitions();
    // i4 has no vector (published after the table's date): it reads as zeros.
    Map<String, float[]> vectors = new HashMap<>();
    vectors.put("i1", new float[] {1f, 0f});
    vectors.put("i2", new float[] {0f, 1f});
    vectors.put("i3", new float[] {0.6f, 0.8f});
    Broadcast<Map<String, float[]>> broadcast =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(vectors);
    Dataset<Row> filled = EncoderReplay.withInputs(transitions, events, broadcast, SHAPE);
    assertThat(filled.schema()).as("the replay schema, unchanged").isEqualTo(ReplaySchema.SCHEMA);
    rows =
        filled.collectAsList().stream()
            .sorted(
                Comparator.comparing((Row row) -> row.<String>getAs(ReplaySchema.USER_ID))
                    .thenComparing(row -> row.<Integer>getAs(ReplaySchema.STEP)))
            .toList();
    inputs = new SequenceInputs(SHAPE, vectors::get);
  }

  @Test
  void eachStepSeesTheImpressionsStrictlyBeforeItNewestFirst() {
    assertThat(rows).as("u1's three steps, u2's and u3's one").hasSize(5);
    // r1 at 10:00 on the run date sees the day before's three impressions; of p1's two, the one
    // at the lower position counts as seen first.
    List<Interaction> beforeR1 =
        List.of(
            new Interaction("i2", true, false, hours(12 * 60)),
            new Interaction("i3", false, false, hours(14 * 60)),
            new Interaction("i1", true, true, hours(14 * 60)));
    assertInputs(rows.get(0), "", inputs.of(beforeR1), "u1's r1");
    // r2 at 10:05 adds r1's impression, five minutes before; not its own at 10:05.
    List<Interaction> beforeR2 =
        List.of(
            new Interaction("i1", true, false, hours(5)),
            new Interaction("i2", true, false, hours(12 * 60 + 5)),
            new Interaction("i3", false, false, hours(14 * 60 + 5)),
            new Interaction("i1", true, true, hours(14 * 60 + 5)));
    assertInputs(rows.get(1), "", inputs.of(beforeR2), "u1's r2");
    assertInputs(rows.get(0), "next_", inputs.of(beforeR2), "u1's r1, next step r2");
    assertThat(rows.get(1).<Integer>getAs(ReplaySchema.ENCODER_STEPS))
        .as("N = 2 recent steps; the other two impressions are in the summary")
        .isEqualTo(2);
    float[] older = floats(rows.get(1), ReplaySchema.ENCODER_OLDER);
    assertThat(older[0])
        .as("summary: mean of i3 (0.6, 0.8) and i1 (1, 0), first coordinate")
        .isEqualTo(0.8f);
  }

  @Test
  void aDoneStepsNextInputsAreOneZeroStepAndAUserWithoutHistoryGetsOneToo() {
    Row lastOfU1 = rows.get(2);
    assertThat(lastOfU1.<Boolean>getAs(ReplaySchema.DONE)).as("r3 ends u1's day").isTrue();
    assertInputs(lastOfU1, "next_", inputs.of(List.of()), "u1's r3, done");
    Row u2 = rows.get(3);
    assertInputs(u2, "", inputs.of(List.of()), "u2, no impression before its request");
    assertThat(floats(u2, ReplaySchema.ENCODER_RECENT))
        .as("one step of zeros: 2 vector floats, clicked, completed, age")
        .containsExactly(0f, 0f, 0f, 0f, 0f);
  }

  @Test
  void anItemWithoutAVectorReadsAsZerosWithItsSignals() {
    // u3's r5 at 09:00 sees p3's i4 (no vector) an hour before, completed; p3 itself logged no
    // action, so it is no step of the replay, yet it is an impression u3 saw.
    Row u3 = rows.get(4);
    assertThat(u3.<String>getAs(ReplaySchema.REQUEST_ID)).isEqualTo("r5");
    assertInputs(
        u3, "", inputs.of(List.of(new Interaction("i4", true, true, hours(60)))), "u3's r5");
    float[] recent = floats(u3, ReplaySchema.ENCODER_RECENT);
    assertThat(recent[0]).as("i4's vector: zeros").isEqualTo(0f);
    assertThat(recent[1]).as("i4's vector: zeros").isEqualTo(0f);
    assertThat(recent[2]).as("clicked").isEqualTo(1f);
    assertThat(recent[3]).as("completed").isEqualTo(1f);
    assertThat(recent[4]).as("an hour old").isGreaterThan(0f);
  }

  @Test
  void theRowsBatchAsTheEncoderReadsThemPaddingMaskedOut() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    EncoderBatch batch = ReplayBatches.encoderBatch(rows, SHAPE);
    batch.requireShape(SHAPE);
    int features = SHAPE.stepFeatures();
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      int steps = row.<Integer>getAs(ReplaySchema.ENCODER_STEPS);
      float[] recent = floats(row, ReplaySchema.ENCODER_RECENT);
      for (int t = 0; t < SHAPE.recentSteps(); t++) {
        assertThat(batch.recentMask().getFloat(i, t))
            .as("row %d, step %d of %d real: mask", i, t, steps)
            .isEqualTo(t < steps ? 1f : 0f);
        for (int f = 0; f < features; f++) {
          assertThat(batch.recent().getFloat(i, f, t))
              .as("row %d, feature %d of step %d", i, f, t)
              .isEqualTo(t < steps ? recent[t * features + f] : 0f);
        }
      }
    }
    assertThat(batch.nextRecentMask().getRow(2).toFloatVector())
        .as("u1's done step: its next inputs are one zero step")
        .containsExactly(1f, 0f);
    EncoderBatch picked = batch.rows(new long[] {3, 1});
    assertThat(picked.older().getRow(1).toFloatVector())
        .as("rows() keeps the order asked for")
        .containsExactly(batch.older().getRow(1).toFloatVector());
    assertThat(picked.nextRecent().slice(0).dup().data().asFloat())
        .containsExactly(batch.nextRecent().slice(3).dup().data().asFloat());
    assertThatThrownBy(() -> batch.requireShape(new EncoderShape(3, 2, 1, 4, 3)))
        .as("a batch of E = 2 against a shape of E = 3")
        .hasMessageContaining("EncoderBatch.recent has shape [5, 5, 2], expected [5, 6, 2]");

    // Through the encoder, a padded row of the batch encodes as the row alone, unpadded.
    ComputationGraph probe = EncoderProbe.graph(SHAPE, 5L, false);
    INDArray encodings =
        new EncoderProbe.Batch(batch.recent(), batch.recentMask(), batch.older(), null, null)
            .encodings(probe);
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      int steps = row.<Integer>getAs(ReplaySchema.ENCODER_STEPS);
      INDArray alone =
          batch
              .recent()
              .get(
                  NDArrayIndex.interval(i, i + 1),
                  NDArrayIndex.all(),
                  NDArrayIndex.interval(0, steps))
              .dup();
      INDArray single =
          new EncoderProbe.Batch(
                  alone,
                  Nd4j.ones(DataType.FLOAT, 1, steps),
                  batch.older().getRow(i, true).dup(),
                  null,
                  null)
              .encodings(probe);
      assertThat(encodings.getRow(i).toFloatVector())
          .as("row %d (%d real steps)", i, steps)
          .usingComparatorWithPrecision(1e-5f)
          .containsExactly(single.getRow(0).toFloatVector());
    }
  }

  @Test
  void aReplayBuiltWithoutTheEncoderIsRefusedNamingTheSetting() {
    Row withoutEncoder =
        spark
            .createDataFrame(rows, ReplaySchema.SCHEMA)
            .withColumn(ReplaySchema.ENCODER_RECENT, functions.lit(null).cast("array<float>"))
            .first();
    assertThatThrownBy(() -> ReplayBatches.encoderBatch(List.of(withoutEncoder), SHAPE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encoder_recent is null")
        .hasMessageContaining("replay.encoder.enabled=true");
  }

  private static double hours(int minutes) {
    return minutes * 60_000L / 3_600_000.0;
  }

  private static void assertInputs(
      Row row, String prefix, SequenceInputs.Encoded expected, String what) {
    assertThat(row.<Integer>getAs(prefix + ReplaySchema.ENCODER_STEPS))
        .as("%s: steps", what)
        .isEqualTo(expected.steps());
    assertThat(floats(row, prefix + ReplaySchema.ENCODER_RECENT))
        .as("%s: recent steps", what)
        .containsExactly(expected.recent());
    assertThat(floats(row, prefix + ReplaySchema.ENCODER_OLDER))
        .as("%s: older summary", what)
        .containsExactly(expected.older());
  }

  private static float[] floats(Row row, String column) {
    List<Float> values = row.getList(row.fieldIndex(column));
    float[] out = new float[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
