package dev.kindling.pipelines.jobs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code nightly} run for one date in one JVM: every stage that exists, in order (validate,
 * features, embeddings, replay, train, evaluate, score-cold-start, allocate, publish). Each stage
 * is idempotent for the date, so a failed run can simply be re-run. Each stage logs a line when it
 * starts and one with its time when it ends; the result carries the times.
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
  private static final double NANOS_PER_SECOND = 1e9;

  private final SparkSession spark;
  private final NightlyConfig config;

  public NightlyJob(SparkSession spark, NightlyConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public NightlyResult run() {
    long started = System.nanoTime();
    Map<String, Double> seconds = new LinkedHashMap<>();
    ValidateResult validate = stage(seconds, () -> new ValidateJob(spark, config.validate()).run());
    FeaturesResult features = stage(seconds, () -> new FeaturesJob(spark, config.features()).run());
    EmbeddingsResult embeddings =
        stage(seconds, () -> new EmbeddingsJob(spark, config.embeddings()).run());
    ReplayResult replay = stage(seconds, () -> new ReplayJob(spark, config.replay()).run());
    TrainResult train = stage(seconds, () -> new TrainJob(spark, config.train()).run());
    EvaluateResult evaluate = stage(seconds, () -> new EvaluateJob(spark, config.evaluate()).run());
    ScoreColdStartResult scores =
        stage(seconds, () -> new ScoreColdStartJob(spark, config.scoreColdStart()).run());
    AllocateResult allocate = stage(seconds, () -> new AllocateJob(spark, config.allocate()).run());
    PublishResult publish = stage(seconds, () -> new PublishJob(spark, config.publish()).run());
    NightlyResult result =
        new NightlyResult(
            config.runDate(),
            validate,
            features,
            embeddings,
            replay,
            train,
            evaluate,
            scores,
            allocate,
            publish,
            Collections.unmodifiableMap(seconds));
    LOG.info(
        "nightly {}: {} stages in {} s ({})",
        config.runDate(),
        seconds.size(),
        String.format(Locale.ROOT, "%.1f", (System.nanoTime() - started) / NANOS_PER_SECOND),
        result.stageTimes());
    return result;
  }

  /**
   * Runs the next stage of {@link #STAGES} (the one after those {@code seconds} holds), logging a
   * line when it starts and one with its time when it ends, and records its seconds.
   */
  private <T> T stage(Map<String, Double> seconds, Supplier<T> job) {
    String name = STAGES.get(seconds.size());
    int number = seconds.size() + 1;
    LOG.info("nightly {}: {} ({}/{})", config.runDate(), name, number, STAGES.size());
    long start = System.nanoTime();
    T result = job.get();
    double took = (System.nanoTime() - start) / NANOS_PER_SECOND;
    seconds.put(name, took);
    LOG.info(
        "nightly {}: {} done in {} s ({}/{})",
        config.runDate(),
        name,
        String.format(Locale.ROOT, "%.1f", took),
        number,
        STAGES.size());
    return result;
  }
}
