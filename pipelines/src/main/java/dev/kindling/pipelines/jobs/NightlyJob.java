package dev.kindling.pipelines.jobs;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code nightly} run for one date in one JVM: every stage that exists, in order (validate,
 * features, embeddings, replay, train, evaluate, score-cold-start, allocate, publish). Each stage
 * is idempotent for the date, so a failed run can simply be re-run.
 */
public final class NightlyJob {

  /**
   * The stages in the order {@link #run} runs them, each named as its CLI subcommand. The Airflow
   * DAG's tasks derive from this list ({@code kindling dag-spec}); a test holds {@link
   * NightlyResult}'s stages to it.
   */
  public static final List<String> STAGES =
      List.of(
          "validate",
          "features",
          "embeddings",
          "replay",
          "train",
          "evaluate",
          "score-cold-start",
          "allocate",
          "publish");

  private static final Logger LOG = LoggerFactory.getLogger(NightlyJob.class);

  private final SparkSession spark;
  private final NightlyConfig config;

  public NightlyJob(SparkSession spark, NightlyConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public NightlyResult run() {
    LOG.info("nightly {}: validate", config.runDate());
    ValidateResult validate = new ValidateJob(spark, config.validate()).run();
    LOG.info("nightly {}: features", config.runDate());
    FeaturesResult features = new FeaturesJob(spark, config.features()).run();
    LOG.info("nightly {}: embeddings", config.runDate());
    EmbeddingsResult embeddings = new EmbeddingsJob(spark, config.embeddings()).run();
    LOG.info("nightly {}: replay", config.runDate());
    ReplayResult replay = new ReplayJob(spark, config.replay()).run();
    LOG.info("nightly {}: train", config.runDate());
    TrainResult train = new TrainJob(spark, config.train()).run();
    LOG.info("nightly {}: evaluate", config.runDate());
    EvaluateResult evaluate = new EvaluateJob(spark, config.evaluate()).run();
    LOG.info("nightly {}: score-cold-start", config.runDate());
    ScoreColdStartResult scores = new ScoreColdStartJob(spark, config.scoreColdStart()).run();
    LOG.info("nightly {}: allocate", config.runDate());
    AllocateResult allocate = new AllocateJob(spark, config.allocate()).run();
    LOG.info("nightly {}: publish", config.runDate());
    PublishResult publish = new PublishJob(spark, config.publish()).run();
    return new NightlyResult(
        config.runDate(),
        validate,
        features,
        embeddings,
        replay,
        train,
        evaluate,
        scores,
        allocate,
        publish);
  }
}
