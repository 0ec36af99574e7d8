package dev.kindling.pipelines.lakehouse;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/** Registers every lakehouse table that exists as a temporary view named after it. */
public final class TableViews {

  private TableViews() {}

  /**
   * Registers the Delta tables by their names ({@code user_mind_state}, {@code quarantine}, ...)
   * and the raw logs as {@code raw_events}, {@code raw_items}, {@code raw_users}.
   *
   * @return the names registered
   */
  public static List<String> registerAll(SparkSession spark, Lakehouse lakehouse) {
    List<String> names = new ArrayList<>();
    for (Table table : Table.values()) {
      if (lakehouse.exists(table)) {
        lakehouse.read(table).createOrReplaceTempView(table.tableName());
        names.add(table.tableName());
      }
    }
    if (!lakehouse.rawEventDates().isEmpty()) {
      spark
          .read()
          .parquet(lakehouse.path(Lakehouse.RAW_EVENTS))
          .createOrReplaceTempView("raw_events");
      names.add("raw_events");
    }
    for (String raw : List.of(Lakehouse.RAW_ITEMS, Lakehouse.RAW_USERS)) {
      if (lakehouse.hasPath(raw)) {
        spark.read().parquet(lakehouse.path(raw)).createOrReplaceTempView(raw.replace('/', '_'));
        names.add(raw.replace('/', '_'));
      }
    }
    return names;
  }
}
