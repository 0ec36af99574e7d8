package dev.kindling.pipelines.jobs;

import dev.kindling.agents.sim.ImpressionEvent;
import dev.kindling.agents.sim.SimDay;
import dev.kindling.agents.sim.SimItem;
import dev.kindling.agents.sim.SimUser;
import dev.kindling.agents.sim.Simulator;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UsersSchema;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code simulate} stage: serves the simulated world day by day with its logging policy and
 * writes the logs in the raw contract: {@code raw/events/dt=D} (Parquet, one directory per day,
 * replaced whole), {@code raw/items} and {@code raw/users} (replaced whole). Deterministic for a
 * seed, so re-running it rewrites the same logs.
 *
 * <p>Cost: the simulation runs on the driver; events stream to Parquet in chunks of {@link
 * #CHUNK_ROWS} rows, so memory does not grow with the number of days.
 */
public final class SimulateJob {

  private static final Logger LOG = LoggerFactory.getLogger(SimulateJob.class);
  private static final String STAGE = "simulate";

  /** Rows buffered on the driver before they are written as one batch of Parquet files. */
  public static final int CHUNK_ROWS = 400_000;

  /** Rows per Spark task when a driver-side batch is written; keeps task sizes small. */
  private static final int ROWS_PER_SLICE = 20_000;

  private static final double NANOS_PER_SECOND = 1e9;

  private final SparkSession spark;
  private final SimulateConfig config;

  public SimulateJob(SparkSession spark, SimulateConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public SimulateResult run() {
    long started = System.nanoTime();
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    Simulator simulator = Simulator.withDefaultPolicies(config.simulator());
    StructType eventsFileSchema = new StructType(dropDt(EventsSchema.SCHEMA));
    long impressions = 0;
    long clicks = 0;
    for (int d = 0; d < config.days(); d++) {
      LocalDate day = config.startDate().plusDays(d);
      String dir = lakehouse.path(Lakehouse.RAW_EVENTS) + "/" + Lakehouse.DT + "=" + day;
      ChunkWriter writer = new ChunkWriter(dir, eventsFileSchema);
      SimDay result = simulator.simulateDay(day, writer::accept);
      writer.flush();
      if (writer.chunks == 0) {
        writer.writeChunk();
      }
      impressions += result.impressions();
      clicks += result.clicks();
      LOG.info(
          "simulate {}: {} impressions, {} clicks, {} active users, {} heated impressions",
          day,
          result.impressions(),
          result.clicks(),
          result.activeUsers(),
          result.heatedImpressions());
    }
    List<Row> items = simulator.items().stream().map(SimItem::toRow).toList();
    List<Row> users = simulator.users().stream().map(SimUser::toRow).toList();
    JobGroups.run(
        spark,
        STAGE,
        "write raw/items and raw/users",
        () -> {
          write(items, ItemsSchema.SCHEMA, lakehouse.path(Lakehouse.RAW_ITEMS), SaveMode.Overwrite);
          write(users, UsersSchema.SCHEMA, lakehouse.path(Lakehouse.RAW_USERS), SaveMode.Overwrite);
          return null;
        });
    SimulateResult out =
        new SimulateResult(
            config.startDate(),
            config.lastDate(),
            impressions,
            clicks,
            users.size(),
            items.size(),
            (System.nanoTime() - started) / NANOS_PER_SECOND);
    LOG.info("{}", out);
    return out;
  }

  private static StructField[] dropDt(StructType schema) {
    return Arrays.stream(schema.fields())
        .filter(f -> !f.name().equals(EventsSchema.DT))
        .toArray(StructField[]::new);
  }

  private void write(List<Row> rows, StructType schema, String path, SaveMode mode) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    spark
        .createDataFrame(jsc.parallelize(rows, Math.max(1, rows.size() / ROWS_PER_SLICE)), schema)
        .write()
        .mode(mode)
        .parquet(path);
  }

  /** Buffers one day's events and writes them to the day's directory, chunk by chunk. */
  private final class ChunkWriter {
    private final String dir;
    private final StructType schema;
    private final int dtIndex = EventsSchema.SCHEMA.fieldIndex(EventsSchema.DT);
    private final List<Row> buffer = new ArrayList<>();
    private int chunks;

    ChunkWriter(String dir, StructType schema) {
      this.dir = dir;
      this.schema = schema;
    }

    void accept(ImpressionEvent event) {
      buffer.add(withoutDt(event.toRow()));
      if (buffer.size() >= CHUNK_ROWS) {
        writeChunk();
      }
    }

    void flush() {
      if (!buffer.isEmpty()) {
        writeChunk();
      }
    }

    void writeChunk() {
      SaveMode mode = chunks == 0 ? SaveMode.Overwrite : SaveMode.Append;
      JobGroups.run(
          spark,
          STAGE,
          "write " + dir,
          () -> {
            write(buffer, schema, dir, mode);
            return null;
          });
      buffer.clear();
      chunks++;
    }

    private Row withoutDt(Row row) {
      Object[] values = new Object[row.length() - 1];
      for (int i = 0, j = 0; i < row.length(); i++) {
        if (i != dtIndex) {
          values[j++] = row.get(i);
        }
      }
      return RowFactory.create(values);
    }
  }
}
