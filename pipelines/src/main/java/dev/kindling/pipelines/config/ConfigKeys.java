package dev.kindling.pipelines.config;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.agents.system.AllocationParams;
import dev.kindling.agents.system.WeightResolver;
import dev.kindling.features.content.ColdStartParams;
import dev.kindling.features.embeddings.EmbeddingModel;
import dev.kindling.features.embeddings.EmbeddingParams;
import dev.kindling.features.replay.ReplayParams;
import dev.kindling.features.replay.RewardWeights;
import dev.kindling.features.state.FeatureParams;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Every config key Kindling reads, each declared once with its default, allowed values and doc.
 * {@code bin/kindling config} lists them with their effective values.
 */
public final class ConfigKeys {

  /** Free-form Spark settings live under this prefix and are not checked against this list. */
  public static final String SPARK_CONF_PREFIX = "spark.conf";

  private static final int MAX_PARTITIONS = 100_000;
  private static final int DEFAULT_SIMULATE_DAYS = 7;
  private static final double MAX_HEATING_REQUEST_PROB = 0.99;
  private static final double MAX_REWARD_WEIGHT = 1e6;

  // ---- lakehouse and Spark ----

  public static final ConfigKey<String> LAKEHOUSE_ROOT =
      ConfigKey.string(
          "lakehouse.root",
          "./lakehouse",
          "Root of the lakehouse: raw logs, Delta tables and artifacts live under it (a local path"
              + " or an object-store URI such as s3a://bucket/kindling).");

  public static final ConfigKey<Integer> LAKEHOUSE_LEASE_TTL_SECONDS =
      ConfigKey.integer(
          "lakehouse.lease-ttl-seconds",
          (int) dev.kindling.pipelines.lakehouse.Lakehouse.DEFAULT_LEASE_TTL_SECONDS,
          1,
          86_400,
          "Seconds a stage's lease (_locks/<stage>/dt=D.lease) may go unrefreshed before another"
              + " run of that stage and date takes it over; a live run refreshes it every TTL/4,"
              + " and a dead holder on the same host is taken over at once.");

  public static final ConfigKey<String> SPARK_MASTER =
      ConfigKey.string(
          "spark.master",
          "local[*]",
          "Spark master for the embedded mode; ignored under spark-submit, which sets its own.");

  public static final ConfigKey<Integer> SPARK_SHUFFLE_PARTITIONS =
      ConfigKey.integer(
          "spark.shuffle-partitions",
          8,
          1,
          MAX_PARTITIONS,
          "spark.sql.shuffle.partitions for every stage: about 2-3 per executor core. Delta"
              + " rebuilds a table's state from its log in as many partitions, at most 50.");

  // ---- the agents ----

  public static final ConfigKey<List<String>> SCENARIOS =
      ConfigKey.stringList(
          "scenarios",
          List.of("feed", "search", "detail"),
          "Ranking scenarios, one agent each, in the order of the observation's one-hot block; a"
              + " log row naming another is quarantined.");

  // ---- features (defaults from FeatureParams; see UserMindStateSchema, ContentStateSchema) ----

  private static final int MAX_DAYS = FeatureParams.MAX_DAYS;
  private static final double MAX_STRENGTH = 1e9;
  private static final long MAX_COUNT = Long.MAX_VALUE / 2;

  public static final ConfigKey<Integer> FEATURES_WINDOW_DAYS =
      ConfigKey.integer(
          "features.window-days",
          FeatureParams.DEFAULT_WINDOW_DAYS,
          1,
          MAX_DAYS,
          "Trailing days of events behind interest breadth, affinity and the recent sequence.");

  public static final ConfigKey<Integer> FEATURES_LOOKBACK_DAYS =
      ConfigKey.integer(
          "features.lookback-days",
          FeatureParams.DEFAULT_LOOKBACK_DAYS,
          1,
          MAX_DAYS,
          "How far back a user's last mind state is carried over; older users start from priors.");

  public static final ConfigKey<Integer> FEATURES_RECENT_LENGTH =
      ConfigKey.integer(
          "features.recent-sequence-length",
          FeatureParams.DEFAULT_RECENT_SEQUENCE_LENGTH,
          1,
          FeatureParams.MAX_RECENT_SEQUENCE_LENGTH,
          "Clicked items kept in a user's recent behaviour sequence, newest first.");

  public static final ConfigKey<Double> FEATURES_FATIGUE_RATE =
      ConfigKey.positive(
          "features.fatigue-rate",
          FeatureParams.DEFAULT_FATIGUE_RATE,
          1.0,
          "Per-impression EWMA rate of fatigue (runs of same-category impressions).");

  public static final ConfigKey<Double> FEATURES_SATISFACTION_RATE =
      ConfigKey.positive(
          "features.satisfaction-rate",
          FeatureParams.DEFAULT_SATISFACTION_RATE,
          1.0,
          "Per-impression EWMA rate of satisfaction (outcomes of impressions).");

  public static final ConfigKey<Double> FEATURES_CURIOSITY_RATE =
      ConfigKey.positive(
          "features.curiosity-rate",
          FeatureParams.DEFAULT_CURIOSITY_RATE,
          1.0,
          "Per-day EWMA rate of curiosity (share of clicks on categories new to the user).");

  public static final ConfigKey<Double> FEATURES_SATISFACTION_PRIOR =
      ConfigKey.decimal(
          "features.satisfaction-prior",
          FeatureParams.DEFAULT_SATISFACTION_PRIOR,
          0,
          1,
          "Satisfaction of a user with no carried state.");

  public static final ConfigKey<Double> FEATURES_CURIOSITY_PRIOR =
      ConfigKey.decimal(
          "features.curiosity-prior",
          FeatureParams.DEFAULT_CURIOSITY_PRIOR,
          0,
          1,
          "Curiosity of a user with no carried state.");

  public static final ConfigKey<Double> FEATURES_NOVELTY_PRIOR_STRENGTH =
      ConfigKey.positive(
          "features.novelty-prior-strength",
          FeatureParams.DEFAULT_NOVELTY_PRIOR_STRENGTH,
          MAX_STRENGTH,
          "Pseudo-clicks smoothing a day's novelty share toward the carried curiosity.");

  public static final ConfigKey<Double> FEATURES_CLICK_ONLY_SATISFACTION =
      ConfigKey.decimal(
          "features.click-only-satisfaction",
          FeatureParams.DEFAULT_CLICK_ONLY_SATISFACTION,
          0,
          1,
          "Outcome of a click that was not completed, shared or bought (1 = fully engaged).");

  public static final ConfigKey<Double> FEATURES_FATIGUE_RECOVERY =
      ConfigKey.decimal(
          "features.fatigue-recovery",
          FeatureParams.DEFAULT_FATIGUE_RECOVERY,
          0,
          1,
          "Factor applied to carried fatigue per day away (0.5 halves it each day).");

  public static final ConfigKey<Integer> FEATURES_EXPLOITATION_TOP =
      ConfigKey.integer(
          "features.exploitation-top-categories",
          FeatureParams.DEFAULT_EXPLOITATION_TOP_CATEGORIES,
          1,
          MAX_DAYS,
          "Top categories whose click share is the exploitation score.");

  public static final ConfigKey<Integer> FEATURES_PROTECTION_DAYS =
      ConfigKey.integer(
          "features.protection-days",
          FeatureParams.DEFAULT_PROTECTION_DAYS,
          0,
          MAX_DAYS,
          "Days after sign-up in the exploration protection period.");

  public static final ConfigKey<Double> FEATURES_CTR_PRIOR_STRENGTH =
      ConfigKey.positive(
          "features.ctr-prior-strength",
          FeatureParams.DEFAULT_CTR_PRIOR_STRENGTH,
          MAX_STRENGTH,
          "Pseudo-impressions smoothing an item's CTR toward its category's.");

  public static final ConfigKey<Double> FEATURES_COMPLETION_PRIOR_STRENGTH =
      ConfigKey.positive(
          "features.completion-prior-strength",
          FeatureParams.DEFAULT_COMPLETION_PRIOR_STRENGTH,
          MAX_STRENGTH,
          "Pseudo-clicks smoothing an item's completion per click toward its category's.");

  public static final ConfigKey<Double> FEATURES_COLD_MAX_AGE_DAYS =
      ConfigKey.decimal(
          "features.cold.max-age-days",
          FeatureParams.DEFAULT_COLD_MAX_AGE_DAYS,
          0,
          MAX_DAYS,
          "An item younger than this (days) is cold.");

  public static final ConfigKey<Long> FEATURES_COLD_MIN_EXPOSURE =
      ConfigKey.longInt(
          "features.cold.min-exposure",
          FeatureParams.DEFAULT_COLD_MIN_EXPOSURE,
          0,
          MAX_COUNT,
          "An item with fewer lifetime impressions than this is cold.");

  public static final ConfigKey<Double> FEATURES_FRAUD_INFLATION =
      ConfigKey.positive(
          "features.fraud.click-inflation-threshold",
          FeatureParams.DEFAULT_CLICK_INFLATION_THRESHOLD,
          MAX_STRENGTH,
          "Click inflation (CTR lift over completion lift) at which an item is a fraud suspect.");

  public static final ConfigKey<Long> FEATURES_FRAUD_MIN_CLICKS =
      ConfigKey.longInt(
          "features.fraud.min-clicks",
          FeatureParams.DEFAULT_FRAUD_MIN_CLICKS,
          0,
          MAX_COUNT,
          "Lifetime clicks an item needs before it can be a fraud suspect.");

  public static final ConfigKey<Integer> FEATURES_CONTENT_HORIZON_DAYS =
      ConfigKey.integer(
          "features.content-horizon-days",
          FeatureParams.DEFAULT_CONTENT_HORIZON_DAYS,
          1,
          MAX_DAYS,
          "Days a never-exposed item stays in content_state after publication.");

  // ---- replay (defaults from ReplayParams and RewardWeights; see ReplaySchema) ----

  private static final int MAX_ENCODER_RECENT_STEPS = 1000;
  private static final int DEFAULT_ENCODER_WINDOW_DAYS = 7;

  public static final ConfigKey<Integer> REPLAY_HISTORY_STEPS =
      ConfigKey.integer(
          "replay.history-steps",
          ReplayParams.DEFAULT_HISTORY_STEPS,
          1,
          ReplayParams.MAX_HISTORY_STEPS,
          "Previous steps of the episode (across agents) the communication history carries.");

  public static final ConfigKey<Integer> REPLAY_BUCKETS =
      ConfigKey.integer(
          "replay.buckets",
          ReplayParams.DEFAULT_BUCKETS,
          1,
          ReplayParams.MAX_BUCKETS,
          "Replay partitions per day, bucket = pmod(hash(user_id), buckets): the unit training"
              + " distributes over.");

  public static final ConfigKey<Integer> REPLAY_ACTION_LENGTH =
      ConfigKey.integer(
          "replay.action-length",
          ReplayParams.DEFAULT_ACTION_LENGTH,
          1,
          ReplayParams.MAX_ACTION_LENGTH,
          "Ranking weights in a logged action; steps with another length are left out.");

  public static final ConfigKey<Double> REPLAY_REWARD_ENGAGEMENT =
      ConfigKey.decimal(
          "replay.reward.engagement",
          RewardWeights.DEFAULT_ENGAGEMENT,
          0,
          MAX_REWARD_WEIGHT,
          "Weight of true engagement (completions and shares of the slate) in the reward.");

  public static final ConfigKey<Double> REPLAY_REWARD_NEW_CONTENT =
      ConfigKey.decimal(
          "replay.reward.new-content",
          RewardWeights.DEFAULT_NEW_CONTENT,
          0,
          MAX_REWARD_WEIGHT,
          "Weight of clicks on cold (new or under-exposed) items in the reward.");

  public static final ConfigKey<Double> REPLAY_REWARD_DIVERSITY =
      ConfigKey.decimal(
          "replay.reward.diversity",
          RewardWeights.DEFAULT_DIVERSITY,
          0,
          MAX_REWARD_WEIGHT,
          "Weight of clicks on categories new to the user in the reward.");

  public static final ConfigKey<Double> REPLAY_REWARD_FATIGUE =
      ConfigKey.decimal(
          "replay.reward.fatigue",
          RewardWeights.DEFAULT_FATIGUE,
          0,
          MAX_REWARD_WEIGHT,
          "Weight of the fatigue penalty (same-category repetition) subtracted from the reward.");

  public static final ConfigKey<Boolean> REPLAY_ENCODER_ENABLED =
      ConfigKey.bool(
          "replay.encoder.enabled",
          false,
          "Fill the replay's encoder columns (encoder_recent, encoder_older and their next_*) from"
              + " each user's impressions before the step, with the item vectors of the latest"
              + " item_embeddings before the run date, and train actors and critics that read"
              + " them through the behaviour-sequence encoder; off leaves them null and the"
              + " networks without an encoder. Every replay day of train's window must be built"
              + " the same way; publish ships the item vectors with such a policy.");

  public static final ConfigKey<Integer> REPLAY_ENCODER_RECENT_STEPS =
      ConfigKey.integer(
          "replay.encoder.recent-steps",
          EncoderShape.DEFAULT_RECENT_STEPS,
          1,
          MAX_ENCODER_RECENT_STEPS,
          "N: the most recent impressions the encoder attends over; older ones in the window are"
              + " summarised by their mean vector and count.");

  public static final ConfigKey<Integer> REPLAY_ENCODER_WINDOW_DAYS =
      ConfigKey.integer(
          "replay.encoder.window-days",
          DEFAULT_ENCODER_WINDOW_DAYS,
          1,
          MAX_DAYS,
          "Days of validated events, the run date included, whose impressions the encoder's inputs"
              + " are built from.");

  // ---- train (defaults from Td3BcConfig and NetworkShape; see TrainingRunsSchema) ----

  /** {@code train.trainer} value of the distributed trainer (dl4j-spark). */
  public static final String TRAINER_SPARK = "spark";

  /** {@code train.trainer} value of the single-JVM trainer. */
  public static final String TRAINER_LOCAL = "local";

  private static final int DEFAULT_TRAIN_WINDOW_DAYS = 7;
  private static final int DEFAULT_TRAIN_ROUNDS = 10;
  private static final int MAX_TRAIN_ROUNDS = 100_000;
  private static final int DEFAULT_TRAIN_BATCH_SIZE = 1024;
  private static final int MAX_TRAIN_BATCH_SIZE = 1 << 20;
  private static final int DEFAULT_TRAIN_TRANSITIONS = 4096;
  private static final int MAX_TRAIN_TRANSITIONS = 1 << 30;
  private static final long DEFAULT_TRAIN_SEED = 7L;
  private static final int DEFAULT_TRAIN_WORKERS = 2;
  private static final int MAX_TRAIN_WORKERS = 10_000;
  private static final double MAX_TRAIN_ALPHA = 1e6;
  private static final double MAX_LEARNING_RATE = 0.999;
  private static final double MAX_GAMMA = 0.999;

  public static final ConfigKey<String> TRAIN_TRAINER =
      ConfigKey.oneOf(
          "train.trainer",
          TRAINER_SPARK,
          new LinkedHashSet<>(List.of(TRAINER_SPARK, TRAINER_LOCAL)),
          "Which trainer runs the rounds: spark (distributed over the batches' partitions) or local"
              + " (the single-JVM trainer; collects the sample to the driver).");

  public static final ConfigKey<Integer> TRAIN_WINDOW_DAYS =
      ConfigKey.integer(
          "train.window-days",
          DEFAULT_TRAIN_WINDOW_DAYS,
          1,
          MAX_DAYS,
          "Replay days D-window+1..D a training run reads (those that exist; D must).");

  public static final ConfigKey<Integer> TRAIN_ROUNDS =
      ConfigKey.integer(
          "train.rounds",
          DEFAULT_TRAIN_ROUNDS,
          1,
          MAX_TRAIN_ROUNDS,
          "Training rounds; each is one pass over the sampled transitions (a training_runs row).");

  public static final ConfigKey<Integer> TRAIN_BATCH_SIZE =
      ConfigKey.integer(
          "train.batch-size",
          DEFAULT_TRAIN_BATCH_SIZE,
          1,
          MAX_TRAIN_BATCH_SIZE,
          "Transitions per TD3+BC update (one mini-batch).");

  public static final ConfigKey<Integer> TRAIN_TRANSITIONS_PER_ROUND =
      ConfigKey.integer(
          "train.transitions-per-round",
          DEFAULT_TRAIN_TRANSITIONS,
          1,
          MAX_TRAIN_TRANSITIONS,
          "Cap on the seeded sample of the window's transitions that every round passes over.");

  public static final ConfigKey<Long> TRAIN_SEED =
      ConfigKey.longInt(
          "train.seed",
          DEFAULT_TRAIN_SEED,
          Long.MIN_VALUE,
          Long.MAX_VALUE,
          "Seed of the sample, the fresh networks' initialisation and the trainer.");

  public static final ConfigKey<Double> TRAIN_GAMMA =
      ConfigKey.decimal(
          "train.gamma",
          Td3BcConfig.DEFAULT_GAMMA,
          0,
          MAX_GAMMA,
          "Discount of the TD target (MA-RDPG: 0.9).");

  public static final ConfigKey<Double> TRAIN_TAU =
      ConfigKey.positive(
          "train.tau", Td3BcConfig.DEFAULT_TAU, 1.0, "Soft-update rate of the target networks.");

  public static final ConfigKey<Double> TRAIN_ALPHA =
      ConfigKey.positive(
          "train.alpha",
          Td3BcConfig.DEFAULT_ALPHA,
          MAX_TRAIN_ALPHA,
          "TD3+BC's alpha in lambda = alpha / mean|Q|: the weight of Q against the pull towards the"
              + " logged actions.");

  public static final ConfigKey<Double> TRAIN_ENTROPY_WEIGHT =
      ConfigKey.decimal(
          "train.entropy-weight",
          Td3BcConfig.DEFAULT_ENTROPY_WEIGHT,
          0,
          MAX_TRAIN_ALPHA,
          "Entropy bonus on the actors' ranking weights.");

  public static final ConfigKey<Double> TRAIN_BEHAVIOUR_RELAXATION =
      ConfigKey.decimal(
          "train.behaviour-relaxation",
          Td3BcConfig.DEFAULT_BEHAVIOUR_RELAXATION,
          0,
          1,
          "rho in [0, 1]: each logged action's behaviour regulariser is weighted by 1 - rho *"
              + " explore_prob (0 holds the actors to every logged action).");

  public static final ConfigKey<Double> TRAIN_REFERENCE_WEIGHT =
      ConfigKey.decimal(
          "train.reference-weight",
          Td3BcConfig.DEFAULT_REFERENCE_WEIGHT,
          0,
          1,
          "kappa in [0, 1]: the behaviour regulariser pulls the actors towards (1 - kappa) *"
              + " logged action + kappa * the status quo's mean action per scenario (recorded in"
              + " the model's metadata), so nightly retraining on logs the policy served itself"
              + " cannot drift away step by step (0: logged actions only).");

  public static final ConfigKey<Double> TRAIN_ACTOR_LEARNING_RATE =
      ConfigKey.positive(
          "train.actor-learning-rate",
          NetworkShape.DEFAULT_ACTOR_LEARNING_RATE,
          MAX_LEARNING_RATE,
          "Adam learning rate of the actors.");

  public static final ConfigKey<Double> TRAIN_CRITIC_LEARNING_RATE =
      ConfigKey.positive(
          "train.critic-learning-rate",
          NetworkShape.DEFAULT_CRITIC_LEARNING_RATE,
          MAX_LEARNING_RATE,
          "Adam learning rate of the critics.");

  public static final ConfigKey<Integer> TRAIN_WORKERS =
      ConfigKey.integer(
          "train.workers",
          DEFAULT_TRAIN_WORKERS,
          1,
          MAX_TRAIN_WORKERS,
          "Partitions of the batches RDD: the parallelism of the spark trainer.");

  // ---- embeddings (defaults from EmbeddingParams; see ItemEmbeddingsSchema) ----

  public static final ConfigKey<String> EMBEDDINGS_MODEL =
      ConfigKey.oneOf(
          "embeddings.model",
          EmbeddingParams.DEFAULT_MODEL.configName(),
          new LinkedHashSet<>(
              List.of(EmbeddingModel.WORD2VEC.configName(), EmbeddingModel.ALS.configName())),
          "The MLlib model that learns item vectors: word2vec (each user's clicks of a day, in"
              + " order) or als (implicit ALS on user x item click counts).");

  public static final ConfigKey<Integer> EMBEDDINGS_DIMENSION =
      ConfigKey.integer(
          "embeddings.dimension",
          EmbeddingParams.DEFAULT_DIMENSION,
          2,
          EmbeddingParams.MAX_DIMENSION,
          "Length of every item and category vector.");

  public static final ConfigKey<Integer> EMBEDDINGS_WINDOW_DAYS =
      ConfigKey.integer(
          "embeddings.window-days",
          EmbeddingParams.DEFAULT_WINDOW_DAYS,
          1,
          MAX_DAYS,
          "Validated-event days D-window+1..D the model learns from.");

  public static final ConfigKey<Long> EMBEDDINGS_MIN_CLICKS =
      ConfigKey.longInt(
          "embeddings.min-clicks",
          EmbeddingParams.DEFAULT_MIN_CLICKS,
          1,
          Long.MAX_VALUE,
          "Clicks in the window an item needs for a vector of its own; an item with fewer gets its"
              + " category's vector, flagged as a fallback.");

  public static final ConfigKey<Integer> EMBEDDINGS_CONTEXT_WINDOW =
      ConfigKey.integer(
          "embeddings.context-window",
          EmbeddingParams.DEFAULT_CONTEXT_WINDOW,
          1,
          EmbeddingParams.MAX_CONTEXT_OR_ITERATIONS,
          "word2vec: clicks either side of an item that count as its context.");

  public static final ConfigKey<Integer> EMBEDDINGS_ITERATIONS =
      ConfigKey.integer(
          "embeddings.iterations",
          EmbeddingParams.DEFAULT_ITERATIONS,
          1,
          EmbeddingParams.MAX_CONTEXT_OR_ITERATIONS,
          "Passes over the window's clicks (the model's maxIter).");

  public static final ConfigKey<Double> EMBEDDINGS_REGULARISATION =
      ConfigKey.decimal(
          "embeddings.als.regularisation",
          EmbeddingParams.DEFAULT_REGULARISATION,
          0,
          EmbeddingParams.MAX_WEIGHT,
          "als: the L2 penalty on the factors (regParam).");

  public static final ConfigKey<Double> EMBEDDINGS_CONFIDENCE =
      ConfigKey.decimal(
          "embeddings.als.confidence",
          EmbeddingParams.DEFAULT_CONFIDENCE,
          0,
          EmbeddingParams.MAX_WEIGHT,
          "als: alpha in the confidence 1 + alpha * clicks of an observed user-item pair.");

  public static final ConfigKey<Long> EMBEDDINGS_SEED =
      ConfigKey.longInt(
          "embeddings.seed",
          EmbeddingParams.DEFAULT_SEED,
          Long.MIN_VALUE,
          Long.MAX_VALUE,
          "Seed of the model's initialisation and sampling.");

  // ---- score-cold-start (defaults from ColdStartParams; see ColdStartScoresSchema) ----

  private static final double MAX_CS = ColdStartParams.MAX_WEIGHT;

  public static final ConfigKey<Integer> SCORE_COLD_START_WINDOW_DAYS =
      ConfigKey.integer(
          "score-cold-start.window-days",
          ColdStartParams.DEFAULT_WINDOW_DAYS,
          1,
          MAX_DAYS,
          "Content-state days D-window..D whose consecutive pairs are the learner's transitions;"
              + " click concentration reads the events of D-window+1..D.");

  public static final ConfigKey<Double> SCORE_COLD_START_COMPLETION_WEIGHT =
      ConfigKey.decimal(
          "score-cold-start.reward.completion",
          ColdStartParams.DEFAULT_COMPLETION_WEIGHT,
          0,
          MAX_CS,
          "True-engagement value of one completed impression.");

  public static final ConfigKey<Double> SCORE_COLD_START_SHARE_WEIGHT =
      ConfigKey.decimal(
          "score-cold-start.reward.share",
          ColdStartParams.DEFAULT_SHARE_WEIGHT,
          0,
          MAX_CS,
          "True-engagement value of one shared impression.");

  public static final ConfigKey<Double> SCORE_COLD_START_PURCHASE_WEIGHT =
      ConfigKey.decimal(
          "score-cold-start.reward.purchase",
          ColdStartParams.DEFAULT_PURCHASE_WEIGHT,
          0,
          MAX_CS,
          "True-engagement value of one unit of purchase amount (GMV).");

  public static final ConfigKey<Double> SCORE_COLD_START_HEATING_COST =
      ConfigKey.decimal(
          "score-cold-start.heating-cost",
          ColdStartParams.DEFAULT_HEATING_COST,
          0,
          MAX_CS,
          "Cost of one heated impression in true-engagement units, subtracted from the reward.");

  public static final ConfigKey<Double> SCORE_COLD_START_EXPLORATION_BONUS =
      ConfigKey.decimal(
          "score-cold-start.exploration-bonus",
          ColdStartParams.DEFAULT_EXPLORATION_BONUS,
          0,
          MAX_CS,
          "Multiple of the prediction's uncertainty added to the predicted value in the bid.");

  public static final ConfigKey<Double> SCORE_COLD_START_PRIOR_STRENGTH =
      ConfigKey.positive(
          "score-cold-start.engagement-prior-strength",
          ColdStartParams.DEFAULT_ENGAGEMENT_PRIOR_STRENGTH,
          MAX_CS,
          "Pseudo-impressions shrinking an item's engagement per impression toward its category's.");

  public static final ConfigKey<Double> SCORE_COLD_START_INFLATION_ONSET =
      ConfigKey.decimal(
          "score-cold-start.click-inflation-onset",
          ColdStartParams.DEFAULT_CLICK_INFLATION_ONSET,
          0,
          MAX_CS,
          "Click inflation at which the fraud penalty starts to grow from 0.");

  public static final ConfigKey<Double> SCORE_COLD_START_INFLATION_THRESHOLD =
      ConfigKey.positive(
          "score-cold-start.click-inflation-threshold",
          ColdStartParams.DEFAULT_CLICK_INFLATION_THRESHOLD,
          MAX_CS,
          "Click inflation at or above which a cold item is fraud-zeroed (above the onset).");

  public static final ConfigKey<Integer> SCORE_COLD_START_TOP_USERS =
      ConfigKey.integer(
          "score-cold-start.concentration-top-users",
          ColdStartParams.DEFAULT_CONCENTRATION_TOP_USERS,
          1,
          ColdStartParams.MAX_TREES,
          "k: click concentration is the top k users' share of the item's clicks in the window.");

  public static final ConfigKey<Double> SCORE_COLD_START_CONCENTRATION_ONSET =
      ConfigKey.decimal(
          "score-cold-start.concentration-onset",
          ColdStartParams.DEFAULT_CONCENTRATION_ONSET,
          0,
          1,
          "Top-k click share at which the fraud penalty starts to grow from 0.");

  public static final ConfigKey<Double> SCORE_COLD_START_CONCENTRATION_THRESHOLD =
      ConfigKey.positive(
          "score-cold-start.concentration-threshold",
          ColdStartParams.DEFAULT_CONCENTRATION_THRESHOLD,
          1,
          "Top-k click share at or above which a cold item is fraud-zeroed (above the onset).");

  public static final ConfigKey<Long> SCORE_COLD_START_FRAUD_MIN_CLICKS =
      ConfigKey.longInt(
          "score-cold-start.fraud-min-clicks",
          ColdStartParams.DEFAULT_FRAUD_MIN_CLICKS,
          0,
          MAX_COUNT,
          "Clicks an item needs before a fraud signal can penalise it (small items are spared).");

  public static final ConfigKey<Long> SCORE_COLD_START_MIN_TRANSITIONS =
      ConfigKey.longInt(
          "score-cold-start.min-transitions",
          ColdStartParams.DEFAULT_MIN_TRANSITIONS,
          1,
          MAX_COUNT,
          "Transitions the forest needs; with fewer the bid comes from the category prior.");

  public static final ConfigKey<Integer> SCORE_COLD_START_NUM_TREES =
      ConfigKey.integer(
          "score-cold-start.num-trees",
          ColdStartParams.DEFAULT_NUM_TREES,
          2,
          ColdStartParams.MAX_TREES,
          "Trees of the value forest; their spread is the bid's uncertainty.");

  public static final ConfigKey<Integer> SCORE_COLD_START_MAX_DEPTH =
      ConfigKey.integer(
          "score-cold-start.max-depth",
          ColdStartParams.DEFAULT_MAX_DEPTH,
          1,
          ColdStartParams.MAX_DEPTH,
          "Depth limit of each tree of the value forest.");

  public static final ConfigKey<Long> SCORE_COLD_START_SEED =
      ConfigKey.longInt(
          "score-cold-start.seed",
          ColdStartParams.DEFAULT_SEED,
          Long.MIN_VALUE,
          Long.MAX_VALUE,
          "Seed of the forest's bootstrap samples and feature subsets.");
  // ---- evaluate (off-policy evaluation and the promotion gate; see EvaluationSchema) ----

  private static final int DEFAULT_EVALUATE_REPLICATES = 200;
  private static final int MAX_EVALUATE_REPLICATES = 100_000;
  private static final double DEFAULT_EVALUATE_LEVEL = 0.95;
  private static final double MAX_EVALUATE_LEVEL = 0.999;
  private static final double MIN_EVALUATE_LEVEL = 0.5;
  private static final long DEFAULT_EVALUATE_SEED = 7L;
  private static final double DEFAULT_EVALUATE_VALUE_TOLERANCE = 0.1;
  private static final double MAX_EVALUATE_VALUE_TOLERANCE = 1e6;
  private static final double DEFAULT_EVALUATE_MAX_CTR_LOSS = 0.03;
  private static final double DEFAULT_EVALUATE_EXPLORATION_BAND = 3.0;
  private static final double MAX_EVALUATE_EXPLORATION_BAND = 1000.0;
  private static final int DEFAULT_EVALUATE_MAX_STEPS = 100_000;
  private static final int MAX_EVALUATE_STEPS = 10_000_000;
  private static final int DEFAULT_EVALUATE_FQE_STEPS = 8192;
  private static final int DEFAULT_EVALUATE_FQE_ITERATIONS = 6;
  private static final int MAX_EVALUATE_FQE_ITERATIONS = 1000;
  private static final int DEFAULT_EVALUATE_FQE_BATCH_SIZE = 1024;
  private static final int MAX_EVALUATE_FQE_BATCH_SIZE = 1 << 20;

  public static final ConfigKey<Integer> EVALUATE_BOOTSTRAP_REPLICATES =
      ConfigKey.integer(
          "evaluate.bootstrap-replicates",
          DEFAULT_EVALUATE_REPLICATES,
          2,
          MAX_EVALUATE_REPLICATES,
          "Poisson-bootstrap replicates behind every off-policy interval (cost is linear in it).");

  public static final ConfigKey<Double> EVALUATE_CONFIDENCE_LEVEL =
      ConfigKey.decimal(
          "evaluate.confidence-level",
          DEFAULT_EVALUATE_LEVEL,
          MIN_EVALUATE_LEVEL,
          MAX_EVALUATE_LEVEL,
          "Two-sided coverage of the bootstrap percentile intervals (the gate reads their lower"
              + " ends).");

  public static final ConfigKey<Long> EVALUATE_SEED =
      ConfigKey.longInt(
          "evaluate.seed",
          DEFAULT_EVALUATE_SEED,
          Long.MIN_VALUE,
          Long.MAX_VALUE,
          "Seed of the step sample, the bootstrap weights, the cross-fitting folds and the FQE"
              + " critic.");

  public static final ConfigKey<Double> EVALUATE_VALUE_TOLERANCE =
      ConfigKey.decimal(
          "evaluate.value-tolerance",
          DEFAULT_EVALUATE_VALUE_TOLERANCE,
          0,
          MAX_EVALUATE_VALUE_TOLERANCE,
          "Gate: how far (reward per step) the candidate's value may lie below the logging"
              + " policy's: the paired DR difference's lower bound must be >= -tolerance.");

  public static final ConfigKey<Double> EVALUATE_MAX_CTR_LOSS =
      ConfigKey.decimal(
          "evaluate.max-ctr-loss",
          DEFAULT_EVALUATE_MAX_CTR_LOSS,
          0,
          1,
          "Gate: the largest relative CTR loss (1 - candidate DR CTR / logging CTR) allowed.");

  public static final ConfigKey<Double> EVALUATE_EXPLORATION_BAND =
      ConfigKey.decimal(
          "evaluate.exploration-band",
          DEFAULT_EVALUATE_EXPLORATION_BAND,
          1,
          MAX_EVALUATE_EXPLORATION_BAND,
          "Gate: the candidate's mean served exploration probability must lie within [r / band, r *"
              + " band], r the status quo's rate recorded with the policy (its reference actions,"
              + " train.reference-weight); a policy exploring far less or far more than the status"
              + " quo is blocked.");

  public static final ConfigKey<Integer> EVALUATE_MAX_STEPS =
      ConfigKey.integer(
          "evaluate.max-steps",
          DEFAULT_EVALUATE_MAX_STEPS,
          1,
          MAX_EVALUATE_STEPS,
          "Cap on the seeded sample of D's replay steps evaluated (collected to the driver; ~2 KB"
              + " a step).");

  public static final ConfigKey<Integer> EVALUATE_FQE_STEPS =
      ConfigKey.integer(
          "evaluate.fqe-steps",
          DEFAULT_EVALUATE_FQE_STEPS,
          1,
          MAX_EVALUATE_STEPS,
          "Steps of the sample the fitted-Q-evaluation critic is fitted on (its cost is linear in"
              + " it).");

  public static final ConfigKey<Integer> EVALUATE_FQE_ITERATIONS =
      ConfigKey.integer(
          "evaluate.fqe-iterations",
          DEFAULT_EVALUATE_FQE_ITERATIONS,
          1,
          MAX_EVALUATE_FQE_ITERATIONS,
          "Fitted-Q-evaluation iterations Q <- r + gamma (1 - done) Q(s', pi(s')), one pass over"
              + " the FQE steps each.");

  public static final ConfigKey<Integer> EVALUATE_FQE_BATCH_SIZE =
      ConfigKey.integer(
          "evaluate.fqe-batch-size",
          DEFAULT_EVALUATE_FQE_BATCH_SIZE,
          1,
          MAX_EVALUATE_FQE_BATCH_SIZE,
          "Transitions per fit of the fitted-Q-evaluation critic.");

  // ---- publish ----

  private static final int DEFAULT_PUBLISH_KEEP = 7;
  private static final int MAX_PUBLISH_KEEP = 10_000;

  public static final ConfigKey<Boolean> PUBLISH_ALLOW_UNEVALUATED =
      ConfigKey.bool(
          "publish.allow-unevaluated",
          false,
          "Publish a policy with the gate recorded as not_evaluated when the evaluate stage wrote"
              + " no gate decision for the run date; false refuses to publish it.");

  public static final ConfigKey<Integer> PUBLISH_KEEP =
      ConfigKey.integer(
          "publish.keep",
          DEFAULT_PUBLISH_KEEP,
          1,
          MAX_PUBLISH_KEEP,
          "Published artifact directories kept under artifacts/policy (the newest, and always the"
              + " one LATEST names).");

  // ---- allocate (the system agent; see HeatingQuotasSchema, HeatingAllocationsSchema) ----

  /** {@code allocate.weight-source}: the configured weights as they are. */
  public static final String WEIGHT_SOURCE_CONFIG = WeightResolver.SOURCE_CONFIG;

  /** {@code allocate.weight-source}: the KPI-gap controller's weights. */
  public static final String WEIGHT_SOURCE_CONTROLLER = WeightResolver.SOURCE_CONTROLLER;

  /** {@code allocate.weight-source}: an outside source's weights, held near the controller's. */
  public static final String WEIGHT_SOURCE_OUTSIDE = WeightResolver.SOURCE_OUTSIDE;

  private static final long DEFAULT_ALLOCATE_BUDGET = 200_000L;
  private static final long DEFAULT_ALLOCATE_FLOOR_QUOTA = 50L;
  private static final double DEFAULT_ALLOCATE_MAX_AGE_DAYS = 2.0;
  private static final double DEFAULT_ALLOCATE_CREATOR_CAP_SHARE = 0.1;
  private static final int DEFAULT_ALLOCATE_FORECAST_DAYS = 7;
  private static final int DEFAULT_NEW_CONTENT_HOURS = 72;
  private static final int HOURS_PER_DAY = 24;
  private static final double DEFAULT_WEIGHT_SATISFACTION = 0.4;
  private static final double DEFAULT_WEIGHT_REVENUE = 0.3;
  private static final double DEFAULT_WEIGHT_RETENTION = 0.3;
  private static final double DEFAULT_WEIGHT_MIN = 0.05;
  private static final double DEFAULT_WEIGHT_MAX = 0.9;
  private static final double DEFAULT_TARGET_NEW_CONTENT_SHARE = 0.2;
  private static final double DEFAULT_TARGET_CTR = 0.05;
  private static final double DEFAULT_CONTROLLER_STEP = 0.05;
  private static final int DEFAULT_OUTSIDE_TIMEOUT_MS = 10_000;
  private static final int MAX_OUTSIDE_TIMEOUT_MS = 600_000;
  private static final double DEFAULT_OUTSIDE_MAX_DEVIATION = 0.1;

  public static final ConfigKey<Long> ALLOCATE_BUDGET =
      ConfigKey.longInt(
          "allocate.budget",
          DEFAULT_ALLOCATE_BUDGET,
          0,
          MAX_COUNT,
          "Budget pool: heated impressions the day's heating budget pays for.");

  public static final ConfigKey<Double> ALLOCATE_HEATING_CAP =
      ConfigKey.decimal(
          "allocate.heating-cap",
          AllocationParams.DEFAULT_HEATING_CAP,
          0,
          1,
          "Largest share of forecast traffic that may be heated (total <= min(budget, cap x"
              + " traffic)).");

  public static final ConfigKey<Double> ALLOCATE_MAX_CTR_COST =
      ConfigKey.decimal(
          "allocate.max-ctr-cost",
          0.025,
          0,
          1,
          "Largest relative loss of overall CTR the heating may cause: the heating cap is lowered"
              + " to max-ctr-cost / (1 - heated CTR / organic CTR) of the forecast window (most"
              + " of the gate's 3% CTR guardrail by default, the rest left to the rankers; 1"
              + " turns it off).");

  public static final ConfigKey<Double> ALLOCATE_MAX_AGE_DAYS =
      ConfigKey.positive(
          "allocate.max-age-days",
          DEFAULT_ALLOCATE_MAX_AGE_DAYS,
          MAX_DAYS,
          "Heating window: only cold items younger than this (days, at the end of D) are eligible"
              + " for D + 1's quotas; older cold items are scored but get quota 0 (reason"
              + " not_eligible). Heating launches new content: with the default 2 every heated"
              + " impression falls in the item's first 72 hours. An old item that stayed unseen"
              + " is left to the rankers.");

  public static final ConfigKey<Long> ALLOCATE_FLOOR_QUOTA =
      ConfigKey.longInt(
          "allocate.floor-quota",
          DEFAULT_ALLOCATE_FLOOR_QUOTA,
          0,
          MAX_COUNT,
          "Fairness floor: heated impressions every eligible cold item gets before any gets more"
              + " (0 turns it off).");

  public static final ConfigKey<Double> ALLOCATE_CREATOR_CAP_SHARE =
      ConfigKey.positive(
          "allocate.creator-cap-share",
          DEFAULT_ALLOCATE_CREATOR_CAP_SHARE,
          1,
          "Largest share of the pool one creator's items may take together, floors included.");

  public static final ConfigKey<Long> ALLOCATE_CREATOR_CAP_IMPRESSIONS =
      ConfigKey.longInt(
          "allocate.creator-cap-impressions",
          0L,
          0,
          MAX_COUNT,
          "Absolute per-creator cap in heated impressions, on top of the share (0 = none).");

  public static final ConfigKey<Integer> ALLOCATE_FORECAST_DAYS =
      ConfigKey.integer(
          "allocate.forecast-days",
          DEFAULT_ALLOCATE_FORECAST_DAYS,
          1,
          MAX_DAYS,
          "Traffic forecast for D+1: mean daily validated impressions over the days of"
              + " D-forecast-days+1..D that have any.");

  public static final ConfigKey<Integer> ALLOCATE_NEW_CONTENT_HOURS =
      ConfigKey.integer(
          "allocate.new-content-hours",
          DEFAULT_NEW_CONTENT_HOURS,
          1,
          MAX_DAYS * HOURS_PER_DAY,
          "An impression counts as new content when its item was published less than this many"
              + " hours before it (the controller's new-content share).");

  public static final ConfigKey<Double> ALLOCATE_WEIGHT_SATISFACTION =
      ConfigKey.decimal(
          "allocate.weights.satisfaction",
          DEFAULT_WEIGHT_SATISFACTION,
          0,
          1,
          "Configured weight of user satisfaction (normalised with the other two).");

  public static final ConfigKey<Double> ALLOCATE_WEIGHT_REVENUE =
      ConfigKey.decimal(
          "allocate.weights.revenue",
          DEFAULT_WEIGHT_REVENUE,
          0,
          1,
          "Configured weight of platform revenue (normalised with the other two).");

  public static final ConfigKey<Double> ALLOCATE_WEIGHT_RETENTION =
      ConfigKey.decimal(
          "allocate.weights.retention",
          DEFAULT_WEIGHT_RETENTION,
          0,
          1,
          "Configured weight of long-term retention/diversity: the share of the pool after the"
              + " floors spread evenly instead of by score.");

  public static final ConfigKey<Double> ALLOCATE_WEIGHT_MIN =
      ConfigKey.decimal(
          "allocate.weight-min",
          DEFAULT_WEIGHT_MIN,
          0,
          1.0 / 3,
          "Lower bound every business weight is clamped to, whatever its source.");

  public static final ConfigKey<Double> ALLOCATE_WEIGHT_MAX =
      ConfigKey.decimal(
          "allocate.weight-max",
          DEFAULT_WEIGHT_MAX,
          1.0 / 3,
          1,
          "Upper bound every business weight is clamped to, whatever its source.");

  public static final ConfigKey<String> ALLOCATE_WEIGHT_SOURCE =
      ConfigKey.oneOf(
          "allocate.weight-source",
          WEIGHT_SOURCE_CONTROLLER,
          new LinkedHashSet<>(
              List.of(WEIGHT_SOURCE_CONFIG, WEIGHT_SOURCE_CONTROLLER, WEIGHT_SOURCE_OUTSIDE)),
          "Where the business weights come from: the config, the KPI-gap controller, or the"
              + " outside source (falls back to the controller's on any failure).");

  public static final ConfigKey<Double> ALLOCATE_TARGET_NEW_CONTENT_SHARE =
      ConfigKey.positive(
          "allocate.controller.target-new-content-share",
          DEFAULT_TARGET_NEW_CONTENT_SHARE,
          1,
          "Controller target: share of impressions on new content; under it the retention"
              + " weight rises.");

  public static final ConfigKey<Double> ALLOCATE_TARGET_CTR =
      ConfigKey.positive(
          "allocate.controller.target-ctr",
          DEFAULT_TARGET_CTR,
          1,
          "Controller target: clicks per impression; under it the satisfaction weight rises.");

  public static final ConfigKey<Double> ALLOCATE_CONTROLLER_STEP =
      ConfigKey.decimal(
          "allocate.controller.step",
          DEFAULT_CONTROLLER_STEP,
          0,
          1,
          "Largest move of one weight per run date (before normalisation and clamping).");

  public static final ConfigKey<String> ALLOCATE_OUTSIDE_BASE_URL =
      ConfigKey.string(
          "allocate.outside.base-url",
          "http://127.0.0.1:8000",
          "Base URL of the OpenAI-compatible endpoint ({base-url}/v1/chat/completions) used when"
              + " allocate.weight-source = outside.");

  public static final ConfigKey<String> ALLOCATE_OUTSIDE_MODEL =
      ConfigKey.string(
          "allocate.outside.model", "gpt-4o-mini", "Model name sent to the outside endpoint.");

  public static final ConfigKey<String> ALLOCATE_OUTSIDE_API_KEY_ENV =
      ConfigKey.string(
          "allocate.outside.api-key-env",
          "KINDLING_WEIGHTS_API_KEY",
          "NAME of the environment variable holding the outside endpoint's API key (the key"
              + " itself never goes in config or logs).");

  public static final ConfigKey<Integer> ALLOCATE_OUTSIDE_TIMEOUT_MS =
      ConfigKey.integer(
          "allocate.outside.timeout-ms",
          DEFAULT_OUTSIDE_TIMEOUT_MS,
          1,
          MAX_OUTSIDE_TIMEOUT_MS,
          "Connect and response timeout of the outside endpoint, in milliseconds.");

  public static final ConfigKey<Double> ALLOCATE_OUTSIDE_MAX_DEVIATION =
      ConfigKey.decimal(
          "allocate.outside.max-deviation",
          DEFAULT_OUTSIDE_MAX_DEVIATION,
          0,
          1,
          "How far an outside weight may move from the controller's, per weight.");

  // ---- simulate (defaults from SimulatorConfig.defaults(): the embedded demo world) ----

  private static final SimulatorConfig SIM = SimulatorConfig.defaults();
  private static final int MAX_POPULATION = SimulatorConfig.MAX_POPULATION;

  public static final ConfigKey<LocalDate> SIMULATE_START_DATE =
      ConfigKey.date(
          "simulate.start-date", SIM.startDate(), "First simulated day (UTC) of the demo logs.");

  public static final ConfigKey<Integer> SIMULATE_DAYS =
      ConfigKey.integer(
          "simulate.days", DEFAULT_SIMULATE_DAYS, 1, MAX_DAYS, "Days the simulator serves.");

  public static final ConfigKey<Long> SIMULATE_SEED =
      ConfigKey.longInt(
          "simulate.seed",
          SIM.seed(),
          Long.MIN_VALUE,
          Long.MAX_VALUE,
          "Seed of every random draw: the same config and seed give the same logs.");

  public static final ConfigKey<Integer> SIMULATE_USERS =
      ConfigKey.integer(
          "simulate.users",
          SIM.initialUsers(),
          1,
          MAX_POPULATION,
          "Users signed up before the first simulated day.");

  public static final ConfigKey<Integer> SIMULATE_NEW_USERS_PER_DAY =
      ConfigKey.integer(
          "simulate.new-users-per-day",
          SIM.newUsersPerDay(),
          0,
          MAX_POPULATION,
          "Users who sign up on each simulated day.");

  public static final ConfigKey<Integer> SIMULATE_ITEMS =
      ConfigKey.integer(
          "simulate.items",
          SIM.initialItems(),
          1,
          MAX_POPULATION,
          "Items published before the first simulated day.");

  public static final ConfigKey<Integer> SIMULATE_NEW_ITEMS_PER_DAY =
      ConfigKey.integer(
          "simulate.new-items-per-day",
          SIM.newItemsPerDay(),
          0,
          MAX_POPULATION,
          "Items published on each simulated day.");

  public static final ConfigKey<Integer> SIMULATE_CATEGORIES =
      ConfigKey.integer(
          "simulate.categories",
          SIM.categories(),
          1,
          SimulatorConfig.MAX_CATEGORIES,
          "Content categories of the simulated world.");

  public static final ConfigKey<Integer> SIMULATE_CREATORS =
      ConfigKey.integer(
          "simulate.creators", SIM.creators(), 1, MAX_POPULATION, "Creators publishing items.");

  public static final ConfigKey<Double> SIMULATE_CREATOR_ZIPF =
      ConfigKey.decimal(
          "simulate.creator-zipf-exponent",
          SIM.creatorZipfExponent(),
          0,
          SimulatorConfig.MAX_ZIPF_EXPONENT,
          "Exponent s of creator popularity 1/rank^s: larger is a heavier head.");

  public static final ConfigKey<Double> SIMULATE_INTEREST_CONCENTRATION =
      ConfigKey.positive(
          "simulate.interest-concentration",
          SIM.interestConcentration(),
          SimulatorConfig.MAX_INTEREST_CONCENTRATION,
          "Dirichlet alpha of users' latent interests: small is concentrated.");

  public static final ConfigKey<Integer> SIMULATE_FEED_SLATE =
      ConfigKey.integer(
          "simulate.slate-size.feed",
          SIM.feedSlateSize(),
          1,
          SimulatorConfig.MAX_SLATE_SIZE,
          "Items per feed request.");

  public static final ConfigKey<Integer> SIMULATE_SEARCH_SLATE =
      ConfigKey.integer(
          "simulate.slate-size.search",
          SIM.searchSlateSize(),
          1,
          SimulatorConfig.MAX_SLATE_SIZE,
          "Items per search request.");

  public static final ConfigKey<Integer> SIMULATE_DETAIL_SLATE =
      ConfigKey.integer(
          "simulate.slate-size.detail",
          SIM.detailSlateSize(),
          1,
          SimulatorConfig.MAX_SLATE_SIZE,
          "Items per detail request.");

  public static final ConfigKey<Double> SIMULATE_CLICKBAIT_SHARE =
      ConfigKey.decimal(
          "simulate.clickbait-share",
          SIM.clickbaitShare(),
          0,
          1,
          "Share of items that are clickbait: clicked often, rarely completed.");

  public static final ConfigKey<Double> SIMULATE_HEATING_SHARE =
      ConfigKey.decimal(
          "simulate.heating-share",
          SIM.heatingShare(),
          0,
          1,
          "Share of the newest items the manual heating puts in its pool.");

  public static final ConfigKey<Double> SIMULATE_HEATING_REQUEST_PROB =
      ConfigKey.decimal(
          "simulate.heating-request-prob",
          SIM.heatingRequestProb(),
          0,
          MAX_HEATING_REQUEST_PROB,
          "Probability that a feed request carries one heated slot.");

  public static final ConfigKey<Double> SIMULATE_EXPLORATION_RATE =
      ConfigKey.decimal(
          "simulate.exploration-rate",
          SIM.explorationRate(),
          0,
          1,
          "The logging policy's per-request exploration probability.");

  public static final ConfigKey<Integer> SIMULATE_PROTECTION_DAYS =
      ConfigKey.integer(
          "simulate.protection-days",
          SIM.explorationProtectionDays(),
          0,
          MAX_DAYS,
          "Days after sign-up in which the logging policy never explores.");

  public static final ConfigKey<Integer> SIMULATE_THREADS =
      ConfigKey.integer(
          "simulate.threads",
          SIM.threads(),
          1,
          SimulatorConfig.MAX_THREADS,
          "Threads simulating users in parallel; the output does not depend on it.");

  // ---- simulate-loop (the closed-loop evaluation; the world is the simulate.* one) ----

  /** The status quo arm: the logging policy and manual heating. */
  public static final String LOOP_POLICY_POPULARITY = "popularity";

  /** The ε-greedy arm: the logging ranker exploring at simulate-loop.epsilon, manual heating. */
  public static final String LOOP_POLICY_EPSILON = "epsilon";

  /** The Kindling arm: the policy and quotas the nightly job publishes in the arm's lakehouse. */
  public static final String LOOP_POLICY_KINDLING = "kindling";

  private static final int DEFAULT_LOOP_DAYS = 7;
  private static final int DEFAULT_LOOP_WARM_UP_DAYS = 3;
  private static final int MIN_LOOP_WARM_UP_DAYS = 2;
  private static final double DEFAULT_LOOP_EPSILON = 0.1;

  public static final ConfigKey<Integer> SIMULATE_LOOP_DAYS =
      ConfigKey.integer(
          "simulate-loop.days",
          DEFAULT_LOOP_DAYS,
          1,
          MAX_DAYS,
          "Loop days served by the arm's policy after the warm-up days.");

  public static final ConfigKey<String> SIMULATE_LOOP_POLICY =
      ConfigKey.oneOf(
          "simulate-loop.policy",
          LOOP_POLICY_KINDLING,
          new LinkedHashSet<>(
              List.of(LOOP_POLICY_POPULARITY, LOOP_POLICY_EPSILON, LOOP_POLICY_KINDLING)),
          "The arm: popularity (logging policy, manual heating), epsilon (epsilon-greedy, manual"
              + " heating) or kindling (the nightly-published policy and quotas).");

  public static final ConfigKey<String> SIMULATE_LOOP_ARM =
      ConfigKey.name(
          "simulate-loop.arm",
          "",
          true,
          "The arm's name (its directory and its evaluation rows' policy), so two arms of one"
              + " policy with different settings sit side by side, e.g. kindling-encoder; empty:"
              + " the policy's name.");

  public static final ConfigKey<Long> SIMULATE_LOOP_SEED =
      ConfigKey.longInt(
          "simulate-loop.seed",
          SIM.seed(),
          Long.MIN_VALUE,
          Long.MAX_VALUE,
          "Seed of the loop's world: every arm of one seed sees the same users, items and warm-up.");

  public static final ConfigKey<Integer> SIMULATE_LOOP_WARM_UP_DAYS =
      ConfigKey.integer(
          "simulate-loop.warm-up-days",
          DEFAULT_LOOP_WARM_UP_DAYS,
          MIN_LOOP_WARM_UP_DAYS,
          MAX_DAYS,
          "Days served by the logging policy before the loop: the first builds the mind state the"
              + " next day's replay starts from, so the first policy trains on warm-up - 1 days of"
              + " transitions with a start-of-day state.");

  public static final ConfigKey<Double> SIMULATE_LOOP_EPSILON =
      ConfigKey.decimal(
          "simulate-loop.epsilon",
          DEFAULT_LOOP_EPSILON,
          0,
          1,
          "Exploration rate of the epsilon arm (none in a user's protection period).");

  public static final ConfigKey<String> SIMULATE_LOOP_DIR =
      ConfigKey.string(
          "simulate-loop.dir",
          "loops",
          "Directory under lakehouse.root holding each arm's world lakehouse,"
              + " <dir>/seed=S/policy=A, A the arm's name (replaced when the arm is re-run).");

  private static final List<ConfigKey<?>> ALL =
      List.of(
          SIMULATE_START_DATE,
          SIMULATE_DAYS,
          SIMULATE_SEED,
          SIMULATE_USERS,
          SIMULATE_NEW_USERS_PER_DAY,
          SIMULATE_ITEMS,
          SIMULATE_NEW_ITEMS_PER_DAY,
          SIMULATE_CATEGORIES,
          SIMULATE_CREATORS,
          SIMULATE_CREATOR_ZIPF,
          SIMULATE_INTEREST_CONCENTRATION,
          SIMULATE_FEED_SLATE,
          SIMULATE_SEARCH_SLATE,
          SIMULATE_DETAIL_SLATE,
          SIMULATE_CLICKBAIT_SHARE,
          SIMULATE_HEATING_SHARE,
          SIMULATE_HEATING_REQUEST_PROB,
          SIMULATE_EXPLORATION_RATE,
          SIMULATE_PROTECTION_DAYS,
          SIMULATE_THREADS,
          SIMULATE_LOOP_DAYS,
          SIMULATE_LOOP_POLICY,
          SIMULATE_LOOP_ARM,
          SIMULATE_LOOP_SEED,
          SIMULATE_LOOP_WARM_UP_DAYS,
          SIMULATE_LOOP_EPSILON,
          SIMULATE_LOOP_DIR,
          LAKEHOUSE_ROOT,
          SPARK_MASTER,
          SPARK_SHUFFLE_PARTITIONS,
          LAKEHOUSE_LEASE_TTL_SECONDS,
          SCENARIOS,
          FEATURES_WINDOW_DAYS,
          FEATURES_LOOKBACK_DAYS,
          FEATURES_RECENT_LENGTH,
          FEATURES_FATIGUE_RATE,
          FEATURES_SATISFACTION_RATE,
          FEATURES_CURIOSITY_RATE,
          FEATURES_SATISFACTION_PRIOR,
          FEATURES_CURIOSITY_PRIOR,
          FEATURES_NOVELTY_PRIOR_STRENGTH,
          FEATURES_CLICK_ONLY_SATISFACTION,
          FEATURES_FATIGUE_RECOVERY,
          FEATURES_EXPLOITATION_TOP,
          FEATURES_PROTECTION_DAYS,
          FEATURES_CTR_PRIOR_STRENGTH,
          FEATURES_COMPLETION_PRIOR_STRENGTH,
          FEATURES_COLD_MAX_AGE_DAYS,
          FEATURES_COLD_MIN_EXPOSURE,
          FEATURES_FRAUD_INFLATION,
          FEATURES_FRAUD_MIN_CLICKS,
          FEATURES_CONTENT_HORIZON_DAYS,
          REPLAY_HISTORY_STEPS,
          REPLAY_BUCKETS,
          REPLAY_ACTION_LENGTH,
          REPLAY_REWARD_ENGAGEMENT,
          REPLAY_REWARD_NEW_CONTENT,
          REPLAY_REWARD_DIVERSITY,
          REPLAY_REWARD_FATIGUE,
          REPLAY_ENCODER_ENABLED,
          REPLAY_ENCODER_RECENT_STEPS,
          REPLAY_ENCODER_WINDOW_DAYS,
          TRAIN_TRAINER,
          TRAIN_WINDOW_DAYS,
          TRAIN_ROUNDS,
          TRAIN_BATCH_SIZE,
          TRAIN_TRANSITIONS_PER_ROUND,
          TRAIN_SEED,
          TRAIN_GAMMA,
          TRAIN_TAU,
          TRAIN_ALPHA,
          TRAIN_ENTROPY_WEIGHT,
          TRAIN_BEHAVIOUR_RELAXATION,
          TRAIN_REFERENCE_WEIGHT,
          TRAIN_ACTOR_LEARNING_RATE,
          TRAIN_CRITIC_LEARNING_RATE,
          TRAIN_WORKERS,
          EMBEDDINGS_MODEL,
          EMBEDDINGS_DIMENSION,
          EMBEDDINGS_WINDOW_DAYS,
          EMBEDDINGS_MIN_CLICKS,
          EMBEDDINGS_CONTEXT_WINDOW,
          EMBEDDINGS_ITERATIONS,
          EMBEDDINGS_REGULARISATION,
          EMBEDDINGS_CONFIDENCE,
          EMBEDDINGS_SEED,
          SCORE_COLD_START_WINDOW_DAYS,
          SCORE_COLD_START_COMPLETION_WEIGHT,
          SCORE_COLD_START_SHARE_WEIGHT,
          SCORE_COLD_START_PURCHASE_WEIGHT,
          SCORE_COLD_START_HEATING_COST,
          SCORE_COLD_START_EXPLORATION_BONUS,
          SCORE_COLD_START_PRIOR_STRENGTH,
          SCORE_COLD_START_INFLATION_ONSET,
          SCORE_COLD_START_INFLATION_THRESHOLD,
          SCORE_COLD_START_TOP_USERS,
          SCORE_COLD_START_CONCENTRATION_ONSET,
          SCORE_COLD_START_CONCENTRATION_THRESHOLD,
          SCORE_COLD_START_FRAUD_MIN_CLICKS,
          SCORE_COLD_START_MIN_TRANSITIONS,
          SCORE_COLD_START_NUM_TREES,
          SCORE_COLD_START_MAX_DEPTH,
          SCORE_COLD_START_SEED,
          EVALUATE_BOOTSTRAP_REPLICATES,
          EVALUATE_CONFIDENCE_LEVEL,
          EVALUATE_SEED,
          EVALUATE_VALUE_TOLERANCE,
          EVALUATE_MAX_CTR_LOSS,
          EVALUATE_EXPLORATION_BAND,
          EVALUATE_MAX_STEPS,
          EVALUATE_FQE_STEPS,
          EVALUATE_FQE_ITERATIONS,
          EVALUATE_FQE_BATCH_SIZE,
          PUBLISH_ALLOW_UNEVALUATED,
          PUBLISH_KEEP,
          ALLOCATE_BUDGET,
          ALLOCATE_HEATING_CAP,
          ALLOCATE_MAX_CTR_COST,
          ALLOCATE_FLOOR_QUOTA,
          ALLOCATE_CREATOR_CAP_SHARE,
          ALLOCATE_CREATOR_CAP_IMPRESSIONS,
          ALLOCATE_FORECAST_DAYS,
          ALLOCATE_NEW_CONTENT_HOURS,
          ALLOCATE_MAX_AGE_DAYS,
          ALLOCATE_WEIGHT_SATISFACTION,
          ALLOCATE_WEIGHT_REVENUE,
          ALLOCATE_WEIGHT_RETENTION,
          ALLOCATE_WEIGHT_MIN,
          ALLOCATE_WEIGHT_MAX,
          ALLOCATE_WEIGHT_SOURCE,
          ALLOCATE_TARGET_NEW_CONTENT_SHARE,
          ALLOCATE_TARGET_CTR,
          ALLOCATE_CONTROLLER_STEP,
          ALLOCATE_OUTSIDE_BASE_URL,
          ALLOCATE_OUTSIDE_MODEL,
          ALLOCATE_OUTSIDE_API_KEY_ENV,
          ALLOCATE_OUTSIDE_TIMEOUT_MS,
          ALLOCATE_OUTSIDE_MAX_DEVIATION);

  private static final Map<String, ConfigKey<?>> BY_PATH = index(ALL);

  private ConfigKeys() {}

  /** Every declared key. */
  public static List<ConfigKey<?>> all() {
    return ALL;
  }

  /** Every declared key by its HOCON path. */
  public static Map<String, ConfigKey<?>> byPath() {
    return BY_PATH;
  }

  private static Map<String, ConfigKey<?>> index(List<ConfigKey<?>> keys) {
    Map<String, ConfigKey<?>> out = new LinkedHashMap<>();
    for (ConfigKey<?> key : keys) {
      if (out.put(key.path(), key) != null) {
        throw new IllegalStateException("config key declared twice: " + key.path());
      }
    }
    return Map.copyOf(out);
  }
}
