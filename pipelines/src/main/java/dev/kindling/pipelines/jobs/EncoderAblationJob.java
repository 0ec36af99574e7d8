package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.kindling.agents.serving.PolicyArtifactException;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.features.ope.OffPolicyEstimator;
import dev.kindling.features.schema.DailyMetricsSchema;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import dev.kindling.pipelines.report.EvaluationRow;
import dev.kindling.pipelines.report.LoopSummary;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ablation encoder} command: the Kindling policy with and without the behaviour-sequence
 * encoder, compared on the same data. Per seed it runs two closed-loop arms of the {@code kindling}
 * policy, {@value #PLAIN} ({@code replay.encoder.enabled=false}) and {@value #ENCODER} ({@code
 * true}), every other setting equal; an arm whose loop days are all in {@code evaluation} and whose
 * published policy reads the encoder as the arm should is reused (a 14-day encoder arm takes
 * hours).
 *
 * <p>Two comparisons come out:
 *
 * <ul>
 *   <li><b>off-policy, on the same logs:</b> the warm-up days are served by the logging policy in
 *       both arms of a seed, so their logs are identical, and each arm's nightly run of the last
 *       warm-up day trains its candidate (with or without the encoder) on the same transitions and
 *       estimates it on the same replay day: DR reward per step and CTR, the paired DR difference
 *       against the logging policy, and FQE's discounted return, each with its bootstrap interval
 *       as {@code evaluate} wrote it. The logging policy's own estimate is printed per arm: equal
 *       figures show the data were the same;
 *   <li><b>closed loop:</b> the mean over the loop days of interest entropy and categories per user
 *       (interest breadth), new-content CTR, exposure Gini and CTR, as {@code simulate-loop} wrote
 *       them, and how many nights the gate let the candidate through.
 * </ul>
 *
 * <p>Costs: the arms' runs (a loop day of the encoder arm is a nightly run with the encoder's
 * replay and training); the comparison is a few small reads of {@code evaluation} tables.
 */
public final class EncoderAblationJob {

  private static final Logger LOG = LoggerFactory.getLogger(EncoderAblationJob.class);

  /** The arm without the encoder. */
  public static final String PLAIN = ConfigKeys.LOOP_POLICY_KINDLING;

  /** The arm with the encoder. */
  public static final String ENCODER = "kindling-encoder";

  /** The closed-loop metrics compared, in print order. */
  public static final List<String> LOOP_METRICS =
      List.of(
          DailyMetricsSchema.INTEREST_ENTROPY,
          DailyMetricsSchema.INTEREST_CATEGORIES,
          DailyMetricsSchema.NEW_CONTENT_CTR,
          DailyMetricsSchema.EXPOSURE_GINI,
          DailyMetricsSchema.CTR);

  private static final String DR = OffPolicyEstimator.DR.name().toLowerCase(Locale.ROOT);

  /** The off-policy figures compared: metric and estimator, in print order. */
  public static final List<Figure> OFF_POLICY_FIGURES =
      List.of(
          new Figure(EvaluateJob.REWARD_PER_STEP, DR),
          new Figure(EvaluateJob.REWARD_PER_STEP + EvaluateJob.DIFFERENCE_SUFFIX, DR),
          new Figure(EvaluateJob.CTR, DR),
          new Figure(EvaluateJob.DISCOUNTED_RETURN, EvaluateJob.FQE));

  private static final Figure LOGGING_CHECK = new Figure(EvaluateJob.REWARD_PER_STEP, DR);

  /** One off-policy figure: its metric and estimator in {@code evaluation}. */
  public record Figure(String metric, String estimator) {
    @Override
    public String toString() {
      return metric + " " + estimator.toUpperCase(Locale.ROOT);
    }
  }

  private final SparkSession spark;
  private final KindlingConfig base;
  private final List<Long> seeds;
  private final int days;
  private final boolean rerun;

  /**
   * @param base the config every arm starts from (lakehouse, world, training settings)
   * @param seeds the worlds' seeds, one pair of arms each
   * @param days loop days per arm
   * @param rerun run every arm afresh even when a complete one is there
   */
  public EncoderAblationJob(
      SparkSession spark, KindlingConfig base, List<Long> seeds, int days, boolean rerun) {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("the ablation needs at least one seed");
    }
    this.spark = spark;
    this.base = base;
    this.seeds = List.copyOf(seeds);
    this.days = days;
    this.rerun = rerun;
  }

  /** The loop config of one arm of one seed. */
  public SimulateLoopConfig arm(long seed, String arm) {
    return SimulateLoopConfig.from(
        base.withOverrides(
            List.of(
                ConfigKeys.SIMULATE_LOOP_POLICY.path() + "=" + ConfigKeys.LOOP_POLICY_KINDLING,
                ConfigKeys.SIMULATE_LOOP_ARM.path() + "=" + arm,
                ConfigKeys.SIMULATE_LOOP_SEED.path() + "=" + seed,
                ConfigKeys.SIMULATE_LOOP_DAYS.path() + "=" + days,
                ConfigKeys.REPLAY_ENCODER_ENABLED.path() + "=" + ENCODER.equals(arm))));
  }

  public EncoderAblationResult run() {
    Lakehouse main = new Lakehouse(spark, base.get(ConfigKeys.LAKEHOUSE_ROOT));
    List<EncoderAblationResult.Seed> results = new ArrayList<>();
    for (long seed : seeds) {
      Map<String, EncoderAblationResult.Arm> arms = new LinkedHashMap<>();
      for (String name : List.of(PLAIN, ENCODER)) {
        SimulateLoopConfig loop = arm(seed, name);
        String incomplete = rerun ? "--rerun was given" : incomplete(main, loop);
        boolean ran = incomplete != null;
        if (ran) {
          LOG.info("ablation encoder: running arm {} of seed {} ({})", name, seed, incomplete);
          new SimulateLoopJob(spark, loop).run();
        } else {
          LOG.info(
              "ablation encoder: reusing arm {} of seed {} in {} (every loop day is measured)",
              name,
              seed,
              loop.armRoot());
        }
        arms.put(name, measure(main, loop, ran));
      }
      SimulateLoopConfig dates = arm(seed, PLAIN);
      results.add(
          new EncoderAblationResult.Seed(
              seed,
              dates.firstLoopDate().minusDays(1),
              dates.firstLoopDate(),
              dates.lastDate(),
              arms));
    }
    EncoderAblationResult result = new EncoderAblationResult(results);
    LOG.info("ablation encoder done:\n{}", result);
    return result;
  }

  /**
   * Why the arm must run, or null when a complete run of it is there: every loop day measured in
   * {@code evaluation}, its last warm-up day evaluated, and its latest policy reading the encoder
   * exactly when the arm should.
   */
  String incomplete(Lakehouse main, SimulateLoopConfig loop) {
    long measured =
        main.read(Table.EVALUATION, loop.firstLoopDate(), loop.lastDate())
            .where(ownRows(loop))
            .agg(countDistinct(col(EvaluationSchema.DT)))
            .first()
            .getLong(0);
    if (measured < days) {
      return measured + " of its " + days + " loop days are measured";
    }
    Lakehouse arm = new Lakehouse(spark, loop.armRoot());
    if (offPolicy(arm, loop.firstLoopDate().minusDays(1)).isEmpty()) {
      return "its last warm-up day has no off-policy estimates";
    }
    boolean encoder = ENCODER.equals(loop.arm());
    try {
      boolean reads =
          PolicyClient.loadLatest(arm.localPath(TrainJob.POLICY_ARTIFACTS)).shape().hasEncoder();
      if (reads != encoder) {
        return "its published policy " + (reads ? "reads" : "does not read") + " the encoder";
      }
    } catch (PolicyArtifactException e) {
      return "its latest policy cannot be loaded: " + e.getMessage();
    }
    return null;
  }

  private static Column ownRows(SimulateLoopConfig loop) {
    return col(EvaluationSchema.RUN)
        .equalTo(EvaluationSchema.RUN_SIMULATE_LOOP)
        .and(col(EvaluationSchema.SEED).equalTo(loop.seed()))
        .and(col(EvaluationSchema.POLICY).equalTo(loop.arm()))
        .and(col(EvaluationSchema.KIND).equalTo(EvaluationSchema.KIND_METRIC));
  }

  private EncoderAblationResult.Arm measure(Lakehouse main, SimulateLoopConfig loop, boolean ran) {
    // The loop means as the report's summary computes them (LoopSummary), over this arm's metric
    // rows (its Lorenz-curve points stay behind).
    List<EvaluationRow> rows =
        main
            .read(Table.EVALUATION, loop.firstLoopDate(), loop.lastDate())
            .where(
                ownRows(loop).and(col(EvaluationSchema.KIND).equalTo(EvaluationSchema.KIND_METRIC)))
            .collectAsList()
            .stream()
            .map(ReportJob::toRow)
            .toList();
    List<LoopSummary.ArmSummary> summary = LoopSummary.of(rows);
    LoopSummary.SeedMeans seedMeans =
        summary.isEmpty()
            ? new LoopSummary.SeedMeans(loop.seed(), 0, Map.of())
            : summary.get(0).seeds().get(0);
    Map<String, Double> means = new LinkedHashMap<>();
    LOOP_METRICS.forEach(m -> means.put(m, seedMeans.means().get(m)));
    int loopDays = seedMeans.days();
    Lakehouse arm = new Lakehouse(spark, loop.armRoot());
    LocalDate sameData = loop.firstLoopDate().minusDays(1);
    Map<Figure, EncoderAblationResult.Estimate> found = new LinkedHashMap<>();
    EncoderAblationResult.Estimate logging = null;
    for (Row r : offPolicy(arm, sameData)) {
      Figure figure = new Figure(r.getString(1), r.getString(2));
      EncoderAblationResult.Estimate estimate =
          new EncoderAblationResult.Estimate(
              r.isNullAt(3) ? null : r.getDouble(3),
              r.isNullAt(4) ? null : r.getDouble(4),
              r.isNullAt(5) ? null : r.getDouble(5));
      if (EvaluateJob.CANDIDATE.equals(r.getString(0))) {
        found.put(figure, estimate);
      } else if (EvaluateJob.LOGGING.equals(r.getString(0)) && LOGGING_CHECK.equals(figure)) {
        logging = estimate;
      }
    }
    Map<Figure, EncoderAblationResult.Estimate> candidate = new LinkedHashMap<>();
    for (Figure figure : OFF_POLICY_FIGURES) {
      if (found.containsKey(figure)) {
        candidate.put(figure, found.get(figure));
      }
    }
    Row gates =
        arm.read(Table.EVALUATION, sameData, loop.lastDate().minusDays(1))
            .where(
                col(EvaluationSchema.RUN)
                    .equalTo(EvaluationSchema.RUN_EVALUATE)
                    .and(col(EvaluationSchema.KIND).equalTo(EvaluationSchema.KIND_GATE))
                    .and(col(EvaluationSchema.METRIC).equalTo(EvaluationSchema.GATE)))
            .agg(count(when(col(EvaluationSchema.VALUE).equalTo(1), 1)), count(lit(1)))
            .first();
    return new EncoderAblationResult.Arm(
        loop.arm(),
        ENCODER.equals(loop.arm()),
        ran,
        loopDays,
        means,
        candidate,
        logging,
        (int) gates.getLong(0),
        (int) gates.getLong(1));
  }

  /** The arm's off-policy rows of {@code dt}: policy, metric, estimator, value, lower, upper. */
  private static List<Row> offPolicy(Lakehouse arm, LocalDate dt) {
    Dataset<Row> rows =
        arm.read(Table.EVALUATION, dt)
            .where(
                col(EvaluationSchema.RUN)
                    .equalTo(EvaluationSchema.RUN_EVALUATE)
                    .and(col(EvaluationSchema.KIND).equalTo(EvaluationSchema.KIND_OFF_POLICY)));
    return rows.select(
            EvaluationSchema.POLICY,
            EvaluationSchema.METRIC,
            EvaluationSchema.ESTIMATOR,
            EvaluationSchema.VALUE,
            EvaluationSchema.LOWER,
            EvaluationSchema.UPPER)
        .collectAsList();
  }
}
