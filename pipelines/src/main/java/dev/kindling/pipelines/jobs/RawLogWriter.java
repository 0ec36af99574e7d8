package dev.kindling.pipelines.jobs;

import dev.kindling.agents.sim.ImpressionEvent;
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

/**
 * Writes a simulated world's logs in the raw contract: one day's events to {@code raw/events/dt=D}
 * (Parquet, replaced whole, buffered on the driver in chunks of {@link #CHUNK_ROWS} rows), and
 * {@code raw/items} and {@code raw/users} (replaced whole). Shared by {@code simulate} and {@code
 * simulate-loop}, so both write byte-for-byte the same files.
 */
final class RawLogWriter {

  /** Rows buffered on the driver before they are written as one batch of Parquet files. */
  static final int CHUNK_ROWS = 400_000;

  /** Rows per Spark task when a driver-side batch is written; keeps task sizes small. */
  private static final int ROWS_PER_SLICE = 20_000;

  private static final StructType EVENTS_FILE_SCHEMA =
      new StructType(
          Arrays.stream(EventsSchema.SCHEMA.fields())
              .filter(f -> !f.name().equals(EventsSchema.DT))
              .toArray(StructField[]::new));

  private final SparkSession spark;
  private final Lakehouse lakehouse;
  private final String stage;

  RawLogWriter(SparkSession spark, Lakehouse lakehouse, String stage) {
    this.spark = spark;
    this.lakehouse = lakehouse;
    this.stage = stage;
  }

  /** A sink for one day's events; call {@link DayWriter#finish} once the day is simulated. */
  DayWriter day(LocalDate day) {
    return new DayWriter(lakehouse.path(Lakehouse.RAW_EVENTS) + "/" + Lakehouse.DT + "=" + day);
  }

  /** Replaces {@code raw/items} and {@code raw/users} with every item and user of the world. */
  void writeItemsAndUsers(Simulator simulator) {
    List<Row> items = simulator.items().stream().map(SimItem::toRow).toList();
    List<Row> users = simulator.users().stream().map(SimUser::toRow).toList();
    JobGroups.run(
        spark,
        stage,
        "write raw/items and raw/users",
        () -> {
          write(items, ItemsSchema.SCHEMA, lakehouse.path(Lakehouse.RAW_ITEMS), SaveMode.Overwrite);
          write(users, UsersSchema.SCHEMA, lakehouse.path(Lakehouse.RAW_USERS), SaveMode.Overwrite);
          return null;
        });
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
  final class DayWriter {
    private final String dir;
    private final int dtIndex = EventsSchema.SCHEMA.fieldIndex(EventsSchema.DT);
    private final List<Row> buffer = new ArrayList<>();
    private int chunks;

    private DayWriter(String dir) {
      this.dir = dir;
    }

    void accept(ImpressionEvent event) {
      buffer.add(withoutDt(event.toRow()));
      if (buffer.size() >= CHUNK_ROWS) {
        writeChunk();
      }
    }

    /** Writes what is buffered; a day without events still gets its (empty) directory. */
    void finish() {
      if (!buffer.isEmpty() || chunks == 0) {
        writeChunk();
      }
    }

    private void writeChunk() {
      SaveMode mode = chunks == 0 ? SaveMode.Overwrite : SaveMode.Append;
      JobGroups.run(
          spark,
          stage,
          "write " + dir,
          () -> {
            write(buffer, EVENTS_FILE_SCHEMA, dir, mode);
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
