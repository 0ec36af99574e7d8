package dev.kindling.pipelines.jobs;

import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.pipelines.RowSets;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Shared fixtures of the job tests: a tiny simulated world (a few hundred users and items, a few
 * thousand impressions a day) and exact comparison of table contents.
 */
final class JobFixtures {

  static final int USERS = 300;
  static final int NEW_USERS_PER_DAY = 20;
  static final int ITEMS = 200;
  static final int NEW_ITEMS_PER_DAY = 20;

  /** The scenarios the simulator serves, as configured by default. */
  static final List<String> SCENARIOS =
      KindlingConfig.defaults(List.of()).get(ConfigKeys.SCENARIOS);

  private JobFixtures() {}

  /** Simulates {@code days} days of the tiny world into the lakehouse at {@code root}. */
  static SimulateResult simulate(SparkSession spark, Path root, int days) {
    SimulatorConfig world =
        SimulatorConfig.defaults()
            .withPopulation(USERS, NEW_USERS_PER_DAY, ITEMS, NEW_ITEMS_PER_DAY);
    return new SimulateJob(spark, new SimulateConfig(root.toString(), days, world)).run();
  }

  /**
   * The config of a closed loop of the tiny world in the lakehouse at {@code root}: the nightly
   * stages cut to a one-round policy and a small forest, and the promotion gate open, since a
   * one-round policy on a few hundred users is not meant to pass it (EvaluateJobTest tests the
   * gate); {@code more} adds or overrides keys.
   */
  static KindlingConfig loopConfig(Path root, String... more) {
    List<String> keys =
        new ArrayList<>(
            List.of(
                "lakehouse.root=" + root,
                "simulate.users=" + USERS,
                "simulate.new-users-per-day=" + NEW_USERS_PER_DAY,
                "simulate.items=" + ITEMS,
                "simulate.new-items-per-day=" + NEW_ITEMS_PER_DAY,
                "train.trainer=local",
                "train.rounds=1",
                "train.batch-size=128",
                "train.transitions-per-round=256",
                "score-cold-start.num-trees=3",
                "score-cold-start.max-depth=3",
                "evaluate.value-tolerance=1e6",
                "evaluate.max-ctr-loss=1",
                "evaluate.exploration-band=1000"));
    keys.addAll(List.of(more));
    return KindlingConfig.defaults(keys);
  }

  /** The first simulated day of {@link #simulate}. */
  static LocalDate startDate() {
    return SimulatorConfig.defaults().startDate();
  }

  static ValidateResult validate(SparkSession spark, Path root, LocalDate day) {
    return new ValidateJob(spark, new ValidateConfig(root.toString(), day, SCENARIOS)).run();
  }

  static FeaturesResult features(SparkSession spark, Path root, LocalDate day) {
    KindlingConfig defaults = KindlingConfig.defaults(List.of("lakehouse.root=" + root));
    return new FeaturesJob(spark, FeaturesConfig.from(defaults, day)).run();
  }

  static ReplayResult replay(SparkSession spark, Path root, LocalDate day) {
    KindlingConfig defaults = KindlingConfig.defaults(List.of("lakehouse.root=" + root));
    return new ReplayJob(spark, ReplayConfig.from(defaults, day)).run();
  }

  /**
   * A copy of the rows held in driver memory, so it survives later overwrites of the table it was
   * read from. Only for the small tables of these tests.
   */
  static Dataset<Row> snapshot(SparkSession spark, Dataset<Row> rows) {
    return spark.createDataFrame(rows.collectAsList(), rows.schema());
  }

  /** Asserts that two row sets are equal as multisets: same count, nothing in one but the other. */
  static void assertSameRows(String what, Dataset<Row> before, Dataset<Row> after) {
    RowSets.assertSameRows(what, before, after);
  }
}
