package dev.kindling.features.schema;

import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code replay} Delta table: one row per ranking request (a step) of the run date D that
 * carries a logged action, a transition {@code (h, o, a, r, h', o', done)} of one agent.
 * Partitioned by {@code dt} and {@code bucket}. An episode is one user's day across scenarios, its
 * steps in time order ({@code ts}, then {@code request_id}). Observations are raw (not normalised);
 * their layout is {@code ObservationSpec}'s, their statistics the feature spec's. Reward terms and
 * weights are those of {@code RewardWeights}; T is {@code ReplayParams.historySteps}.
 */
public final class ReplaySchema {

  /** Partition: the run date D. */
  public static final String DT = "dt";

  /** Partition: {@code pmod(hash(user_id), buckets)}, in {@code [0, buckets)}. */
  public static final String BUCKET = "bucket";

  public static final String USER_ID = "user_id";

  /** The episode: {@code user_id + ":" + dt} ({@code yyyy-MM-dd}). */
  public static final String EPISODE_ID = "episode_id";

  /**
   * 0-based position of the step among the episode's kept steps (those with a valid action), in
   * time order; consecutive, without gaps where steps were left out.
   */
  public static final String STEP = "step";

  /** The ranking request this step is. */
  public static final String REQUEST_ID = "request_id";

  /** The scenario that served the request: the MA-RDPG agent that acted. */
  public static final String AGENT = "agent";

  /** Time of the request's first impression, UTC. */
  public static final String TS = "ts";

  /** The observation o, raw, in {@code ObservationSpec.featureNames} order. */
  public static final String OBS = "obs";

  /**
   * The communication component's input h: the previous T kept steps of the same episode (any
   * agent), oldest first, each a block {@code obs ++ action ++ [explore_prob]} (the joint action
   * the critic scores; an unlogged {@code explore_prob} as {@code
   * ReplayTransitions.UNLOGGED_EXPLORE_PROB}), zero-padded at the front to {@code T * (|obs| +
   * |action| + 1)} ({@code ReplayTransitions.historyBlockLength} per step).
   */
  public static final String HISTORY = "history";

  /** How many earlier steps {@link #HISTORY} holds, in {@code [0, T]}. */
  public static final String HISTORY_LENGTH = "history_length";

  /** The logging policy's ranking weights for the request. */
  public static final String ACTION = "action";

  /** The logging policy's probability of exploring for the request; null when not logged. */
  public static final String EXPLORE_PROB = "explore_prob";

  /** Whether the logging policy explored for the request; null when not logged. */
  public static final String EXPLORE = "explore";

  /**
   * The step's reward: {@code reward_base + reward_engagement + reward_new_content +
   * reward_diversity + reward_fatigue}.
   */
  public static final String REWARD = "reward";

  /**
   * MA-RDPG's reward: the slate's total {@code purchase_amount} when above 0, else 1 when an
   * impression was clicked, else -1.
   */
  public static final String REWARD_BASE = "reward_base";

  /** {@code engagement} weight times the slate's completions plus shares. */
  public static final String REWARD_ENGAGEMENT = "reward_engagement";

  /** {@code newContent} weight times the slate's clicks on cold or brand-new items. */
  public static final String REWARD_NEW_CONTENT = "reward_new_content";

  /** {@code diversity} weight times the categories the step's clicks added to the user's day. */
  public static final String REWARD_DIVERSITY = "reward_diversity";

  /** Minus the {@code fatigue} weight times the step's same-category repetition; at most 0. */
  public static final String REWARD_FATIGUE = "reward_fatigue";

  /** The next kept step's {@link #OBS}; zeros of the same length when {@link #DONE}. */
  public static final String NEXT_OBS = "next_obs";

  /**
   * The next step's {@link #HISTORY}: the last T kept steps up to and including this one, same
   * layout; defined on the last step too.
   */
  public static final String NEXT_HISTORY = "next_history";

  /** The next kept step's {@link #AGENT}; null when {@link #DONE}. */
  public static final String NEXT_AGENT = "next_agent";

  /** The step is the episode's last kept step. */
  public static final String DONE = "done";

  /** The slate's logged {@code propensity} values in position order; null where not logged. */
  public static final String PROPENSITIES = "propensities";

  /** Impressions in the slate. */
  public static final String SLATE_SIZE = "slate_size";

  /**
   * The behaviour-sequence encoder's recent steps before the request: the user's last N impressions
   * (of the replay's event window, before {@link #TS}), oldest first, each its item's embedding
   * vector, clicked, completed and age feature ({@code EncoderShape.stepFeatures()} floats),
   * step-major, real steps only; a user with none has one step of zeros. Null when the replay was
   * built without the encoder ({@code replay.encoder.enabled}).
   */
  public static final String ENCODER_RECENT = "encoder_recent";

  /** How many steps {@link #ENCODER_RECENT} holds, in {@code [1, N]}; null without the encoder. */
  public static final String ENCODER_STEPS = "encoder_steps";

  /**
   * The summary of the impressions before the last N: their mean embedding vector and the count
   * feature ({@code EncoderShape.summaryFeatures()} floats; zeros when there are none); null
   * without the encoder.
   */
  public static final String ENCODER_OLDER = "encoder_older";

  /**
   * {@link #ENCODER_RECENT} of the next kept step (the impressions before its request); one step of
   * zeros when {@link #DONE}, as {@link #NEXT_OBS} is zeros.
   */
  public static final String NEXT_ENCODER_RECENT = "next_encoder_recent";

  /** {@link #ENCODER_STEPS} of the next kept step; 1 when {@link #DONE}. */
  public static final String NEXT_ENCODER_STEPS = "next_encoder_steps";

  /** {@link #ENCODER_OLDER} of the next kept step; zeros when {@link #DONE}. */
  public static final String NEXT_ENCODER_OLDER = "next_encoder_older";

  /** The encoder columns, in table order; all nullable, after the columns every replay has. */
  public static final List<String> ENCODER_COLUMNS =
      List.of(
          ENCODER_RECENT,
          ENCODER_STEPS,
          ENCODER_OLDER,
          NEXT_ENCODER_RECENT,
          NEXT_ENCODER_STEPS,
          NEXT_ENCODER_OLDER);

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(BUCKET, DataTypes.IntegerType, false /* nullable */),
            DataTypes.createStructField(USER_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(EPISODE_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(STEP, DataTypes.IntegerType, false /* nullable */),
            DataTypes.createStructField(REQUEST_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(AGENT, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(TS, DataTypes.TimestampType, false /* nullable */),
            DataTypes.createStructField(OBS, floats(), false /* nullable */),
            DataTypes.createStructField(HISTORY, floats(), false /* nullable */),
            DataTypes.createStructField(
                HISTORY_LENGTH, DataTypes.IntegerType, false /* nullable */),
            DataTypes.createStructField(ACTION, floats(), false /* nullable */),
            DataTypes.createStructField(EXPLORE_PROB, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(EXPLORE, DataTypes.BooleanType, true /* nullable */),
            DataTypes.createStructField(REWARD, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(REWARD_BASE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                REWARD_ENGAGEMENT, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                REWARD_NEW_CONTENT, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                REWARD_DIVERSITY, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(REWARD_FATIGUE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(NEXT_OBS, floats(), false /* nullable */),
            DataTypes.createStructField(NEXT_HISTORY, floats(), false /* nullable */),
            DataTypes.createStructField(NEXT_AGENT, DataTypes.StringType, true /* nullable */),
            DataTypes.createStructField(DONE, DataTypes.BooleanType, false /* nullable */),
            DataTypes.createStructField(
                PROPENSITIES,
                DataTypes.createArrayType(DataTypes.DoubleType, true),
                false /* nullable */),
            DataTypes.createStructField(SLATE_SIZE, DataTypes.IntegerType, false /* nullable */),
            DataTypes.createStructField(ENCODER_RECENT, floats(), true /* nullable */),
            DataTypes.createStructField(ENCODER_STEPS, DataTypes.IntegerType, true /* nullable */),
            DataTypes.createStructField(ENCODER_OLDER, floats(), true /* nullable */),
            DataTypes.createStructField(NEXT_ENCODER_RECENT, floats(), true /* nullable */),
            DataTypes.createStructField(
                NEXT_ENCODER_STEPS, DataTypes.IntegerType, true /* nullable */),
            DataTypes.createStructField(NEXT_ENCODER_OLDER, floats(), true /* nullable */)
          });

  private ReplaySchema() {}

  /** A dense float vector: {@code array<float>} without null elements. */
  private static ArrayType floats() {
    return DataTypes.createArrayType(DataTypes.FloatType, false);
  }
}
