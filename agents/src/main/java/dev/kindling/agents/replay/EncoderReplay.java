package dev.kindling.agents.replay;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.serving.SequenceInputs;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ReplaySchema;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import scala.collection.mutable.WrappedArray;

/**
 * Fills the encoder columns of replay transitions ({@link ReplaySchema#ENCODER_COLUMNS}) from the
 * user's impressions before each step, built by {@link SequenceInputs} (the builder the serving
 * client is to call with a user's recent impressions, so both sides agree to the bit): an
 * interaction is one impression of the given events (any scenario), with its click and completion,
 * aged from its {@code ts} to the step's; the impressions before a step are those with a {@code ts}
 * strictly before the step's {@code ts} (a request's own impressions start at it), ordered by
 * {@code ts} and then slate {@code position} (of one request's impressions, the lower position
 * counts as seen first). The next step's inputs are those of the next kept step of the episode, and
 * one step of zeros when the step is done.
 *
 * <p>Cost: one shuffle of the events by user and a join of their per-user lists with the
 * transitions on {@code user_id} (the transitions' window of the next {@code ts} runs within their
 * user partitioning); per step one pass over the user's impressions in the window. Memory per user:
 * the window's impressions as one sorted list. The vectors travel once per executor as a broadcast,
 * so the embedding table must fit in memory (about {@code 4 × E} bytes plus the id per item).
 */
public final class EncoderReplay {

  private static final String NEXT_TS = "_next_ts";
  private static final String INTERACTIONS = "_interactions";
  private static final String USER = "_interaction_user";
  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  private EncoderReplay() {}

  /**
   * {@code transitions} (rows of {@link ReplaySchema#SCHEMA}) with the encoder columns filled.
   *
   * @param events impressions ({@code user_id, ts, position, item_id, clicked, completed} of {@link
   *     EventsSchema}, validated) of the days the encoder may look back over, the run date
   *     included; the caller picks the days
   * @param vectors each known item's embedding vector of {@code shape.itemDimension()} floats; an
   *     item missing from it reads as the zero vector
   * @param shape the encoder's shape (N and E are what matter here)
   */
  public static Dataset<Row> withInputs(
      Dataset<Row> transitions,
      Dataset<Row> events,
      Broadcast<Map<String, float[]>> vectors,
      EncoderShape shape) {
    Dataset<Row> byUser = impressionsByUser(events).toDF(USER, INTERACTIONS);
    Dataset<Row> steps =
        transitions.withColumn(
            NEXT_TS,
            lead(col(ReplaySchema.TS), 1)
                .over(
                    Window.partitionBy(ReplaySchema.USER_ID, ReplaySchema.EPISODE_ID)
                        .orderBy(ReplaySchema.STEP)));
    Dataset<Row> joined =
        steps.join(byUser, steps.col(ReplaySchema.USER_ID).equalTo(byUser.col(USER)), "left");
    String[] columns = ReplaySchema.SCHEMA.fieldNames();
    int replayColumns = columns.length - ReplaySchema.ENCODER_COLUMNS.size();
    String[] selected = Arrays.copyOf(columns, replayColumns + 2);
    selected[replayColumns] = NEXT_TS;
    selected[replayColumns + 1] = INTERACTIONS;
    return joined
        .selectExpr(Arrays.stream(selected).map(c -> "`" + c + "`").toArray(String[]::new))
        .mapPartitions(new Fill(vectors, shape, replayColumns), Encoders.row(ReplaySchema.SCHEMA));
  }

  /**
   * Each user's impressions of {@code events}, ascending by {@code ts} and then {@code position}:
   * two columns, the user ID and an array of {@code (ts, position, item_id, clicked, completed)}
   * structs, the rows {@link #before} reads. Cost: one shuffle of the events by user; one sorted
   * array per user.
   */
  public static Dataset<Row> impressionsByUser(Dataset<Row> events) {
    return events
        .groupBy(col(EventsSchema.USER_ID))
        .agg(
            sort_array(
                    collect_list(
                        struct(
                            col(EventsSchema.TS),
                            col(EventsSchema.POSITION),
                            col(EventsSchema.ITEM_ID),
                            col(EventsSchema.CLICKED),
                            col(EventsSchema.COMPLETED))))
                .as(INTERACTIONS));
  }

  /** Builds the encoder columns of each joined row. */
  private static final class Fill implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<Map<String, float[]>> vectors;
    private final EncoderShape shape;
    private final int replayColumns;

    Fill(Broadcast<Map<String, float[]>> vectors, EncoderShape shape, int replayColumns) {
      this.vectors = vectors;
      this.shape = shape;
      this.replayColumns = replayColumns;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
      Map<String, float[]> table = vectors.value();
      SequenceInputs inputs = new SequenceInputs(shape, table::get);
      int tsIndex = ReplaySchema.SCHEMA.fieldIndex(ReplaySchema.TS);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return rows.hasNext();
        }

        @Override
        public Row next() {
          Row row = rows.next();
          List<Row> interactions =
              row.isNullAt(replayColumns + 1) ? List.of() : row.getList(replayColumns + 1);
          SequenceInputs.Encoded now =
              inputs.of(before(interactions, (Timestamp) row.get(tsIndex)));
          SequenceInputs.Encoded next =
              inputs.of(
                  row.isNullAt(replayColumns)
                      ? List.of()
                      : before(interactions, (Timestamp) row.get(replayColumns)));
          Object[] values = new Object[replayColumns + ReplaySchema.ENCODER_COLUMNS.size()];
          for (int i = 0; i < replayColumns; i++) {
            values[i] = row.get(i);
          }
          values[replayColumns] = boxed(now.recent());
          values[replayColumns + 1] = now.steps();
          values[replayColumns + 2] = boxed(now.older());
          values[replayColumns + 3] = boxed(next.recent());
          values[replayColumns + 4] = next.steps();
          values[replayColumns + 5] = boxed(next.older());
          return RowFactory.create(values);
        }
      };
    }
  }

  /**
   * The interactions of {@code sorted} (ascending by {@code ts}, then {@code position}) strictly
   * before {@code at}, newest first, aged from {@code at}: what the encoder columns of a step at
   * {@code at} are built from. Each row is {@code (ts, position, item_id, clicked, completed)}; a
   * null flag reads as false.
   */
  public static List<SequenceInputs.Interaction> before(List<Row> sorted, Timestamp at) {
    int low = 0;
    int high = sorted.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (((Timestamp) sorted.get(mid).get(0)).before(at)) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    List<SequenceInputs.Interaction> newestFirst = new ArrayList<>(low);
    long atMillis = at.getTime();
    for (int i = low - 1; i >= 0; i--) {
      Row r = sorted.get(i);
      newestFirst.add(
          new SequenceInputs.Interaction(
              r.getString(2),
              !r.isNullAt(3) && r.getBoolean(3),
              !r.isNullAt(4) && r.getBoolean(4),
              (atMillis - ((Timestamp) r.get(0)).getTime()) / MILLIS_PER_HOUR));
    }
    return newestFirst;
  }

  /** {@code values} as the Scala sequence the row encoder expects, without copying or boxing. */
  private static WrappedArray<Object> boxed(float[] values) {
    return WrappedArray.make(values);
  }
}
