package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Networks;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.agents.replay.ObservationNormaliser;
import dev.kindling.agents.replay.ReplayBatches;
import dev.kindling.agents.serving.Action;
import dev.kindling.agents.serving.PolicyArtifactException;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.serving.SequenceInputs;
import dev.kindling.features.metrics.DailyMetrics;
import dev.kindling.features.metrics.ExposureMetrics;
import dev.kindling.features.metrics.MetricParams;
import dev.kindling.features.ope.OffPolicyEstimator;
import dev.kindling.features.ope.OffPolicyEstimators;
import dev.kindling.features.ope.OpeEstimate;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.schema.DailyMetricsSchema;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.regression.LinearRegression;
import org.apache.spark.ml.regression.LinearRegressionModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code evaluate} stage for run date D: observed metrics of D's logs, off-policy estimates of
 * the candidate policy ({@code models/dt=D}), the logging policy and the last published policy, and
 * the promotion gate that {@link PublishJob} honours, all written to {@code evaluation} as the rows
 * of (D, {@code run = 'evaluate'}) ({@link EvaluationSchema}); a re-run replaces exactly those rows
 * ({@link Lakehouse#replaceRows}).
 *
 * <p>What is estimated, on a seeded sample of at most {@code evaluate.max-steps} of D's replay
 * steps:
 *
 * <ul>
 *   <li>the exploration decision (IPS, SNIPS, DM, DR of {@code reward_per_step} and of the step's
 *       clicks per impression, {@code ctr}): each step's logged {@code explore} with its logged
 *       {@code explore_prob} against the exploration probability the target policy serves on the
 *       step's {@code obs} and {@code history} ({@link PolicyClient#act}, protection rule
 *       included); the ranking weights are taken as logged. DM and DR use a two-fold cross-fitted
 *       linear reward model of the raw observation and the explore flag;
 *   <li>the whole joint action (ranking weights and exploration), by fitted-Q evaluation ({@code
 *       fqe}): a fresh critic ({@link Networks#critic}, independent of the candidate's own critics,
 *       which were trained by the policy being judged) fitted on {@code evaluate.fqe-steps} of the
 *       sample with D's real rewards, {@code evaluate.fqe-iterations} times Q ← r + γ(1−done)·
 *       Q_prev(s', π(s')); then V(π) = mean Q(s, π(s)) and V(logging) = mean Q(s, a_logged),
 *       written as metric {@code discounted_return} (a return, not a per-step reward).
 * </ul>
 *
 * <p>The gate (kind {@code gate}, policy {@code candidate}): {@link PromotionGate#VALUE} decided by
 * DR of reward per step, on the paired per-step difference candidate minus logging ({@code
 * reward_per_step_vs_logging}; DR is unbiased with the logged propensities whatever the reward
 * model and of lower variance than IPS when the model helps; FQE is reported but does not decide,
 * since its interval holds a fitted model fixed and its Q of unlogged actions is extrapolation),
 * {@link PromotionGate#CTR_LOSS} by the DR point estimates of clicks per impression, and {@link
 * PromotionGate#PROTECTION_PERIOD} on the served output; the decision row {@code metric = 'gate'}.
 *
 * <p>Costs: about twenty small Spark jobs for the metrics over the validated events of D and its
 * lookback window; one scan of D's replay with a top-k of the sample, collected to the driver
 * (about 1 KB a step, primitive arrays) and a second top-k of the FQE steps (replay rows, a few KB
 * each); two actor forward passes per step and policy (plain Java); four linear-regression fits;
 * per estimate one Spark pass with the Poisson bootstrap; per FQE policy {@code fqe-iterations}
 * passes of critic fits over the FQE steps; one Delta commit. Needs a local lakehouse root for the
 * model directories.
 */
public final class EvaluateJob {

  private static final Logger LOG = LoggerFactory.getLogger(EvaluateJob.class);
  private static final String STAGE = "evaluate";
  private static final double NANOS_PER_SECOND = 1e9;

  /** The logging policy's name in {@code evaluation}. */
  public static final String LOGGING = "logging";

  /** The candidate policy's name in {@code evaluation}. */
  public static final String CANDIDATE = "candidate";

  /** The published policy's name in {@code evaluation}. */
  public static final String PUBLISHED = "published";

  /** Estimator name of observed metrics. */
  public static final String OBSERVED = "observed";

  /** Estimator name of fitted-Q evaluation. */
  public static final String FQE = "fqe";

  /** Metric: the step reward. */
  public static final String REWARD_PER_STEP = "reward_per_step";

  /**
   * Metric of the FQE rows: the discounted return from a step, mean Q(s, a) with γ = {@code
   * train.gamma}; on another scale than the per-step figures.
   */
  public static final String DISCOUNTED_RETURN = "discounted_return";

  /** Metric: the step's clicks per impression. */
  public static final String CTR = "ctr";

  /** Suffix of a metric estimated as the candidate minus the logging policy. */
  public static final String DIFFERENCE_SUFFIX = "_vs_logging";

  /** Metric of the Lorenz curve rows. */
  public static final String EXPOSURE_LORENZ = "exposure_lorenz";

  /** The predicate of the rows this stage owns in {@code evaluation}. */
  public static final String OWN_ROWS =
      EvaluationSchema.RUN + " = '" + EvaluationSchema.RUN_EVALUATE + "'";

  private static final int LORENZ_POINTS = 100;
  private static final int FOLDS = 2;
  private static final double REGRESSION_REG_PARAM = 1e-3;
  private static final String KEY = "_sample_key";
  private static final String CLICKS = "_clicks";
  private static final String IMPRESSIONS = "_impressions";
  private static final String EXPLORE = "explore";
  private static final String EXPLORE_PROB = "explore_prob";
  private static final String FOLD = "fold";
  private static final String FEATURES = "features";
  private static final String FEATURES_EXPLORE = "features_explore";
  private static final String FEATURES_EXPLOIT = "features_exploit";
  private static final String PI_PREFIX = "pi_";
  private static final String Q_LOGGED = "_q_logged";
  private static final String Q_EXPLORE = "_q_explore";
  private static final String Q_EXPLOIT = "_q_exploit";

  private static final List<String> FQE_COLUMNS =
      List.of(
          ReplaySchema.REQUEST_ID,
          ReplaySchema.AGENT,
          ReplaySchema.OBS,
          ReplaySchema.HISTORY,
          ReplaySchema.ACTION,
          ReplaySchema.EXPLORE_PROB,
          ReplaySchema.REWARD,
          ReplaySchema.NEXT_OBS,
          ReplaySchema.NEXT_HISTORY,
          ReplaySchema.NEXT_AGENT,
          ReplaySchema.DONE,
          ReplaySchema.ENCODER_RECENT,
          ReplaySchema.ENCODER_STEPS,
          ReplaySchema.ENCODER_OLDER,
          ReplaySchema.NEXT_ENCODER_RECENT,
          ReplaySchema.NEXT_ENCODER_STEPS,
          ReplaySchema.NEXT_ENCODER_OLDER);

  private final SparkSession spark;
  private final EvaluateConfig config;

  public EvaluateJob(SparkSession spark, EvaluateConfig config) {
    this.spark = spark;
    this.config = config;
  }

  /**
   * One sampled replay step, with primitive arrays (compact on the driver); {@code sequence} is the
   * step's behaviour-sequence encoder inputs, null when the replay was built without them.
   */
  record Step(
      long key,
      String agent,
      float[] obs,
      float[] history,
      Boolean explore,
      Double exploreProb,
      double reward,
      Double ctr,
      SequenceInputs.Encoded sequence)
      implements Serializable {}

  public EvaluateResult run() {
    try (RunLease lease =
        new Lakehouse(spark, config.lakehouseRoot()).lease(STAGE, config.runDate())) {
      return runLeased();
    }
  }

  private EvaluateResult runLeased() {
    long started = System.nanoTime();
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    LocalDate day = config.runDate();
    Path model = lakehouse.localPath(TrainJob.MODELS + "/" + PolicyArtifacts.directoryName(day));
    if (!Files.isDirectory(model)) {
      throw Errors.missingInput(
          "the trained policy of " + day,
          model.toString(),
          "Run 'bin/kindling train --run-date "
              + day
              + "' first (nightly runs it before evaluate).");
    }
    ObservationNormaliser normaliser =
        JobGroups.run(
            spark,
            STAGE,
            "read the feature spec",
            () ->
                ReferenceTables.featureSpec(
                    lakehouse, config.runDate(), config.scenarios(), STAGE));
    PolicyClient candidate;
    try {
      candidate = PolicyClient.fromModel(model, normaliser.normalisation());
    } catch (RuntimeException e) {
      throw Errors.of(
          "evaluate " + day + " cannot load the trained policy " + model + ": " + e.getMessage(),
          "The policy and the replay_feature_spec of " + day + " must come from the same run.",
          "Re-run 'bin/kindling train --run-date " + day + "'.");
    }
    Map<String, PolicyClient> policies = new LinkedHashMap<>();
    policies.put(CANDIDATE, candidate);
    String publishedName = published(lakehouse, candidate);
    if (publishedName != null) {
      policies.put(
          PUBLISHED,
          PolicyClient.load(lakehouse.localPath(TrainJob.POLICY_ARTIFACTS).resolve(publishedName)));
    }

    List<Row> rows = new ArrayList<>();
    JobGroups.run(spark, STAGE, "observed metrics", () -> rows.addAll(metricRows(lakehouse)));
    List<Step> steps = JobGroups.run(spark, STAGE, "sample replay steps", () -> steps(lakehouse));
    Map<String, OpeEstimate> decisive = new LinkedHashMap<>();
    long offPolicySteps =
        JobGroups.run(
            spark,
            STAGE,
            "off-policy estimates of the exploration decision",
            () -> offPolicy(steps, policies, rows, decisive));
    List<Row> fqeRows = JobGroups.run(spark, STAGE, "sample FQE steps", () -> fqeRows(lakehouse));
    JobGroups.run(
        spark,
        STAGE,
        "fitted-Q evaluation",
        () -> {
          fqe(fqeRows, normaliser, policies, rows);
          return null;
        });

    List<PromotionGate.Check> checks = new ArrayList<>();
    checks.add(
        PromotionGate.value(
            decisive.get(CANDIDATE + "/" + REWARD_PER_STEP),
            decisive.get(LOGGING + "/" + REWARD_PER_STEP).estimate(),
            decisive.get(CANDIDATE + "/" + REWARD_PER_STEP + DIFFERENCE_SUFFIX),
            config.valueTolerance()));
    checks.add(
        PromotionGate.ctrLoss(
            decisive.get(CANDIDATE + "/" + CTR).estimate(),
            decisive.get(LOGGING + "/" + CTR).estimate(),
            config.maxCtrLoss()));
    float[] served = servedExploration(steps, candidate);
    checks.add(protection(steps, served, candidate));
    checks.add(explorationRate(steps, served, candidate, model));
    PromotionGate.Check decision = PromotionGate.decision(checks);
    checks.add(decision);
    for (PromotionGate.Check check : checks) {
      rows.add(
          row(
              CANDIDATE,
              EvaluationSchema.KIND_GATE,
              check.metric(),
              null,
              check.passed() ? 1.0 : 0.0,
              null,
              null,
              null,
              null,
              check.detail()));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, EvaluationSchema.SCHEMA);
    Lakehouse.PartitionWrite write =
        JobGroups.run(
            spark,
            STAGE,
            "write evaluation",
            () -> lakehouse.replaceRows(Table.EVALUATION, day, OWN_ROWS, frame));
    List<String> failed =
        checks.subList(0, checks.size() - 1).stream()
            .filter(c -> !c.passed())
            .map(PromotionGate.Check::describe)
            .toList();
    EvaluateResult result =
        new EvaluateResult(
            day,
            write.rows(),
            steps.size(),
            offPolicySteps,
            fqeRows.size(),
            publishedName,
            decision.passed(),
            failed,
            (System.nanoTime() - started) / NANOS_PER_SECOND);
    LOG.info("{}", result);
    return result;
  }

  /**
   * The artifact directory {@code LATEST} names when it is another date's policy of the same
   * observation layout, else null (logged).
   */
  private String published(Lakehouse lakehouse, PolicyClient candidate) {
    LocalDate day = config.runDate();
    Path artifacts = lakehouse.localPath(TrainJob.POLICY_ARTIFACTS);
    String name;
    try {
      name = PolicyArtifacts.latest(artifacts);
    } catch (PolicyArtifactException e) {
      LOG.warn("evaluate {}: no published policy evaluated: {}", day, e.getMessage());
      return null;
    }
    if (name == null) {
      LOG.info("evaluate {}: nothing published yet; no rows for the published policy", day);
      return null;
    }
    if (name.equals(PolicyArtifacts.directoryName(day))) {
      LOG.info(
          "evaluate {}: LATEST names {} itself (published earlier); no rows for the published"
              + " policy",
          day,
          name);
      return null;
    }
    try {
      PolicyClient published = PolicyClient.load(artifacts.resolve(name));
      if (published.shape().observationSize() != candidate.shape().observationSize()
          || published.shape().actionSize() != candidate.shape().actionSize()
          || !published.scenarios().containsAll(config.scenarios())) {
        LOG.warn(
            "evaluate {}: the published policy {} has another layout ({} for {}); not evaluated",
            day,
            name,
            published.shape(),
            published.scenarios());
        return null;
      }
    } catch (PolicyArtifactException e) {
      LOG.warn("evaluate {}: the published policy {} does not load: {}", day, name, e.getMessage());
      return null;
    }
    return name;
  }

  /** Every {@link DailyMetrics} value of D and the exposure Lorenz curve, observed in the logs. */
  private List<Row> metricRows(Lakehouse lakehouse) {
    LocalDate day = config.runDate();
    MetricParams params = MetricParams.defaults();
    Dataset<Row> events =
        lakehouse
            .read(Table.VALIDATED_EVENTS, day.minusDays(params.lookbackDays()), day)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> items = lakehouse.rawItems();
      DailyMetrics metrics;
      try {
        metrics = DailyMetrics.compute(events, items, day, LOGGING, params);
      } catch (IllegalArgumentException e) {
        throw Errors.of(
            "evaluate " + day + " cannot measure the day's logs: " + e.getMessage() + ".",
            "The observed metrics read validated_events of " + day + " and raw/items.",
            "Run 'bin/kindling validate --run-date " + day + "' first.");
      }
      List<Row> rows = new ArrayList<>();
      Row values = metrics.toRow();
      StructField[] fields = DailyMetricsSchema.SCHEMA.fields();
      for (int i = 0; i < fields.length; i++) {
        String name = fields[i].name();
        if (name.equals(DailyMetricsSchema.DT) || name.equals(DailyMetricsSchema.POLICY)) {
          continue;
        }
        Object value = values.get(i);
        rows.add(
            row(
                LOGGING,
                EvaluationSchema.KIND_METRIC,
                name,
                OBSERVED,
                value == null ? null : ((Number) value).doubleValue(),
                null,
                null,
                metrics.impressions(),
                null,
                value == null && name.equals(DailyMetricsSchema.NEXT_DAY_RETENTION)
                    ? "needs the logs of " + day.plusDays(1) + ", not there when D is evaluated"
                    : null));
      }
      double[] lorenz = ExposureMetrics.lorenzCurve(events, items, day, LORENZ_POINTS);
      for (int p = 0; p < lorenz.length; p++) {
        rows.add(
            row(
                LOGGING,
                EvaluationSchema.KIND_CURVE,
                EXPOSURE_LORENZ,
                null,
                lorenz[p],
                null,
                null,
                metrics.impressions(),
                p,
                null));
      }
      return rows;
    } finally {
      events.unpersist(false);
    }
  }

  /** The seeded sample of D's steps with their clicks per impression, in sample order. */
  private List<Step> steps(Lakehouse lakehouse) {
    LocalDate day = config.runDate();
    Dataset<Row> clicks =
        lakehouse
            .read(Table.VALIDATED_EVENTS, day)
            .groupBy(EventsSchema.REQUEST_ID)
            .agg(
                sum(col(EventsSchema.CLICKED).cast(DataTypes.LongType)).as(CLICKS),
                count(lit(1)).as(IMPRESSIONS));
    Dataset<Row> sample =
        sampled(lakehouse)
            .select(
                col(KEY),
                col(ReplaySchema.REQUEST_ID),
                col(ReplaySchema.AGENT),
                col(ReplaySchema.OBS),
                col(ReplaySchema.HISTORY),
                col(ReplaySchema.EXPLORE),
                col(ReplaySchema.EXPLORE_PROB),
                col(ReplaySchema.REWARD),
                col(ReplaySchema.ENCODER_RECENT),
                col(ReplaySchema.ENCODER_STEPS),
                col(ReplaySchema.ENCODER_OLDER))
            .limit(config.maxSteps())
            .join(
                clicks,
                scala.collection.JavaConverters.asScalaBuffer(List.of(ReplaySchema.REQUEST_ID)),
                "left");
    List<Step> steps = new ArrayList<>(sample.javaRDD().map(EvaluateJob::step).collect());
    if (steps.isEmpty()) {
      throw Errors.missingInput(
          "replay for run date " + day,
          lakehouse.path(Table.REPLAY),
          "Run 'bin/kindling replay --run-date " + day + "' first.");
    }
    steps.sort(Comparator.comparingLong(Step::key));
    return steps;
  }

  /** D's replay with the seeded sample key, every row. */
  private Dataset<Row> sampled(Lakehouse lakehouse) {
    return lakehouse
        .read(Table.REPLAY, config.runDate())
        .withColumn(KEY, xxhash64(col(ReplaySchema.REQUEST_ID), lit(config.bootstrap().seed())))
        .orderBy(col(KEY), col(ReplaySchema.REQUEST_ID));
  }

  private static Step step(Row row) {
    Object clicks = row.get(row.fieldIndex(CLICKS));
    Object impressions = row.get(row.fieldIndex(IMPRESSIONS));
    Double ctr =
        clicks == null || impressions == null || ((Number) impressions).longValue() == 0
            ? null
            : ((Number) clicks).doubleValue() / ((Number) impressions).doubleValue();
    int explore = row.fieldIndex(ReplaySchema.EXPLORE);
    int exploreProb = row.fieldIndex(ReplaySchema.EXPLORE_PROB);
    return new Step(
        row.getLong(row.fieldIndex(KEY)),
        row.getString(row.fieldIndex(ReplaySchema.AGENT)),
        floats(row, ReplaySchema.OBS),
        floats(row, ReplaySchema.HISTORY),
        row.isNullAt(explore) ? null : row.getBoolean(explore),
        row.isNullAt(exploreProb) ? null : row.getDouble(exploreProb),
        row.getDouble(row.fieldIndex(ReplaySchema.REWARD)),
        ctr,
        sequence(row, ""));
  }

  /**
   * The encoder inputs of a replay row's step ({@code prefix} "") or next step ("next_"), as the
   * replay built them with {@link SequenceInputs}; null when the replay has none.
   */
  private static SequenceInputs.Encoded sequence(Row row, String prefix) {
    int recent = row.fieldIndex(prefix + ReplaySchema.ENCODER_RECENT);
    if (row.isNullAt(recent)) {
      return null;
    }
    return new SequenceInputs.Encoded(
        floats(row, prefix + ReplaySchema.ENCODER_RECENT),
        row.getInt(row.fieldIndex(prefix + ReplaySchema.ENCODER_STEPS)),
        floats(row, prefix + ReplaySchema.ENCODER_OLDER));
  }

  private static float[] floats(Row row, String column) {
    List<Object> list = row.getList(row.fieldIndex(column));
    float[] values = new float[list.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = ((Number) list.get(i)).floatValue();
    }
    return values;
  }

  /** The history as T raw steps for {@link PolicyClient#act}, front padding included. */
  private static float[][] recentSteps(float[] history, int steps) {
    int features = history.length / steps;
    float[][] out = new float[steps][features];
    for (int t = 0; t < steps; t++) {
      System.arraycopy(history, t * features, out[t], 0, features);
    }
    return out;
  }

  /**
   * IPS, SNIPS, DM and DR of reward per step and clicks per impression for the logging policy and
   * every policy in {@code policies}, for the exploration decision; adds the rows and keeps the DR
   * estimates the gate reads ({@code policy/metric}). Returns the steps used.
   */
  private long offPolicy(
      List<Step> steps,
      Map<String, PolicyClient> policies,
      List<Row> out,
      Map<String, OpeEstimate> decisive) {
    List<Row> rows = new ArrayList<>();
    List<String> names = new ArrayList<>(policies.keySet());
    Map<String, Double> meanExplore = new LinkedHashMap<>();
    SplittableRandom folds = new SplittableRandom(config.bootstrap().seed());
    long skipped = 0;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (step.explore() == null || step.exploreProb() == null || step.ctr() == null) {
        skipped++;
        continue;
      }
      Object[] values = new Object[9 + names.size()];
      values[0] = (long) i;
      values[1] = step.explore();
      values[2] = step.exploreProb();
      values[3] = step.reward();
      values[4] = step.ctr();
      values[5] = folds.nextInt(FOLDS);
      values[6] = features(step.obs(), step.explore() ? 1.0 : 0.0);
      values[7] = features(step.obs(), 1.0);
      values[8] = features(step.obs(), 0.0);
      for (int p = 0; p < names.size(); p++) {
        PolicyClient client = policies.get(names.get(p));
        Action action =
            client.act(
                step.agent(),
                step.obs(),
                recentSteps(step.history(), client.shape().historySteps()),
                step.sequence());
        values[9 + p] = (double) action.explorationProbability();
        meanExplore.merge(names.get(p), (double) action.explorationProbability(), Double::sum);
      }
      meanExplore.merge(LOGGING, step.exploreProb(), Double::sum);
      rows.add(RowFactory.create(values));
    }
    if (rows.isEmpty()) {
      throw Errors.of(
          "evaluate "
              + config.runDate()
              + " found no replay step with a logged exploration"
              + " decision.",
          "The off-policy estimates reweight each step's logged explore with its explore_prob.",
          "Check that the logs carry explore and explore_prob (README, 'Raw log contract').");
    }
    if (skipped > 0) {
      LOG.info(
          "evaluate {}: {} of {} sampled steps lack explore, explore_prob or impressions and are"
              + " left out of the off-policy estimates",
          config.runDate(),
          skipped,
          steps.size());
    }
    List<StructField> fields =
        new ArrayList<>(
            List.of(
                DataTypes.createStructField(OffPolicyEstimators.ROW_ID, DataTypes.LongType, false),
                DataTypes.createStructField(EXPLORE, DataTypes.BooleanType, false),
                DataTypes.createStructField(EXPLORE_PROB, DataTypes.DoubleType, false),
                DataTypes.createStructField(REWARD_PER_STEP, DataTypes.DoubleType, false),
                DataTypes.createStructField(CTR, DataTypes.DoubleType, false),
                DataTypes.createStructField(FOLD, DataTypes.IntegerType, false),
                DataTypes.createStructField(FEATURES, SQLDataTypes.VectorType(), false),
                DataTypes.createStructField(FEATURES_EXPLORE, SQLDataTypes.VectorType(), false),
                DataTypes.createStructField(FEATURES_EXPLOIT, SQLDataTypes.VectorType(), false)));
    for (String name : names) {
      fields.add(DataTypes.createStructField(PI_PREFIX + name, DataTypes.DoubleType, false));
    }
    Dataset<Row> logged =
        spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
    Dataset<Row> scored = logged;
    for (String metric : List.of(REWARD_PER_STEP, CTR)) {
      scored = rewardModel(scored, metric);
    }
    scored = scored.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> all = new ArrayList<>();
      all.add(LOGGING);
      all.addAll(names);
      for (String policy : all) {
        Column pi = policy.equals(LOGGING) ? col(EXPLORE_PROB) : col(PI_PREFIX + policy);
        for (String metric : List.of(REWARD_PER_STEP, CTR)) {
          Dataset<Row> input =
              scored.select(
                  col(OffPolicyEstimators.ROW_ID),
                  col(metric).as(OffPolicyEstimators.REWARD),
                  OffPolicyEstimators.binaryDecisionProbability(col(EXPLORE), col(EXPLORE_PROB))
                      .as(OffPolicyEstimators.LOGGED_PROPENSITY),
                  OffPolicyEstimators.binaryDecisionProbability(col(EXPLORE), pi)
                      .as(OffPolicyEstimators.TARGET_PROBABILITY),
                  col(metric + Q_LOGGED).as(OffPolicyEstimators.REWARD_HAT),
                  pi.multiply(col(metric + Q_EXPLORE))
                      .plus(lit(1.0).minus(pi).multiply(col(metric + Q_EXPLOIT)))
                      .as(OffPolicyEstimators.TARGET_REWARD_HAT));
          Map<OffPolicyEstimator, OpeEstimate> estimates =
              OffPolicyEstimators.estimate(
                  input, EnumSet.allOf(OffPolicyEstimator.class), config.bootstrap());
          for (OpeEstimate estimate : estimates.values()) {
            out.add(
                row(
                    policy,
                    EvaluationSchema.KIND_OFF_POLICY,
                    metric,
                    estimate.estimator().name().toLowerCase(Locale.ROOT),
                    estimate.estimate(),
                    estimate.lower(),
                    estimate.upper(),
                    estimate.rows(),
                    null,
                    String.format(
                        Locale.ROOT,
                        "exploration decision only (ranking weights as logged); mean"
                            + " exploration probability %.4f (logged %.4f); %d bootstrap"
                            + " replicates at %.2f; effective sample size %.1f%s",
                        meanExplore.get(policy) / rows.size(),
                        meanExplore.get(LOGGING) / rows.size(),
                        estimate.replicates(),
                        estimate.level(),
                        estimate.effectiveSampleSize(),
                        estimate.estimator().needsRewardModel()
                            ? "; reward model: 2-fold cross-fitted linear regression on the raw"
                                + " obs and the explore flag, held fixed across replicates"
                            : "")));
          }
          decisive.put(policy + "/" + metric, estimates.get(OffPolicyEstimator.DR));
        }
      }
      OpeEstimate difference = drDifference(scored, col(PI_PREFIX + CANDIDATE), REWARD_PER_STEP);
      decisive.put(CANDIDATE + "/" + REWARD_PER_STEP + DIFFERENCE_SUFFIX, difference);
      out.add(
          row(
              CANDIDATE,
              EvaluationSchema.KIND_OFF_POLICY,
              REWARD_PER_STEP + DIFFERENCE_SUFFIX,
              OffPolicyEstimator.DR.name().toLowerCase(Locale.ROOT),
              difference.estimate(),
              difference.lower(),
              difference.upper(),
              difference.rows(),
              null,
              "DR of the candidate minus DR of the logging policy, step by step on the same steps"
                  + " (paired bootstrap over steps, reward model held fixed); the gate's value"
                  + " check reads its lower bound"));
      return rows.size();
    } finally {
      scored.unpersist(false);
    }
  }

  /**
   * DR of the target policy {@code pi} minus DR of the logging policy, as the bootstrapped mean of
   * the per-step differences of their DR terms: {@code (q_pi - q_log) + (w_pi - w_log)(r - q)}.
   */
  private OpeEstimate drDifference(Dataset<Row> scored, Column pi, String metric) {
    Column logged = col(EXPLORE_PROB);
    Column propensity = OffPolicyEstimators.binaryDecisionProbability(col(EXPLORE), logged);
    Column wTarget =
        OffPolicyEstimators.binaryDecisionProbability(col(EXPLORE), pi).divide(propensity);
    Column residual = col(metric).minus(col(metric + Q_LOGGED));
    Column dmTarget =
        pi.multiply(col(metric + Q_EXPLORE))
            .plus(lit(1.0).minus(pi).multiply(col(metric + Q_EXPLOIT)));
    Column dmLogged =
        logged
            .multiply(col(metric + Q_EXPLORE))
            .plus(lit(1.0).minus(logged).multiply(col(metric + Q_EXPLOIT)));
    Column difference = dmTarget.minus(dmLogged).plus(wTarget.minus(lit(1.0)).multiply(residual));
    Dataset<Row> input =
        scored.select(
            col(OffPolicyEstimators.ROW_ID),
            lit(0.0).as(OffPolicyEstimators.REWARD),
            lit(1.0).as(OffPolicyEstimators.LOGGED_PROPENSITY),
            lit(1.0).as(OffPolicyEstimators.TARGET_PROBABILITY),
            difference.as(OffPolicyEstimators.REWARD_HAT),
            difference.as(OffPolicyEstimators.TARGET_REWARD_HAT));
    return OffPolicyEstimators.estimate(
            input, EnumSet.of(OffPolicyEstimator.DM), config.bootstrap())
        .get(OffPolicyEstimator.DM);
  }

  /**
   * The raw observation and the explore flag: the model shifts the prediction by one learned amount
   * for exploring. Interactions of the flag with every feature were tried and left out: with a few
   * percent of steps explored they over-fit, and the wild predictions widened DR's interval beyond
   * IPS's.
   */
  private static Vector features(float[] obs, double explore) {
    double[] values = new double[obs.length + 1];
    for (int i = 0; i < obs.length; i++) {
      values[i] = obs[i];
    }
    values[obs.length] = explore;
    return Vectors.dense(values);
  }

  /**
   * {@code logged} with the cross-fitted predictions of {@code metric} for the logged decision, for
   * exploring and for not exploring: each fold predicted by a model fitted on the other.
   */
  private Dataset<Row> rewardModel(Dataset<Row> logged, String metric) {
    Dataset<Row> predicted = null;
    for (int k = 0; k < FOLDS; k++) {
      LinearRegressionModel model =
          new LinearRegression()
              .setFeaturesCol(FEATURES)
              .setLabelCol(metric)
              .setRegParam(REGRESSION_REG_PARAM)
              .setSolver("normal")
              .fit(logged.where(col(FOLD).notEqual(k)));
      Dataset<Row> fold = logged.where(col(FOLD).equalTo(k));
      fold = model.setFeaturesCol(FEATURES).setPredictionCol(metric + Q_LOGGED).transform(fold);
      fold =
          model
              .setFeaturesCol(FEATURES_EXPLORE)
              .setPredictionCol(metric + Q_EXPLORE)
              .transform(fold);
      fold =
          model
              .setFeaturesCol(FEATURES_EXPLOIT)
              .setPredictionCol(metric + Q_EXPLOIT)
              .transform(fold);
      predicted = predicted == null ? fold : predicted.unionByName(fold);
    }
    return predicted;
  }

  /**
   * The exploration probability the candidate serves on each step, through {@link PolicyClient#act}
   * (so with the protection rule applied). One forward pass per step.
   */
  private static float[] servedExploration(List<Step> steps, PolicyClient candidate) {
    float[] served = new float[steps.size()];
    for (int i = 0; i < served.length; i++) {
      Step step = steps.get(i);
      served[i] =
          candidate
              .act(
                  step.agent(),
                  step.obs(),
                  recentSteps(step.history(), candidate.shape().historySteps()),
                  step.sequence())
              .explorationProbability();
    }
    return served;
  }

  /** The protection-period check on the candidate's served exploration probability. */
  private static PromotionGate.Check protection(
      List<Step> steps, float[] served, PolicyClient candidate) {
    int feature =
        candidate.manifest().normalisation().names().indexOf(ObservationSpec.IN_PROTECTION_PERIOD);
    long protectedSteps = 0;
    long exploring = 0;
    double max = 0.0;
    for (int i = 0; i < served.length; i++) {
      if (feature < 0 || steps.get(i).obs()[feature] < 0.5f) {
        continue;
      }
      protectedSteps++;
      if (served[i] > 0f) {
        exploring++;
        max = Math.max(max, served[i]);
      }
    }
    return PromotionGate.protectionPeriod(protectedSteps, exploring, max);
  }

  /**
   * The exploration-rate check: the candidate's mean served exploration probability on the sampled
   * steps against the mean of each step's scenario's reference rate in the model's metadata.
   */
  private PromotionGate.Check explorationRate(
      List<Step> steps, float[] served, PolicyClient candidate, Path model) {
    List<List<Double>> reference = PolicyFiles.readMetadata(model).config().referenceActions();
    int rate = candidate.shape().actionSize();
    double servedSum = 0.0;
    double expected = 0.0;
    for (int i = 0; i < served.length; i++) {
      servedSum += served[i];
      if (!reference.isEmpty()) {
        expected += reference.get(candidate.scenarios().indexOf(steps.get(i).agent())).get(rate);
      }
    }
    int n = Math.max(served.length, 1);
    return PromotionGate.explorationRate(
        served.length,
        servedSum / n,
        reference.isEmpty() ? Double.NaN : expected / n,
        config.explorationBand());
  }

  /** The first {@code fqe-steps} steps of the sample, as replay rows. */
  private List<Row> fqeRows(Lakehouse lakehouse) {
    return sampled(lakehouse)
        .select(FQE_COLUMNS.stream().map(c -> col(c)).toArray(Column[]::new))
        .limit(Math.min(config.fqeSteps(), config.maxSteps()))
        .collectAsList();
  }

  /**
   * Fitted-Q evaluation of every policy; adds the candidate's, the logging and the published rows.
   */
  private void fqe(
      List<Row> rows,
      ObservationNormaliser normaliser,
      Map<String, PolicyClient> policies,
      List<Row> out) {
    PolicyClient candidate = policies.get(CANDIDATE);
    // One critic layout for every policy: without the behaviour-sequence encoder, which the
    // logging policy and an older published policy do not have.
    NetworkShape shape = candidate.shape().withSeed(config.bootstrap().seed()).withEncoder(null);
    ReplayBatches converter = new ReplayBatches(shape, config.scenarios(), normaliser);
    List<List<Row>> chunks = new ArrayList<>();
    for (int from = 0; from < rows.size(); from += config.fqeBatchSize()) {
      chunks.add(rows.subList(from, Math.min(rows.size(), from + config.fqeBatchSize())));
    }
    List<TransitionBatch> batches = chunks.stream().map(converter::toBatch).toList();
    long seedOffset = 0;
    for (Map.Entry<String, PolicyClient> policy : policies.entrySet()) {
      PolicyClient client = policy.getValue();
      List<INDArray> now = new ArrayList<>();
      List<INDArray> next = new ArrayList<>();
      for (List<Row> chunk : chunks) {
        now.add(actions(client, chunk, shape, false));
        next.add(actions(client, chunk, shape, true));
      }
      ComputationGraph critic = Networks.critic(shape.withSeed(shape.seed() + seedOffset++));
      ComputationGraph previous = null;
      for (int iteration = 0; iteration < config.fqeIterations(); iteration++) {
        for (int c = 0; c < batches.size(); c++) {
          TransitionBatch batch = batches.get(c);
          INDArray target = batch.reward().dup();
          if (previous != null) {
            INDArray nextQ =
                Networks.q(
                    previous,
                    batch.nextHistory(),
                    batch.nextObservation(),
                    next.get(c),
                    batch.nextAgent());
            target.addi(nextQ.mul(batch.done().rsub(1.0)).muli(config.gamma()));
          }
          critic.fit(
              new MultiDataSet(
                  new INDArray[] {
                    batch.history(), batch.observation(), batch.action(), batch.agent()
                  },
                  new INDArray[] {target}));
        }
        previous = critic.clone();
      }
      double[] valuePolicy = new double[rows.size()];
      double[] valueLogged = new double[rows.size()];
      int offset = 0;
      for (int c = 0; c < batches.size(); c++) {
        TransitionBatch batch = batches.get(c);
        INDArray qPolicy =
            Networks.q(critic, batch.history(), batch.observation(), now.get(c), batch.agent());
        INDArray qLogged =
            Networks.q(critic, batch.history(), batch.observation(), batch.action(), batch.agent());
        for (int i = 0; i < batch.size(); i++) {
          valuePolicy[offset + i] = qPolicy.getDouble(i, 0);
          valueLogged[offset + i] = qLogged.getDouble(i, 0);
        }
        offset += (int) batch.size();
      }
      String detail =
          String.format(
              Locale.ROOT,
              "fitted-Q evaluation of the joint action (ranking weights and exploration) of the"
                  + " %s policy: a fresh critic fitted %d times on %d of D's steps with the real"
                  + " rewards, gamma %.3f; %s; the interval is the bootstrap over steps with the"
                  + " fitted critic held fixed across replicates",
              policy.getKey(),
              config.fqeIterations(),
              rows.size(),
              config.gamma(),
              "V = mean Q(s, pi(s))");
      out.add(fqeRow(policy.getKey(), valuePolicy, detail));
      if (policy.getKey().equals(CANDIDATE)) {
        out.add(
            fqeRow(
                LOGGING,
                valueLogged,
                "mean Q(s, a_logged) under the critic fitted for the candidate policy (the logged"
                    + " action now, the candidate after); the interval holds that critic fixed"));
      }
    }
  }

  /** The policy's joint actions on the rows' current (or next) step, {@code [rows, A + 1]}. */
  private static INDArray actions(
      PolicyClient client, List<Row> rows, NetworkShape shape, boolean nextStep) {
    float[] joint = new float[rows.size() * shape.jointActionSize()];
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      String agent =
          nextStep
              ? row.getString(row.fieldIndex(ReplaySchema.NEXT_AGENT))
              : row.getString(row.fieldIndex(ReplaySchema.AGENT));
      if (agent == null) {
        continue;
      }
      float[] obs = floats(row, nextStep ? ReplaySchema.NEXT_OBS : ReplaySchema.OBS);
      float[] history = floats(row, nextStep ? ReplaySchema.NEXT_HISTORY : ReplaySchema.HISTORY);
      Action action =
          client.act(
              agent,
              obs,
              recentSteps(history, client.shape().historySteps()),
              sequence(row, nextStep ? "next_" : ""));
      int base = i * shape.jointActionSize();
      for (int w = 0; w < action.size(); w++) {
        joint[base + w] = action.weight(w);
      }
      joint[base + shape.actionSize()] = action.explorationProbability();
    }
    return Nd4j.createFromArray(joint).reshape('c', rows.size(), shape.jointActionSize());
  }

  /** The {@code fqe} row of per-step values, bootstrapped over steps. */
  private Row fqeRow(String policy, double[] values, String detail) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      rows.add(RowFactory.create((long) i, 0.0, 1.0, 1.0, values[i], values[i]));
    }
    StructType schema =
        new StructType(
            new StructField[] {
              DataTypes.createStructField(OffPolicyEstimators.ROW_ID, DataTypes.LongType, false),
              DataTypes.createStructField(OffPolicyEstimators.REWARD, DataTypes.DoubleType, false),
              DataTypes.createStructField(
                  OffPolicyEstimators.LOGGED_PROPENSITY, DataTypes.DoubleType, false),
              DataTypes.createStructField(
                  OffPolicyEstimators.TARGET_PROBABILITY, DataTypes.DoubleType, false),
              DataTypes.createStructField(
                  OffPolicyEstimators.REWARD_HAT, DataTypes.DoubleType, false),
              DataTypes.createStructField(
                  OffPolicyEstimators.TARGET_REWARD_HAT, DataTypes.DoubleType, false)
            });
    OpeEstimate estimate =
        OffPolicyEstimators.estimate(
                spark.createDataFrame(rows, schema).coalesce(1),
                EnumSet.of(OffPolicyEstimator.DM),
                config.bootstrap())
            .get(OffPolicyEstimator.DM);
    return row(
        policy,
        EvaluationSchema.KIND_OFF_POLICY,
        DISCOUNTED_RETURN,
        FQE,
        estimate.estimate(),
        estimate.lower(),
        estimate.upper(),
        estimate.rows(),
        null,
        detail);
  }

  private Row row(
      String policy,
      String kind,
      String metric,
      String estimator,
      Double value,
      Double lower,
      Double upper,
      Long n,
      Integer point,
      String detail) {
    return RowFactory.create(
        Date.valueOf(config.runDate()),
        EvaluationSchema.RUN_EVALUATE,
        null,
        policy,
        kind,
        metric,
        estimator,
        value == null || !Double.isFinite(value) ? null : value,
        lower == null || !Double.isFinite(lower) ? null : lower,
        upper == null || !Double.isFinite(upper) ? null : upper,
        n,
        point,
        detail);
  }
}
