package dev.kindling.pipelines.jobs;

import dev.kindling.features.state.ContentState;
import dev.kindling.features.state.FeatureParams;
import dev.kindling.features.state.UserMindState;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code features} stage: writes the run date's {@code user_mind_state} (one row per active
 * user) and {@code content_state} (one row per live item) partitions from the validated events of
 * the trailing window, the catalog, the user directory and the state carried from earlier dates.
 * Re-running a date replaces both partitions; later dates are not touched.
 *
 * <p>Cost: one scan of the window's validated events for the user state (one shuffle by user) and
 * one of the run date's for the content state; the carried state partitions; two Delta partition
 * overwrites.
 */
public final class FeaturesJob {

  private static final Logger LOG = LoggerFactory.getLogger(FeaturesJob.class);
  private static final String STAGE = "features";

  private final SparkSession spark;
  private final FeaturesConfig config;

  public FeaturesJob(SparkSession spark, FeaturesConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public FeaturesResult run() {
    try (RunLease lease =
        new Lakehouse(spark, config.lakehouseRoot()).lease(STAGE, config.runDate())) {
      return runLeased();
    }
  }

  private FeaturesResult runLeased() {
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    LocalDate day = config.runDate();
    FeatureParams p = config.params();
    JobGroups.run(
        spark,
        STAGE,
        "check inputs",
        () -> {
          ReferenceTables.requireValidated(lakehouse, day, STAGE);
          return null;
        });

    Dataset<Row> window =
        lakehouse.read(Table.VALIDATED_EVENTS, day.minusDays(p.windowDays() - 1L), day);
    Dataset<Row> items = ReferenceTables.catalog(lakehouse, STAGE);
    Dataset<Row> users = ReferenceTables.directory(lakehouse, STAGE);
    Dataset<Row> previousUsers =
        lakehouse.read(Table.USER_MIND_STATE, day.minusDays(p.lookbackDays()), day.minusDays(1));
    Optional<LocalDate> previousContentDate =
        JobGroups.run(
            spark,
            STAGE,
            "find carried content state",
            () -> lakehouse.latestDateBefore(Table.CONTENT_STATE, day));
    Dataset<Row> previousContent =
        previousContentDate
            .map(d -> lakehouse.read(Table.CONTENT_STATE, d))
            .orElseGet(() -> lakehouse.read(Table.CONTENT_STATE, day).limit(0));
    if (previousContentDate.isPresent() && !previousContentDate.get().equals(day.minusDays(1))) {
      LOG.warn(
          "features {}: the latest earlier content_state is {}, not the day before; lifetime"
              + " totals miss the events of the days in between. Run features for those days"
              + " first, in order.",
          day,
          previousContentDate.get());
    }

    Dataset<Row> userState = UserMindState.compute(window, items, users, previousUsers, day, p);
    Dataset<Row> contentState =
        ContentState.compute(
            lakehouse.read(Table.VALIDATED_EVENTS, day), items, previousContent, day, p);

    Lakehouse.PartitionWrite userWrite =
        JobGroups.run(
            spark,
            STAGE,
            "write user_mind_state",
            () -> lakehouse.replacePartition(Table.USER_MIND_STATE, day, userState));
    Lakehouse.PartitionWrite contentWrite =
        JobGroups.run(
            spark,
            STAGE,
            "write content_state",
            () -> lakehouse.replacePartition(Table.CONTENT_STATE, day, contentState));
    FeaturesResult out =
        new FeaturesResult(
            day,
            userWrite.rows(),
            contentWrite.rows(),
            previousContentDate.orElse(null),
            userWrite.version(),
            contentWrite.version());
    LOG.info("{}", out);
    return out;
  }
}
