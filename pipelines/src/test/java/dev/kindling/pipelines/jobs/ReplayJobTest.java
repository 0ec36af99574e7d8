package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
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
  void logsWithoutAnyActionFailNamingTheColumnAndWriteNothing() throws IOException {
    Path older = dir.resolve("older-logs");
    Lakehouse olderLakehouse = new Lakehouse(spark, older.toString());
    LocalDate day = days.get(0);
    copyTree(root.resolve(Lakehouse.RAW_ITEMS), older.resolve(Lakehouse.RAW_ITEMS));
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

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
