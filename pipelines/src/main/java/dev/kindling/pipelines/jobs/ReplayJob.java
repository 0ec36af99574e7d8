package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.kindling.agents.replay.EncoderReplay;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.replay.ReplayInputException;
import dev.kindling.features.replay.ReplayTransitions;
import dev.kindling.features.replay.ReplayTransitionsResult;
import dev.kindling.features.schema.FeatureSpecSchema;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code replay} stage: turns the run date's validated events into replay transitions (one row
 * per ranking request: the MA-RDPG step) in {@code replay}, partitioned by {@code dt} and {@code
 * bucket}, and the observation's feature spec (names, order, mean and std) in {@code
 * replay_feature_spec}. Re-running a date replaces both partitions.
 *
 * <p>With {@code replay.encoder.enabled}, the encoder columns are filled from each user's
 * impressions before the step ({@link EncoderReplay}) with the item vectors of the latest {@code
 * item_embeddings} partition before D, whose date and Delta version the feature spec records.
 *
 * <p>Cost: one shuffle of the day's impressions by user (see {@link ReplayTransitions#build}); the
 * transitions are persisted once for their write and the spec's aggregation. With the encoder: a
 * collect of the item vectors to the driver and their broadcast, and one shuffle of the encoder
 * window's impressions by user.
 */
public final class ReplayJob {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayJob.class);
  private static final String STAGE = "replay";

  private final SparkSession spark;
  private final ReplayConfig config;

  public ReplayJob(SparkSession spark, ReplayConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public ReplayResult run() {
    try (RunLease lease =
        new Lakehouse(spark, config.lakehouseRoot()).lease(STAGE, config.runDate())) {
      return runLeased();
    }
  }

  private ReplayResult runLeased() {
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    LocalDate day = config.runDate();
    Dataset<Row> events = lakehouse.read(Table.VALIDATED_EVENTS, day);
    if (events.isEmpty() && lakehouse.read(Table.QUARANTINE, day).isEmpty()) {
      throw Errors.of(
          "replay " + day + " found no validated events for that date.",
          "replay reads validated_events, which the validate stage writes.",
          "Run 'bin/kindling validate --run-date " + day + "' first (nightly runs both).");
    }
    ReplayTransitionsResult result;
    try {
      result =
          JobGroups.run(
              spark,
              STAGE,
              "count steps",
              () ->
                  ReplayTransitions.build(
                      events,
                      ReferenceTables.catalog(lakehouse, STAGE),
                      lakehouse.read(Table.USER_MIND_STATE, day.minusDays(1)),
                      lakehouse.read(Table.CONTENT_STATE, day.minusDays(1)),
                      day,
                      config.params()));
    } catch (ReplayInputException e) {
      throw new KindlingException(
          "replay " + day + " stopped before writing anything: " + e.getMessage(), e);
    }
    if (result.stepsWithoutAction() > 0 || result.stepsWithWrongActionLength() > 0) {
      LOG.warn(
          "replay {}: left out {} of {} steps without a logged action and {} whose action does"
              + " not have {} weights; they cannot be learned from",
          day,
          result.stepsWithoutAction(),
          result.steps(),
          result.stepsWithWrongActionLength(),
          config.params().actionLength());
    }
    EncoderInputs encoderInputs = EncoderInputs.NONE;
    Dataset<Row> built = result.transitions();
    if (config.encoder().isPresent()) {
      ReplayConfig.Encoder encoder = config.encoder().get();
      encoderInputs = encoderInputs(lakehouse, day, encoder);
      built =
          EncoderReplay.withInputs(
              built,
              lakehouse.read(Table.VALIDATED_EVENTS, day.minusDays(encoder.windowDays() - 1L), day),
              encoderInputs.vectors(),
              encoder.shape());
    }
    Dataset<Row> transitions = built.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Lakehouse.PartitionWrite replay =
          JobGroups.run(
              spark,
              STAGE,
              "write replay",
              () -> lakehouse.replacePartition(Table.REPLAY, day, transitions));
      List<String> names = ObservationSpec.featureNames(config.params().scenarios());
      Dataset<Row> spec = ObservationSpec.statistics(transitions, names);
      Column[] withDate =
          Stream.of(
                  Stream.of(lit(Date.valueOf(day)).as(FeatureSpecSchema.DT)),
                  Arrays.stream(spec.columns()).map(c -> col(c)),
                  Stream.of(
                      lit(encoderInputs.tableDay())
                          .cast(DataTypes.DateType)
                          .as(FeatureSpecSchema.EMBEDDINGS_DT),
                      lit(encoderInputs.tableVersion())
                          .cast(DataTypes.LongType)
                          .as(FeatureSpecSchema.EMBEDDINGS_VERSION)))
              .flatMap(c -> c)
              .toArray(Column[]::new);
      Lakehouse.PartitionWrite specWrite =
          JobGroups.run(
              spark,
              STAGE,
              "write replay_feature_spec",
              () ->
                  lakehouse.replacePartition(
                      Table.REPLAY_FEATURE_SPEC, day, spec.select(withDate)));
      ReplayResult out =
          new ReplayResult(
              day,
              result.steps(),
              replay.rows(),
              result.stepsWithoutAction(),
              result.stepsWithWrongActionLength(),
              specWrite.rows(),
              replay.version());
      if (out.transitions() != result.keptSteps()) {
        throw new IllegalStateException(
            "replay wrote "
                + out.transitions()
                + " transitions for "
                + result.keptSteps()
                + " kept steps, which must never differ: "
                + out
                + ". Please report it.");
      }
      LOG.info("{}", out);
      return out;
    } finally {
      transitions.unpersist();
      if (encoderInputs.vectors() != null) {
        encoderInputs.vectors().destroy();
      }
    }
  }

  /**
   * The item vectors the encoder columns of D are built from: those of the latest {@code
   * item_embeddings} partition before D, read at a recorded Delta version; with none, an empty
   * table (every vector then reads as zeros) and a warning.
   *
   * @throws KindlingException when the table's vectors are not {@code embeddings.dimension} long
   */
  private EncoderInputs encoderInputs(
      Lakehouse lakehouse, LocalDate day, ReplayConfig.Encoder encoder) {
    Optional<LocalDate> tableDay = lakehouse.latestDateBefore(Table.ITEM_EMBEDDINGS, day);
    Map<String, float[]> vectors = new HashMap<>();
    Long version = null;
    if (tableDay.isEmpty()) {
      LOG.warn(
          "replay {}: no item_embeddings partition before {}; every item vector of the encoder"
              + " inputs reads as zeros (the clicked, completed and age signals remain). Run"
              + " 'bin/kindling embeddings --run-date {}' (nightly runs it before the replay of"
              + " each date, so from the second nightly date on the day before has one).",
          day,
          day,
          day.minusDays(1));
    } else {
      long current = lakehouse.version(Table.ITEM_EMBEDDINGS);
      version = current;
      vectors =
          JobGroups.run(
              spark,
              STAGE,
              "collect item vectors",
              () ->
                  ReferenceTables.itemVectors(
                      lakehouse,
                      tableDay.get(),
                      current,
                      encoder.shape().itemDimension(),
                      STAGE,
                      day));
      LOG.info(
          "replay {}: encoder inputs from {} item vectors of item_embeddings {} (version {})",
          day,
          vectors.size(),
          tableDay.get(),
          version);
    }
    return new EncoderInputs(
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(vectors),
        tableDay.map(Date::valueOf).orElse(null),
        version);
  }

  /**
   * The item vectors broadcast for the encoder columns, and where they came from.
   *
   * @param vectors null when the encoder columns are not filled
   * @param tableDay the {@code item_embeddings} partition read; null when none
   * @param tableVersion its Delta version; null when none
   */
  private record EncoderInputs(
      Broadcast<Map<String, float[]>> vectors, Date tableDay, Long tableVersion) {
    static final EncoderInputs NONE = new EncoderInputs(null, null, null);
  }
}
