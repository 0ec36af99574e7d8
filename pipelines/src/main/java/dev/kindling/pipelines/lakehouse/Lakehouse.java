package dev.kindling.pipelines.lakehouse;

import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where data lives under {@code lakehouse.root}, and the only place that reads or writes it: raw
 * Parquet logs in, Delta tables out. Every write replaces exactly one run date's partition.
 */
public final class Lakehouse {

  private static final Logger LOG = LoggerFactory.getLogger(Lakehouse.class);

  public static final String DT = "dt";
  public static final String RAW_EVENTS = "raw/events";
  public static final String RAW_ITEMS = "raw/items";
  public static final String RAW_USERS = "raw/users";

  private static final String NUM_OUTPUT_ROWS = "numOutputRows";

  /** The session setting {@link #lease} reads its TTL from, in seconds. */
  public static final String LEASE_TTL_CONF = "spark.kindling.lease-ttl-seconds";

  /** The lease TTL when the session does not set one. */
  public static final long DEFAULT_LEASE_TTL_SECONDS = 300;

  /** Attempts of a {@link #replaceRows} commit that another writer's commit made Delta refuse. */
  static final int REPLACE_ROWS_ATTEMPTS = 10;

  /** Retried {@link #replaceRows} attempts in this JVM, as the WARN lines count them. */
  static final java.util.concurrent.atomic.AtomicLong REPLACE_ROWS_RETRIES =
      new java.util.concurrent.atomic.AtomicLong();

  /** Commits searched for a writer's own commit after {@link #replaceRows}. */
  private static final int OWN_COMMIT_LOOKBACK = 20;

  private final SparkSession spark;
  private final String root;

  public Lakehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = qualify(spark, root);
  }

  /** The root as a fully qualified URI (a relative local path becomes file:/abs/path). */
  private static String qualify(SparkSession spark, String root) {
    String trimmed = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    Path path = new Path(trimmed);
    try {
      return path.getFileSystem(spark.sparkContext().hadoopConfiguration())
          .makeQualified(path)
          .toString();
    } catch (IOException e) {
      throw Errors.of(
          "Cannot reach lakehouse.root " + root + ": " + e.getMessage() + ".",
          "Every stage reads and writes under it.",
          "Check the path or URI and the credentials for its file system.");
    }
  }

  public String root() {
    return root;
  }

  /** Absolute location of a path under the root. */
  public String path(String relative) {
    return root + "/" + relative;
  }

  public String path(Table table) {
    return path(table.tableName());
  }

  /** The raw events of one day; {@code dt} arrives as a date (partition inference). */
  public Dataset<Row> rawEvents(LocalDate dt) {
    String dir = path(RAW_EVENTS) + "/" + DT + "=" + dt;
    if (!exists(dir)) {
      throw Errors.missingInput(
          "raw events for run date " + dt,
          dir,
          "Check that the platform's export for that day landed, or pick a run date that has"
              + " data; dates present: "
              + rawEventDates()
              + ".");
    }
    return spark.read().option("basePath", path(RAW_EVENTS)).parquet(dir);
  }

  /** The dates that have a {@code raw/events} partition, ascending. */
  public List<LocalDate> rawEventDates() {
    String dir = path(RAW_EVENTS);
    if (!exists(dir)) {
      return List.of();
    }
    try {
      FileStatus[] statuses = fs(dir).listStatus(new Path(dir));
      return Arrays.stream(statuses)
          .filter(FileStatus::isDirectory)
          .map(s -> s.getPath().getName())
          .filter(n -> n.startsWith(DT + "="))
          .map(n -> LocalDate.parse(n.substring(DT.length() + 1)))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new KindlingException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The raw item catalog. */
  public Dataset<Row> rawItems() {
    return rawParquet(RAW_ITEMS, "the item catalog");
  }

  /** The raw user directory. */
  public Dataset<Row> rawUsers() {
    return rawParquet(RAW_USERS, "the user directory");
  }

  private Dataset<Row> rawParquet(String relative, String what) {
    String dir = path(relative);
    if (!exists(dir)) {
      throw Errors.missingInput(
          what,
          dir,
          "Export it there as Parquet in the raw log contract (README, 'Raw log contract'), or"
              + " run 'bin/kindling simulate' to make demo data.");
    }
    return spark.read().parquet(dir);
  }

  /** Whether a Delta table exists at the table's path. */
  public boolean exists(Table table) {
    return DeltaTable.isDeltaTable(spark, path(table));
  }

  /** The whole Delta table, or an empty frame of its schema if it does not exist yet. */
  public Dataset<Row> read(Table table) {
    if (!exists(table)) {
      return spark.createDataFrame(List.of(), table.schema());
    }
    return spark.read().format("delta").load(path(table));
  }

  /** One date's partition of a Delta table (empty if absent). */
  public Dataset<Row> read(Table table, LocalDate dt) {
    return read(table).where(onDate(dt));
  }

  /** Rows of a Delta table with {@code from <= dt <= to}. */
  public Dataset<Row> read(Table table, LocalDate from, LocalDate to) {
    return read(table)
        .where(
            functions
                .col(DT)
                .between(
                    functions.lit(from.toString()).cast("date"),
                    functions.lit(to.toString()).cast("date")));
  }

  /**
   * One date's partition of a Delta table as of {@code version} (Delta time travel), so a reader
   * can record exactly what it read. Cost: a read of the log up to that version.
   */
  public Dataset<Row> read(Table table, LocalDate dt, long version) {
    return spark
        .read()
        .format("delta")
        .option("versionAsOf", version)
        .load(path(table))
        .where(onDate(dt));
  }

  /** {@code dt = dt}, the filter of one date's partition. */
  private static org.apache.spark.sql.Column onDate(LocalDate dt) {
    return functions.col(DT).equalTo(functions.lit(dt.toString()).cast("date"));
  }

  /** The latest Delta version of an existing table. */
  public long version(Table table) {
    return latestVersion(path(table));
  }

  /**
   * The latest partition date of a table strictly before {@code before}, if any. Cost: a pruned
   * look at the day before (the nightly case); otherwise a scan of the table's partition column.
   */
  public Optional<LocalDate> latestDateBefore(Table table, LocalDate before) {
    if (!exists(table)) {
      return Optional.empty();
    }
    LocalDate dayBefore = before.minusDays(1);
    if (!read(table, dayBefore).isEmpty()) {
      return Optional.of(dayBefore);
    }
    Row row =
        read(table)
            .where(functions.col(DT).lt(functions.lit(before.toString()).cast("date")))
            .agg(functions.max(DT))
            .first();
    return row.isNullAt(0) ? Optional.empty() : Optional.of(row.getDate(0).toLocalDate());
  }

  /**
   * What one partition replacement committed.
   *
   * @param version the table's Delta version after the write
   * @param rows rows the write added (Delta's own {@code numOutputRows} of the commit)
   */
  public record PartitionWrite(long version, long rows) {}

  /**
   * Replaces one date's partition of a Delta table with {@code rows}, atomically; other dates are
   * untouched. Creates the table (with the declared schema, nullability and partitioning) on first
   * use; a table created before its declared schema gained (nullable) columns gains them on this
   * write, its older partitions reading them as null. Rows must carry exactly the table's columns
   * and types, and only that date. Cost: the write itself plus two reads of the table's log.
   */
  public PartitionWrite replacePartition(Table table, LocalDate dt, Dataset<Row> rows) {
    checkSchema(table, rows.schema());
    String location = path(table);
    createIfNotExists(table, location);
    long before = latestVersion(location);
    committing(
        table,
        "dt=" + dt,
        () ->
            rows.select(columnsOf(table.schema()))
                .write()
                .format("delta")
                .mode("overwrite")
                .option("replaceWhere", DT + " = '" + dt + "'")
                // checkSchema holds the rows to the declared schema, so merging can only add the
                // declared columns an older table lacks.
                .option("mergeSchema", "true")
                .save(location));
    Row commit = DeltaTable.forPath(spark, location).history(1).first();
    long version = commit.getLong(commit.fieldIndex("version"));
    // Delta commits nothing when an empty write replaces an empty partition.
    long written = 0;
    if (version != before) {
      scala.collection.Map<String, String> metrics =
          commit.getMap(commit.fieldIndex("operationMetrics"));
      written = Long.parseLong(metrics.getOrElse(NUM_OUTPUT_ROWS, () -> "0"));
    }
    LOG.info(
        "Wrote {} partition dt={}: {} rows (Delta version {})",
        table.tableName(),
        dt,
        written,
        version);
    return new PartitionWrite(version, written);
  }

  /**
   * Replaces the rows of one date that match {@code predicate} (a Spark SQL condition over the
   * table's columns, e.g. {@code run = 'evaluate'}) with {@code rows}, atomically, in one Delta
   * commit ({@code replaceWhere}); every other row is untouched. Every row of {@code rows} must
   * match the date and the predicate, or Delta refuses the write. Creates the table on first use.
   */
  public PartitionWrite replaceRows(
      Table table, LocalDate dt, String predicate, Dataset<Row> rows) {
    checkSchema(table, rows.schema());
    String location = path(table);
    createIfNotExists(table, location);
    String replaceWhere = DT + " = '" + dt + "' AND (" + predicate + ")";
    String what = "dt=" + dt + " where " + predicate;
    String userMetadata = "kindling " + table.tableName() + " " + what + " " + UUID.randomUUID();
    // Writers of disjoint rows of one partition (the simulate-loop arms of several seeds or
    // policies sharing `evaluation`) conflict in Delta, which judges overlap by partition: it
    // cannot tell that the other commit added no row this predicate matches. Replacing rows by
    // predicate commutes with such a commit, so a refused attempt is retried on the new snapshot.
    for (int attempt = 1; ; attempt++) {
      try {
        rows.select(columnsOf(table.schema()))
            .write()
            .format("delta")
            .mode("overwrite")
            .option("replaceWhere", replaceWhere)
            .option("userMetadata", userMetadata)
            .save(location);
        break;
      } catch (org.apache.spark.sql.delta.ConcurrentAppendException
          | org.apache.spark.sql.delta.ConcurrentDeleteReadException
          | org.apache.spark.sql.delta.ConcurrentDeleteDeleteException e) {
        if (attempt >= REPLACE_ROWS_ATTEMPTS) {
          throw conflict(table, what, e);
        }
        long pauseMs =
            250L * attempt + java.util.concurrent.ThreadLocalRandom.current().nextLong(500);
        LOG.warn(
            "{} {}: another writer committed to the same partition meanwhile ({}); retrying on the"
                + " new snapshot in {} ms (attempt {} of {})",
            table.tableName(),
            what,
            e.getClass().getSimpleName(),
            pauseMs,
            attempt + 1,
            REPLACE_ROWS_ATTEMPTS);
        REPLACE_ROWS_RETRIES.incrementAndGet();
        pause(pauseMs);
      } catch (java.util.ConcurrentModificationException e) {
        throw conflict(table, what, e);
      }
    }
    Row commit = ownCommit(location, userMetadata);
    scala.collection.Map<String, String> metrics =
        commit.getMap(commit.fieldIndex("operationMetrics"));
    long written = Long.parseLong(metrics.getOrElse(NUM_OUTPUT_ROWS, () -> "0"));
    LOG.info("Wrote {} rows of dt={} where {}: {} rows", table.tableName(), dt, predicate, written);
    return new PartitionWrite(commit.getLong(commit.fieldIndex("version")), written);
  }

  /**
   * This writer's commit, found by the {@code userMetadata} it was written with, so that another
   * writer's later commit to the table is not taken for it. Falls back to the newest commit.
   */
  private Row ownCommit(String location, String userMetadata) {
    List<Row> recent =
        DeltaTable.forPath(spark, location).history(OWN_COMMIT_LOOKBACK).collectAsList();
    for (Row commit : recent) {
      if (userMetadata.equals(commit.getAs("userMetadata"))) {
        return commit;
      }
    }
    return recent.get(0);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting to retry a Delta commit", e);
    }
  }

  /**
   * Appends {@code rows} to a Delta table, creating the table (declared schema, nullability and
   * partitioning) on first use. For tables written incrementally within a run, such as {@code
   * training_runs}; rows must carry exactly the table's columns and types. Cost: one small commit.
   *
   * @return the table's Delta version after the append
   */
  public long append(Table table, Dataset<Row> rows) {
    checkSchema(table, rows.schema());
    String location = path(table);
    createIfNotExists(table, location);
    committing(
        table,
        "an append",
        () ->
            rows.select(columnsOf(table.schema()))
                .write()
                .format("delta")
                .mode("append")
                .save(location));
    return latestVersion(location);
  }

  /**
   * Deletes the rows of one date's partition that match {@code condition} (all of them when it is
   * null); nothing happens when the table does not exist. Cost: a rewrite of the date's files that
   * hold matching rows, one commit.
   */
  public void deleteRows(Table table, LocalDate dt, org.apache.spark.sql.Column condition) {
    if (!exists(table)) {
      return;
    }
    org.apache.spark.sql.Column inDate = onDate(dt);
    committing(
        table,
        "a delete of dt=" + dt,
        () ->
            DeltaTable.forPath(spark, path(table))
                .delete(condition == null ? inDate : inDate.and(condition)));
  }

  /**
   * A path under the root on the local file system, for the files that are not tables (model and
   * checkpoint directories). Object-store roots are not supported for those yet.
   *
   * @throws KindlingException when the root is not on the local file system
   */
  public java.nio.file.Path localPath(String relative) {
    URI uri = URI.create(path(relative));
    if (!"file".equals(uri.getScheme())) {
      throw Errors.of(
          "lakehouse.root " + root + " is not on the local file system.",
          "Model and checkpoint directories are written with local, atomic renames for now;"
              + " object stores have no atomic directory rename.",
          "Use a local lakehouse.root (or a mounted volume) for the train stage.");
    }
    return Paths.get(uri);
  }

  /**
   * Runs one Delta commit of {@code table}; a conflict with another writer's commit (Delta's
   * optimistic concurrency) becomes a {@link KindlingException} that names the table and what was
   * written.
   */
  private static void committing(Table table, String what, Runnable write) {
    try {
      write.run();
    } catch (java.util.ConcurrentModificationException e) {
      throw conflict(table, what, e);
    }
  }

  /** The error of a commit Delta refused because another writer committed meanwhile. */
  private static KindlingException conflict(
      Table table, String what, java.util.ConcurrentModificationException e) {
    return Errors.of(
        "Another writer committed to "
            + table.tableName()
            + " while this run wrote "
            + what
            + " ("
            + e.getClass().getSimpleName()
            + ": "
            + firstLine(e.getMessage())
            + ").",
        "Delta refuses a commit whose reads or deletes overlap a commit made meanwhile, so"
            + " nothing of this write was committed; two runs of one stage and date must not"
            + " overlap.",
        "Find the other run (Airflow task, manual run) and let it finish, then rerun this stage"
            + " for the date; it is idempotent.");
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private void createIfNotExists(Table table, String location) {
    DeltaTable.createIfNotExists(spark)
        .location(location)
        .addColumns(table.schema())
        .partitionedBy(table.partitionColumns().toArray(String[]::new))
        .execute();
  }

  private long latestVersion(String location) {
    return DeltaTable.forPath(spark, location).history(1).first().getLong(0);
  }

  private static org.apache.spark.sql.Column[] columnsOf(StructType schema) {
    return Arrays.stream(schema.fieldNames())
        .map(functions::col)
        .toArray(org.apache.spark.sql.Column[]::new);
  }

  private static void checkSchema(Table table, StructType found) {
    for (StructField expected : table.schema().fields()) {
      Optional<StructField> actual =
          Arrays.stream(found.fields()).filter(f -> f.name().equals(expected.name())).findFirst();
      if (actual.isEmpty()
          || !actual.get().dataType().catalogString().equals(expected.dataType().catalogString())) {
        throw new IllegalStateException(
            "Rows for table "
                + table.tableName()
                + " do not match its schema at column "
                + expected.name()
                + ": expected "
                + expected.dataType().simpleString()
                + ", found "
                + actual.map(f -> f.dataType().simpleString()).orElse("no such column"));
      }
    }
  }

  /**
   * Deletes a path under the root with everything beneath it; nothing happens when it does not
   * exist. Not atomic: a reader may see it half gone.
   */
  public void deletePath(String relative) {
    String dir = path(relative);
    try {
      fs(dir).delete(new Path(dir), true);
    } catch (IOException e) {
      throw new KindlingException("Cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Takes the lease of {@code stage} for {@code dt} ({@link RunLease}); close it when the stage's
   * writes are done. The TTL is the session's {@value #LEASE_TTL_CONF} (seconds), {@value
   * #DEFAULT_LEASE_TTL_SECONDS} when unset.
   *
   * @throws KindlingException when another live run of the stage and date holds it
   */
  public RunLease lease(String stage, LocalDate dt) {
    long ttl =
        Long.parseLong(spark.conf().get(LEASE_TTL_CONF, String.valueOf(DEFAULT_LEASE_TTL_SECONDS)));
    return RunLease.acquire(
        path(RunLease.relativePath(stage, dt)),
        spark.sparkContext().hadoopConfiguration(),
        stage,
        dt,
        java.time.Duration.ofSeconds(ttl));
  }

  /** Whether a path under the root exists. */
  public boolean hasPath(String relative) {
    return exists(path(relative));
  }

  private boolean exists(String dir) {
    try {
      return fs(dir).exists(new Path(dir));
    } catch (IOException e) {
      throw new KindlingException("Cannot reach " + dir + ": " + e.getMessage(), e);
    }
  }

  private FileSystem fs(String dir) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    return new Path(dir).getFileSystem(conf);
  }
}
