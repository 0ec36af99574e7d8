package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.FeatureSpecSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.TestFiles;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ReplayJob} on a tiny simulated world of two days (validated, features for the first day,
 * replay for both): one transition per ranking request, identical re-runs, a clear failure when the
 * logs carry no action.
 */
class ReplayJobTest {

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path root;
  private static Lakehouse lakehouse;
  private static List<LocalDate> days;
  private static List<ReplayResult> results;

  @BeforeAll
  static void simulateValidateAndReplay() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    lakehouse = new Lakehouse(spark, root.toString());
    JobFixtures.simulate(spark, root, 2);
    days = List.of(JobFixtures.startDate(), JobFixtures.startDate().plusDays(1));
    days.forEach(day -> JobFixtures.validate(spark, root, day));
    JobFixtures.features(spark, root, days.get(0));
    results = days.stream().map(day -> JobFixtures.replay(spark, root, day)).toList();
  }

  @Test
  void everyRankingRequestBecomesOneTransition() {
    for (int d = 0; d < days.size(); d++) {
      LocalDate day = days.get(d);
      long requests =
          lakehouse
              .read(Table.VALIDATED_EVENTS, day)
              .agg(countDistinct(col(EventsSchema.REQUEST_ID)))
              .first()
              .getLong(0);
      Dataset<Row> replay = lakehouse.read(Table.REPLAY, day);
      assertThat(replay.count()).as("one replay row per request on %s", day).isEqualTo(requests);
      assertThat(results.get(d).transitions())
          .as("the result reports the rows written on %s", day)
          .isEqualTo(requests);
      assertThat(results.get(d).steps())
          .as("every simulated step carries an action, so none is left out on %s", day)
          .isEqualTo(requests);
      long episodes = replay.select(ReplaySchema.EPISODE_ID).distinct().count();
      assertThat(replay.where(col(ReplaySchema.DONE)).count())
          .as("exactly one last step per episode on %s", day)
          .isEqualTo(episodes);
    }
  }

  @Test
  void theFeatureSpecHasOneRowPerObservationFeature() {
    for (LocalDate day : days) {
      Row first = lakehouse.read(Table.REPLAY, day).select(ReplaySchema.OBS).first();
      int obsLength = first.getList(0).size();
      assertThat(lakehouse.read(Table.REPLAY_FEATURE_SPEC, day).count())
          .as("the spec of %s describes every position of obs", day)
          .isEqualTo(obsLength);
    }
  }

  @Test
  void reRunningReplayForADateLeavesIdenticalTablesAndTheNextDateUntouched() {
    LocalDate day = days.get(0);
    List<Table> tables = List.of(Table.REPLAY, Table.REPLAY_FEATURE_SPEC);
    List<Dataset<Row>> before =
        tables.stream()
            .flatMap(t -> days.stream().map(d -> lakehouse.read(t, d)))
            .map(rows -> JobFixtures.snapshot(spark, rows))
            .toList();

    ReplayResult again = JobFixtures.replay(spark, root, day);

    assertThat(again.transitions())
        .as("the re-run writes what the first run wrote")
        .isEqualTo(results.get(0).transitions());
    int i = 0;
    for (Table table : tables) {
      for (LocalDate d : days) {
        JobFixtures.assertSameRows(
            table.tableName() + " " + d + " after re-running replay " + day,
            before.get(i++),
            lakehouse.read(table, d));
      }
    }
  }

  @Test
  void theEncoderColumnsComeFromTheDayBeforesVectorsAndTheSpecNamesTheTable() {
    LocalDate first = days.get(0);
    LocalDate second = days.get(1);
    new EmbeddingsJob(spark, EmbeddingsConfig.from(defaults(root), first)).run();
    int dimension = KindlingConfig.defaults(List.of()).get(ConfigKeys.EMBEDDINGS_DIMENSION);
    int recent = 5;
    KindlingConfig withEncoder =
        KindlingConfig.defaults(
            List.of(
                "lakehouse.root=" + root,
                "replay.encoder.enabled=true",
                "replay.encoder.recent-steps=" + recent));
    try {
      ReplayResult result = new ReplayJob(spark, ReplayConfig.from(withEncoder, second)).run();
      assertThat(result.transitions()).as("the same steps").isEqualTo(results.get(1).transitions());
      Dataset<Row> replay = lakehouse.read(Table.REPLAY, second).cache();
      Column steps = col(ReplaySchema.ENCODER_STEPS);
      Row check =
          replay
              .agg(
                  count(when(col(ReplaySchema.ENCODER_RECENT).isNull(), 1)),
                  count(when(col(ReplaySchema.NEXT_ENCODER_OLDER).isNull(), 1)),
                  count(
                      when(
                          size(col(ReplaySchema.ENCODER_RECENT))
                              .notEqual(steps.multiply(dimension + 3)),
                          1)),
                  count(when(size(col(ReplaySchema.ENCODER_OLDER)).notEqual(dimension + 1), 1)),
                  min(steps),
                  max(steps),
                  count(when(element_at(col(ReplaySchema.ENCODER_OLDER), dimension + 1).gt(0), 1)),
                  count(
                      when(
                          col(ReplaySchema.DONE)
                              .and(col(ReplaySchema.NEXT_ENCODER_STEPS).notEqual(1)),
                          1)),
                  count(
                      when(
                          exists(
                              slice(col(ReplaySchema.ENCODER_RECENT), 1, dimension),
                              x -> x.notEqual(0)),
                          1)),
                  count(lit(1)))
              .first();
      assertThat(check.getLong(0)).as("rows without encoder_recent").isZero();
      assertThat(check.getLong(1)).as("rows without next_encoder_older").isZero();
      assertThat(check.getLong(2)).as("rows whose recent is not steps x (E + 3) long").isZero();
      assertThat(check.getLong(3)).as("rows whose summary is not E + 1 long").isZero();
      assertThat(check.getInt(4)).as("fewest steps: one (a zero step at worst)").isEqualTo(1);
      assertThat(check.getInt(5)).as("most steps: N").isEqualTo(recent);
      assertThat(check.getLong(6))
          .as("users with more than N impressions before a step have a summary")
          .isPositive();
      assertThat(check.getLong(7)).as("done steps whose next inputs are not one step").isZero();
      assertThat(check.getLong(8))
          .as("rows whose oldest step has a vector from the day before's table")
          .isPositive();
      replay.unpersist();

      List<Row> spec = lakehouse.read(Table.REPLAY_FEATURE_SPEC, second).collectAsList();
      assertThat(spec)
          .as("every spec row names the table and version the vectors came from")
          .allSatisfy(
              row -> {
                assertThat(row.getDate(row.fieldIndex(FeatureSpecSchema.EMBEDDINGS_DT)))
                    .isEqualTo(Date.valueOf(first));
                assertThat(row.getLong(row.fieldIndex(FeatureSpecSchema.EMBEDDINGS_VERSION)))
                    .isEqualTo(lakehouse.version(Table.ITEM_EMBEDDINGS));
              });
      assertThat(
              lakehouse
                  .read(Table.REPLAY, first)
                  .where(col(ReplaySchema.ENCODER_RECENT).isNotNull())
                  .count())
          .as("the first day, replayed without the encoder, keeps its columns null")
          .isZero();
    } finally {
      // The other tests read the second day as built without the encoder.
      JobFixtures.replay(spark, root, second);
    }
  }

  @Test
  void logsWithoutAnyActionFailNamingTheColumnAndWriteNothing() throws IOException {
    Path older = dir.resolve("older-logs");
    Lakehouse olderLakehouse = new Lakehouse(spark, older.toString());
    LocalDate day = days.get(0);
    TestFiles.copyTree(root.resolve(Lakehouse.RAW_ITEMS), older.resolve(Lakehouse.RAW_ITEMS));
    Dataset<Row> withoutAction =
        lakehouse
            .read(Table.VALIDATED_EVENTS, day)
            .withColumn(
                EventsSchema.ACTION, lit(null).cast(EventsSchema.typeOf(EventsSchema.ACTION)));
    olderLakehouse.replacePartition(Table.VALIDATED_EVENTS, day, withoutAction);

    assertThatThrownBy(() -> new ReplayJob(spark, ReplayConfig.from(defaults(older), day)).run())
        .as("replay of logs without actions names the missing column")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("'action'")
        .hasMessageContaining(day.toString());
    assertThat(olderLakehouse.exists(Table.REPLAY)).as("nothing is written to replay").isFalse();
  }

  private static KindlingConfig defaults(Path lakehouseRoot) {
    return KindlingConfig.defaults(List.of("lakehouse.root=" + lakehouseRoot));
  }
}
