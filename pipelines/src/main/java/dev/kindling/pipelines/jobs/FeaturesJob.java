package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UsersSchema;
import dev.kindling.features.state.ContentState;
import dev.kindling.features.state.FeatureParams;
import dev.kindling.features.state.UserMindState;
import dev.kindling.features.validate.LogContractException;
import dev.kindling.features.validate.ReferenceLogs;
import dev.kindling.features.validate.SchemaCheck;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
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
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    LocalDate day = config.runDate();
    FeatureParams p = config.params();
    JobGroups.run(
        spark,
        STAGE,
        "check inputs",
        () -> {
          requireValidated(lakehouse, day);
          return null;
        });

    Dataset<Row> window =
        lakehouse.read(Table.VALIDATED_EVENTS, day.minusDays(p.windowDays() - 1L), day);
    Dataset<Row> items = catalog(lakehouse);
    Dataset<Row> users = directory(lakehouse);
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

  private static void requireValidated(Lakehouse lakehouse, LocalDate day) {
    boolean validated =
        lakehouse.exists(Table.VALIDATED_EVENTS)
            && (!lakehouse.read(Table.VALIDATED_EVENTS, day).isEmpty()
                || !lakehouse.read(Table.QUARANTINE, day).isEmpty());
    if (!validated) {
      throw Errors.of(
          "features " + day + " found no validated events for that date.",
          "features reads validated_events, which the validate stage writes.",
          "Run 'bin/kindling validate --run-date " + day + "' first (nightly runs both).");
    }
  }

  /** The item catalog in its contract, one row per item (the earliest publication wins). */
  private static Dataset<Row> catalog(Lakehouse lakehouse) {
    return onePerKey(
        conform(
            ReferenceLogs.ITEMS_LOG,
            lakehouse.rawItems(),
            ItemsSchema.SCHEMA,
            ItemsSchema.REQUIRED),
        ItemsSchema.ITEM_ID,
        ItemsSchema.SCHEMA);
  }

  /** The user directory in its contract, one row per user (the earliest sign-up wins). */
  private static Dataset<Row> directory(Lakehouse lakehouse) {
    return onePerKey(
        conform(
            ReferenceLogs.USERS_LOG,
            lakehouse.rawUsers(),
            UsersSchema.SCHEMA,
            UsersSchema.REQUIRED),
        UsersSchema.USER_ID,
        UsersSchema.SCHEMA);
  }

  private static Dataset<Row> conform(
      String log, Dataset<Row> raw, StructType schema, List<String> required) {
    try {
      Column[] columns = Arrays.stream(schema.fieldNames()).map(c -> col(c)).toArray(Column[]::new);
      return SchemaCheck.conform(log, raw, schema, required).rows().select(columns);
    } catch (LogContractException e) {
      throw new KindlingException("features stopped before writing anything: " + e.getMessage(), e);
    }
  }

  /**
   * One row per non-null key: the smallest row in schema column order (so the earliest timestamp,
   * which follows the key) wins, deterministically.
   */
  private static Dataset<Row> onePerKey(Dataset<Row> rows, String key, StructType schema) {
    String[] rest =
        Arrays.stream(schema.fieldNames()).filter(c -> !c.equals(key)).toArray(String[]::new);
    Column packed = struct(Arrays.stream(rest).map(c -> col(c)).toArray(Column[]::new));
    Column[] out =
        Stream.concat(Stream.of(col(key)), Arrays.stream(rest).map(c -> col("first." + c).as(c)))
            .toArray(Column[]::new);
    return rows.where(col(key).isNotNull())
        .groupBy(col(key))
        .agg(min(packed).as("first"))
        .select(out);
  }
}
