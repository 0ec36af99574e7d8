package dev.kindling.agents.replay;

import dev.kindling.agents.nets.EncoderBatch;
import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.features.replay.ReplayTransitions;
import dev.kindling.features.schema.ReplaySchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Turns replay rows ({@link ReplaySchema}) into the float32 {@link TransitionBatch} of a {@link
 * NetworkShape}, normalising every observation with an {@link ObservationNormaliser}: {@code obs},
 * {@code next_obs} and the observation part of every block of {@code history} and {@code
 * next_history} (front padding included, so every block is treated alike).
 *
 * <ul>
 *   <li>history: the flat {@code history} (T blocks of {@link NetworkShape#historyFeatures()}
 *       floats, oldest first) becomes {@code [batch, historyFeatures, T]}, element {@code [i, f,
 *       t]} = {@code history[t * historyFeatures + f]} of row i;
 *   <li>action: the logged weights then {@code explore_prob}, an unlogged one as {@link
 *       ReplayTransitions#UNLOGGED_EXPLORE_PROB}, the value its history block carries;
 *   <li>agent, next agent: one-hot in the order of the scenario list; a null {@code next_agent} (a
 *       done step) is all zeros;
 *   <li>done: 1 or 0; reward as logged.
 * </ul>
 *
 * <p>Costs: one pass over the rows, holding the batch twice (Java arrays, then the ND4J arrays);
 * nothing is collected from Spark here, the caller brings the rows (e.g. one partition's). Rows
 * with a schema are read by column name, rows without one ({@code RowFactory} rows) by the position
 * of the column in {@link ReplaySchema#SCHEMA}. Immutable and thread-safe.
 */
public final class ReplayBatches implements Serializable {

  private static final long serialVersionUID = 1L;

  private final NetworkShape shape;
  private final List<String> scenarios;
  private final Map<String, Integer> agentIndex;
  private final ObservationNormaliser normaliser;

  /**
   * A converter for {@code shape}, T being {@link NetworkShape#historySteps()}.
   *
   * @param shape the networks' shape; its {@code agents} must equal the number of scenarios and its
   *     {@code observationSize} the normaliser's size
   * @param scenarios the scenarios in agent-index order (the order of the one-hot), distinct
   * @param normaliser the feature spec's statistics for the replay's observation layout
   * @throws IllegalArgumentException when the three disagree
   */
  public ReplayBatches(
      NetworkShape shape, List<String> scenarios, ObservationNormaliser normaliser) {
    if (scenarios.size() != shape.agents()) {
      throw new IllegalArgumentException(
          "the network shape has "
              + shape.agents()
              + " agents but the scenario list "
              + scenarios
              + " has "
              + scenarios.size()
              + "; build the shape from the replay's scenarios");
    }
    if (normaliser.size() != shape.observationSize()) {
      throw new IllegalArgumentException(
          "the network shape's observationSize is "
              + shape.observationSize()
              + " but the feature spec has "
              + normaliser.size()
              + " features; build the shape from the replay's observation layout");
    }
    Map<String, Integer> index = new HashMap<>();
    for (int agent = 0; agent < scenarios.size(); agent++) {
      if (index.put(scenarios.get(agent), agent) != null) {
        throw new IllegalArgumentException(
            "scenario '" + scenarios.get(agent) + "' appears twice in " + scenarios);
      }
    }
    this.shape = shape;
    this.scenarios = List.copyOf(scenarios);
    this.agentIndex = Map.copyOf(index);
    this.normaliser = normaliser;
  }

  /** The shape every batch has. */
  public NetworkShape shape() {
    return shape;
  }

  /** The batch of the rows {@code rows} (drained), in their order; see {@link #toBatch(List)}. */
  public TransitionBatch toBatch(Iterator<Row> rows) {
    List<Row> all = new ArrayList<>();
    rows.forEachRemaining(all::add);
    return toBatch(all);
  }

  /**
   * The batch of {@code rows}, row i of every array from {@code rows.get(i)}; with the encoder
   * inputs of {@link #encoderBatch} when the shape has an encoder.
   *
   * @param rows replay rows in {@link ReplaySchema#SCHEMA}, at least one
   * @throws IllegalArgumentException naming the row's {@code request_id}, the column and the bad
   *     value when a row does not fit the shape: {@code obs} or {@code next_obs} not {@code
   *     observationSize} long, {@code action} not {@code actionSize} long, {@code history} or
   *     {@code next_history} not {@code T * historyFeatures} long, an agent not in the scenario
   *     list, a null value where the schema has none, or a null {@code next_agent} on a step that
   *     is not done
   */
  public TransitionBatch toBatch(List<Row> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "no replay rows to batch; a batch needs at least one transition");
    }
    int count = rows.size();
    int observationSize = shape.observationSize();
    int historyFeatures = shape.historyFeatures();
    int steps = shape.historySteps();
    int historySize = historyFeatures * steps;
    int jointActionSize = shape.jointActionSize();
    int agents = shape.agents();

    float[] history = new float[count * historySize];
    float[] observation = new float[count * observationSize];
    float[] action = new float[count * jointActionSize];
    float[] agent = new float[count * agents];
    float[] reward = new float[count];
    float[] done = new float[count];
    float[] nextHistory = new float[count * historySize];
    float[] nextObservation = new float[count * observationSize];
    float[] nextAgent = new float[count * agents];

    for (int i = 0; i < count; i++) {
      Row row = rows.get(i);
      observation(row, ReplaySchema.OBS, observation, i * observationSize);
      observation(row, ReplaySchema.NEXT_OBS, nextObservation, i * observationSize);
      history(row, ReplaySchema.HISTORY, history, i * historySize);
      history(row, ReplaySchema.NEXT_HISTORY, nextHistory, i * historySize);

      float[] weights = floats(row, ReplaySchema.ACTION);
      requireLength(row, ReplaySchema.ACTION, weights, shape.actionSize(), "actionSize");
      System.arraycopy(weights, 0, action, i * jointActionSize, weights.length);
      Object exploreProb = row.get(index(row, ReplaySchema.EXPLORE_PROB));
      action[i * jointActionSize + shape.actionSize()] =
          exploreProb == null
              ? ReplayTransitions.UNLOGGED_EXPLORE_PROB
              : ((Number) exploreProb).floatValue();

      agent[i * agents + agentOf(row, ReplaySchema.AGENT)] = 1.0f;
      boolean isDone = (Boolean) required(row, ReplaySchema.DONE);
      done[i] = isDone ? 1.0f : 0.0f;
      if (row.get(index(row, ReplaySchema.NEXT_AGENT)) != null) {
        nextAgent[i * agents + agentOf(row, ReplaySchema.NEXT_AGENT)] = 1.0f;
      } else if (!isDone) {
        throw invalid(
            row,
            ReplaySchema.NEXT_AGENT,
            "is null on a step that is not done",
            "only an episode's last step (done) may lack a next agent");
      }
      reward[i] = ((Number) required(row, ReplaySchema.REWARD)).floatValue();
    }

    return new TransitionBatch(
        array(history, count, historyFeatures, steps),
        array(observation, count, observationSize),
        array(action, count, jointActionSize),
        array(agent, count, agents),
        array(reward, count, 1),
        array(done, count, 1),
        array(nextHistory, count, historyFeatures, steps),
        array(nextObservation, count, observationSize),
        array(nextAgent, count, agents),
        shape.hasEncoder() ? encoderBatch(rows, shape.encoder()) : null);
  }

  /** Writes {@code row}'s normalised observation {@code column} into {@code target} at offset. */
  private void observation(Row row, String column, float[] target, int offset) {
    float[] values = floats(row, column);
    requireLength(row, column, values, shape.observationSize(), "observationSize");
    for (int feature = 0; feature < values.length; feature++) {
      target[offset + feature] = normaliser.normalise(feature, values[feature]);
    }
  }

  /**
   * Writes {@code row}'s flat history {@code column} into {@code target} at {@code offset} as a
   * {@code [historyFeatures, T]} block (c order), the observation part of each step normalised.
   */
  private void history(Row row, String column, float[] target, int offset) {
    int features = shape.historyFeatures();
    int steps = shape.historySteps();
    float[] flat = floats(row, column);
    if (flat.length != features * steps) {
      throw invalid(
          row,
          column,
          "has "
              + flat.length
              + " values, expected T * historyFeatures = "
              + steps
              + " * "
              + features
              + " = "
              + features * steps,
          "each step block must be obs ++ action ++ [explore_prob] and T the shape's historySteps;"
              + " rebuild the replay or the shape from the same configuration");
    }
    for (int step = 0; step < steps; step++) {
      for (int feature = 0; feature < features; feature++) {
        float value = flat[step * features + feature];
        target[offset + feature * steps + step] =
            feature < shape.observationSize() ? normaliser.normalise(feature, value) : value;
      }
    }
  }

  private int agentOf(Row row, String column) {
    Object name = required(row, column);
    Integer agent = agentIndex.get(name);
    if (agent == null) {
      throw invalid(
          row,
          column,
          "is '" + name + "', not one of the scenarios " + scenarios,
          "train with the scenario list the replay was built with");
    }
    return agent;
  }

  /**
   * The encoder inputs of {@code rows}, row i of every array from {@code rows.get(i)}: each row's
   * {@code encoder_recent} (steps × (E + 3) floats, step-major) becomes the first {@code
   * encoder_steps} columns of {@code [E + 3, N]}, masked 1 there and 0 on the zero padding; the
   * same for the next step's columns.
   *
   * @param rows replay rows in {@link ReplaySchema#SCHEMA} built with the encoder, at least one
   * @throws IllegalArgumentException naming the row's {@code request_id} and the column when the
   *     encoder columns are null (a replay built without {@code replay.encoder.enabled}), when
   *     their steps are not in [1, N] or their lengths do not match the steps and E
   */
  public static EncoderBatch encoderBatch(List<Row> rows, EncoderShape shape) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException(
          "no replay rows to batch; a batch needs at least one transition");
    }
    int count = rows.size();
    int features = shape.stepFeatures();
    int steps = shape.recentSteps();
    int summary = shape.summaryFeatures();
    float[][] recent = {new float[count * features * steps], new float[count * features * steps]};
    float[][] mask = {new float[count * steps], new float[count * steps]};
    float[][] older = {new float[count * summary], new float[count * summary]};
    String[][] columns = {
      {ReplaySchema.ENCODER_RECENT, ReplaySchema.ENCODER_STEPS, ReplaySchema.ENCODER_OLDER},
      {
        ReplaySchema.NEXT_ENCODER_RECENT,
        ReplaySchema.NEXT_ENCODER_STEPS,
        ReplaySchema.NEXT_ENCODER_OLDER
      }
    };
    for (int i = 0; i < count; i++) {
      Row row = rows.get(i);
      for (int which = 0; which < 2; which++) {
        String[] names = columns[which];
        for (String name : names) {
          if (row.get(index(row, name)) == null) {
            throw invalid(
                row,
                name,
                "is null",
                "the replay was built without the encoder; re-run replay for its date with"
                    + " replay.encoder.enabled=true");
          }
        }
        int real = ((Number) row.get(index(row, names[1]))).intValue();
        if (real < 1 || real > steps) {
          throw invalid(
              row,
              names[1],
              "is " + real + ", outside [1, " + steps + "] (N, replay.encoder.recent-steps)",
              "train with the recent-steps the replay was built with");
        }
        float[] values = floats(row, names[0]);
        requireLength(row, names[0], values, real * features, "encoder_steps x (E + 3)");
        // Step-major (t * features + f) into [features, N] (f * N + t), the real steps first.
        int base = i * features * steps;
        for (int t = 0; t < real; t++) {
          for (int f = 0; f < features; f++) {
            recent[which][base + f * steps + t] = values[t * features + f];
          }
          mask[which][i * steps + t] = 1f;
        }
        float[] summaryValues = floats(row, names[2]);
        requireLength(row, names[2], summaryValues, summary, "E + 1");
        System.arraycopy(summaryValues, 0, older[which], i * summary, summary);
      }
    }
    return new EncoderBatch(
        array(recent[0], count, features, steps),
        array(mask[0], count, steps),
        array(older[0], count, summary),
        array(recent[1], count, features, steps),
        array(mask[1], count, steps),
        array(older[1], count, summary));
  }

  private static void requireLength(
      Row row, String column, float[] values, int expected, String shapeField) {
    if (values.length != expected) {
      throw invalid(
          row,
          column,
          "has " + values.length + " values, expected " + expected + " (" + shapeField + ")",
          "build the network shape from the replay's observation layout and action length");
    }
  }

  /** The float array in {@code column}; its elements may not be null. */
  private static float[] floats(Row row, String column) {
    int index = index(row, column);
    Object value = required(row, column);
    List<?> list = value instanceof List<?> javaList ? javaList : row.getList(index);
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) {
      Object element = list.get(i);
      if (element == null) {
        throw invalid(row, column, "has a null at index " + i, "replay arrays hold no nulls");
      }
      values[i] = ((Number) element).floatValue();
    }
    return values;
  }

  private static Object required(Row row, String column) {
    Object value = row.get(index(row, column));
    if (value == null) {
      throw invalid(row, column, "is null", "the replay schema declares it non-nullable");
    }
    return value;
  }

  /** Column {@code column}'s index in {@code row}: by name with a schema, else by the SCHEMA's. */
  private static int index(Row row, String column) {
    return row.schema() == null ? ReplaySchema.SCHEMA.fieldIndex(column) : row.fieldIndex(column);
  }

  /** The one error of a replay row that does not fit: the row, the column, the problem, the fix. */
  private static IllegalArgumentException invalid(
      Row row, String column, String problem, String fix) {
    Object request = row.get(index(row, ReplaySchema.REQUEST_ID));
    return new IllegalArgumentException(
        "replay row of request_id " + request + ": " + column + " " + problem + "; " + fix);
  }

  private static INDArray array(float[] values, long... shape) {
    return Nd4j.createFromArray(values).reshape('c', shape);
  }
}
