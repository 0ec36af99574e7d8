package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;

import dev.kindling.features.content.ColdStartFeatures;
import dev.kindling.features.content.ColdStartParams;
import dev.kindling.features.content.ContentValueLearner;
import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.time.LocalDate;
import org.apache.spark.ml.regression.RandomForestRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code score-cold-start} stage, the content agent: writes the run date's {@code
 * cold_start_scores} partition, one row per item with {@code content_state.is_cold} on D, each with
 * its heating bid and the bid's parts. The value of heating is learned by one random forest shared
 * by all items from the item-day transitions of the content-state window (see {@link
 * ColdStartFeatures} and {@link ContentValueLearner}); with fewer than {@code min-transitions} the
 * category prior stands in and the reason says so. Fraud signals (click inflation from the content
 * state, click concentration over users from the window's validated events) lower the bid or zero
 * it. The fitted forest is saved under {@code models/content/dt=D} for audit. Re-running a date
 * replaces the partition and the model.
 *
 * <p>Cost: a scan of the window's content-state partitions (a self-join by item) and validated
 * events (two aggregations), the forest's training over the transitions, one Delta partition
 * overwrite. Precondition: {@code content_state} of D exists (the features stage).
 */
public final class ScoreColdStartJob {

  private static final Logger LOG = LoggerFactory.getLogger(ScoreColdStartJob.class);
  private static final String STAGE = "score-cold-start";

  /** {@link ScoreColdStartResult#learner()} when the forest was fitted. */
  public static final String LEARNER_FOREST = "random-forest";

  /** {@link ScoreColdStartResult#learner()} when the category prior stood in. */
  public static final String LEARNER_PRIOR = "category-prior";

  /** Where the fitted forests live under the lakehouse root, one {@code dt=D} directory each. */
  public static final String MODELS_DIR = "models/content";

  private final SparkSession spark;
  private final ScoreColdStartConfig config;

  public ScoreColdStartJob(SparkSession spark, ScoreColdStartConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public ScoreColdStartResult run() {
    try (RunLease lease =
        new Lakehouse(spark, config.lakehouseRoot()).lease(STAGE, config.runDate())) {
      return runLeased();
    }
  }

  private ScoreColdStartResult runLeased() {
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    LocalDate day = config.runDate();
    ColdStartParams p = config.params();
    JobGroups.run(
        spark,
        STAGE,
        "check inputs",
        () -> {
          requireContentState(lakehouse, day);
          return null;
        });

    Dataset<Row> windowStates =
        ColdStartFeatures.states(
            lakehouse.read(Table.CONTENT_STATE, day.minusDays(p.windowDays()), day), p);
    Dataset<Row> transitions = ColdStartFeatures.transitions(windowStates, p).cache();
    Dataset<Row> coldToday =
        ColdStartFeatures.states(lakehouse.read(Table.CONTENT_STATE, day), p)
            .where(col(ContentStateSchema.IS_COLD));
    Dataset<Row> concentration =
        ColdStartFeatures.clickConcentration(
            lakehouse.read(Table.VALIDATED_EVENTS, day.minusDays(p.windowDays() - 1L), day), p);

    try {
      long transitionCount = JobGroups.run(spark, STAGE, "build transitions", transitions::count);
      Dataset<Row> valued;
      String learner;
      String modelPath = null;
      if (transitionCount >= p.minTransitions()) {
        RandomForestRegressionModel model =
            JobGroups.run(
                spark, STAGE, "fit value forest", () -> ContentValueLearner.fit(transitions, p));
        modelPath = lakehouse.path(MODELS_DIR + "/dt=" + day);
        saveModel(model, modelPath);
        valued = ContentValueLearner.predict(model, coldToday, p);
        learner = LEARNER_FOREST;
      } else {
        LOG.warn(
            "score-cold-start {}: {} transitions in the window, fewer than"
                + " score-cold-start.min-transitions = {}; the bids come from the category prior.",
            day,
            transitionCount,
            p.minTransitions());
        valued = ContentValueLearner.prior(coldToday, transitionCount, p);
        learner = LEARNER_PRIOR;
      }
      // Cached so the fraud-zeroed count after the write does not recompute the scores.
      Dataset<Row> scores =
          ColdStartFeatures.bids(ColdStartFeatures.fraud(valued, concentration, p), p).cache();
      Lakehouse.PartitionWrite write =
          JobGroups.run(
              spark,
              STAGE,
              "write cold_start_scores",
              () -> lakehouse.replacePartition(Table.COLD_START_SCORES, day, scores));
      long zeroed =
          JobGroups.run(
              spark,
              STAGE,
              "count fraud-zeroed",
              () -> scores.where(col(ColdStartScoresSchema.FRAUD_ZEROED)).count());
      scores.unpersist();
      ScoreColdStartResult out =
          new ScoreColdStartResult(
              day, write.rows(), zeroed, transitionCount, learner, modelPath, write.version());
      LOG.info("{}", out);
      return out;
    } finally {
      transitions.unpersist();
    }
  }

  private static void saveModel(RandomForestRegressionModel model, String path) {
    try {
      model.write().overwrite().save(path);
    } catch (IOException e) {
      throw new KindlingException("Cannot save the value forest to " + path + ": " + e, e);
    }
  }

  private static void requireContentState(Lakehouse lakehouse, LocalDate day) {
    if (lakehouse.read(Table.CONTENT_STATE, day).isEmpty()) {
      throw Errors.of(
          "score-cold-start "
              + day
              + " found no content_state for that date at "
              + lakehouse.path(Table.CONTENT_STATE)
              + ".",
          "score-cold-start scores the cold items of content_state, which the features stage"
              + " writes.",
          "Run 'bin/kindling features --run-date " + day + "' first (nightly runs it).");
    }
  }
}
