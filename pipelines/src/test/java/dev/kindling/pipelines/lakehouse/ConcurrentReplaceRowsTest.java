package dev.kindling.pipelines.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EvaluationSchema;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two simulate-loop arms (seeds 1 and 2) replacing their own rows of the same {@code evaluation}
 * partition at the same time, as arms run side by side do. Delta judges overlap by partition, so
 * their commits conflict; {@link Lakehouse#replaceRows} retries on the new snapshot and neither arm
 * fails or loses rows.
 */
class ConcurrentReplaceRowsTest {

  private static final LocalDate DAY = LocalDate.parse("2024-01-05");
  private static final int ROUNDS = 8;

  @TempDir Path dir;

  @Test
  void armsReplacingTheirOwnRowsOfOnePartitionAtOnceBothCommit() throws Exception {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lakehouse = new Lakehouse(spark, dir.resolve("lakehouse").toString());
    lakehouse.replaceRows(
        Table.EVALUATION,
        DAY,
        predicate(0),
        spark.createDataFrame(rows(0, 0), EvaluationSchema.SCHEMA));
    long retriesBefore = Lakehouse.REPLACE_ROWS_RETRIES.get();

    ExecutorService arms = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (long seed : new long[] {1, 2}) {
        done.add(
            arms.submit(
                () -> {
                  for (int round = 1; round <= ROUNDS; round++) {
                    lakehouse.replaceRows(
                        Table.EVALUATION,
                        DAY,
                        predicate(seed),
                        spark.createDataFrame(rows(seed, round), EvaluationSchema.SCHEMA));
                  }
                  return null;
                }));
      }
      for (Future<?> arm : done) {
        arm.get(); // rethrows an arm's failure
      }
    } finally {
      arms.shutdownNow();
    }

    assertThat(Lakehouse.REPLACE_ROWS_RETRIES.get() - retriesBefore)
        .as("the arms' commits conflicted at least once, so the retry was exercised")
        .isPositive();
    List<Row> after =
        lakehouse
            .read(Table.EVALUATION, DAY)
            .orderBy(EvaluationSchema.SEED, EvaluationSchema.METRIC)
            .collectAsList();
    assertThat(after).hasSize(6);
    for (Row row : after) {
      long seed = row.getLong(row.fieldIndex(EvaluationSchema.SEED));
      assertThat(row.getDouble(row.fieldIndex(EvaluationSchema.VALUE)))
          .as("seed %d holds its last round's rows", seed)
          .isEqualTo(seed == 0 ? 0.0 : ROUNDS);
    }
  }

  private static String predicate(long seed) {
    return EvaluationSchema.RUN
        + " = '"
        + EvaluationSchema.RUN_SIMULATE_LOOP
        + "' AND "
        + EvaluationSchema.SEED
        + " = "
        + seed;
  }

  private static List<Row> rows(long seed, int round) {
    List<Row> out = new ArrayList<>();
    for (String metric : List.of("ctr", "gini")) {
      out.add(
          RowFactory.create(
              Date.valueOf(DAY),
              EvaluationSchema.RUN_SIMULATE_LOOP,
              seed,
              "kindling",
              "metric",
              metric,
              "observed",
              (double) round,
              null,
              null,
              100L,
              null,
              null));
    }
    return out;
  }
}
