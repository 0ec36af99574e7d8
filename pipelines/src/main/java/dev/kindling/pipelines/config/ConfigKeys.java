package dev.kindling.pipelines.config;

import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.features.content.ColdStartParams;
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
          "spark.sql.shuffle.partitions for every stage: about 2-3 per executor core.");

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
  // ---- publish ----

  private static final int DEFAULT_PUBLISH_KEEP = 7;
  private static final int MAX_PUBLISH_KEEP = 10_000;

  public static final ConfigKey<Boolean> PUBLISH_ALLOW_UNEVALUATED =
      ConfigKey.bool(
          "publish.allow-unevaluated",
          false,
          "Publish a policy with the gate recorded as not_evaluated when no evaluation exists for"
              + " the run date; false refuses to publish it.");

  public static final ConfigKey<Integer> PUBLISH_KEEP =
      ConfigKey.integer(
          "publish.keep",
          DEFAULT_PUBLISH_KEEP,
          1,
          MAX_PUBLISH_KEEP,
          "Published artifact directories kept under artifacts/policy (the newest, and always the"
              + " one LATEST names).");

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
          LAKEHOUSE_ROOT,
          SPARK_MASTER,
          SPARK_SHUFFLE_PARTITIONS,
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
          TRAIN_ACTOR_LEARNING_RATE,
          TRAIN_CRITIC_LEARNING_RATE,
          TRAIN_WORKERS,
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
          PUBLISH_ALLOW_UNEVALUATED,
          PUBLISH_KEEP);

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
