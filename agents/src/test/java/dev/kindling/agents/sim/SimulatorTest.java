package dev.kindling.agents.sim;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.to_date;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.metrics.ExposureMetrics;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UsersSchema;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class SimulatorTest {

  private static final Logger LOG = LoggerFactory.getLogger(SimulatorTest.class);

  private static final int TINY_USERS = 300;
  private static final int TINY_NEW_USERS = 20;
  private static final int TINY_ITEMS = 400;
  private static final int TINY_NEW_ITEMS = 40;
  private static final int TINY_DAYS = 3;

  /** Enough users for several {@link Simulator#USERS_PER_CHUNK} chunks, so threads interleave. */
  private static final int MULTI_CHUNK_USERS = 4 * Simulator.USERS_PER_CHUNK;

  private static final int DETERMINISM_DAYS = 2;

  private static final int REDUCED_USERS = 1_000;
  private static final int REDUCED_NEW_USERS = 50;
  private static final int REDUCED_ITEMS = 600;
  private static final int REDUCED_NEW_ITEMS = 60;
  private static final int WEEK = 7;

  /** Observed 0.95 on the reduced world; the logging policy leaves little to chance. */
  private static final double MIN_EXPOSURE_GINI = 0.8;

  private static final long SMALL_EXPOSURE = 20;

  /** Observed 0.84 on the reduced world. */
  private static final double MIN_SHARE_OF_NEW_ITEMS_UNSEEN = 0.6;

  private static SimulatorConfig tiny() {
    return SimulatorConfig.defaults()
        .withPopulation(TINY_USERS, TINY_NEW_USERS, TINY_ITEMS, TINY_NEW_ITEMS);
  }

  private static List<ImpressionEvent> run(Simulator simulator, int days) {
    List<ImpressionEvent> events = new ArrayList<>();
    LocalDate start = simulator.config().startDate();
    for (int d = 0; d < days; d++) {
      simulator.simulateDay(start.plusDays(d), events::add);
    }
    return events;
  }

  @Test
  void sameSeedGivesIdenticalEventsWhateverTheThreadCount() {
    SimulatorConfig config =
        tiny().withPopulation(MULTI_CHUNK_USERS, TINY_NEW_USERS, TINY_ITEMS, TINY_NEW_ITEMS);
    List<ImpressionEvent> first =
        run(Simulator.withDefaultPolicies(config.withThreads(1)), DETERMINISM_DAYS);
    List<ImpressionEvent> second =
        run(Simulator.withDefaultPolicies(config.withThreads(3)), DETERMINISM_DAYS);
    assertThat(first).as("a small world still logs impressions").hasSizeGreaterThan(1_000);
    assertThat(second)
        .as("same config and seed, one thread versus three: identical events in identical order")
        .containsExactlyElementsOf(first);
  }

  @Test
  void differentSeedGivesDifferentEvents() {
    List<ImpressionEvent> first = run(Simulator.withDefaultPolicies(tiny()), 1);
    List<ImpressionEvent> other =
        run(Simulator.withDefaultPolicies(tiny().withSeed(tiny().seed() + 1)), 1);
    assertThat(other).as("another seed gives another log").isNotEqualTo(first);
  }

  @Test
  void everyRowConformsToTheRawLogContract() {
    Simulator simulator = Simulator.withDefaultPolicies(tiny());
    List<ImpressionEvent> events = run(simulator, TINY_DAYS);
    SparkSession spark = SparkTestSession.get();
    List<Row> rows = events.stream().map(ImpressionEvent::toRow).toList();
    Dataset<Row> df = spark.createDataFrame(rows, EventsSchema.SCHEMA);

    assertThat(df.schema()).as("events carry the contract's schema").isEqualTo(EventsSchema.SCHEMA);
    Row checks =
        df.agg(
                count(lit(1)),
                countDistinct(col(EventsSchema.EVENT_ID)),
                count(col(EventsSchema.DT).equalTo(to_date(col(EventsSchema.TS))).or(lit(null))),
                count(
                    col(EventsSchema.PROPENSITY)
                        .gt(0)
                        .and(col(EventsSchema.PROPENSITY).leq(1))
                        .or(lit(null))),
                count(
                    col(EventsSchema.EXPLORE_PROB)
                        .geq(0)
                        .and(col(EventsSchema.EXPLORE_PROB).leq(1))
                        .or(lit(null))),
                count(col(EventsSchema.DWELL_MS).lt(0).or(lit(null))))
            .first();
    long total = checks.getLong(0);
    assertThat(total).as("every event became a row").isEqualTo(events.size());
    assertThat(checks.getLong(1)).as("event IDs are unique").isEqualTo(total);
    assertThat(checks.getLong(2)).as("dt equals the UTC date of ts on every row").isEqualTo(total);
    assertThat(checks.getLong(3)).as("every propensity lies in (0, 1]").isEqualTo(total);
    assertThat(checks.getLong(4)).as("every explore_prob lies in [0, 1]").isEqualTo(total);
    assertThat(checks.getLong(5)).as("no dwell is negative").isZero();
    assertThat(events)
        .as("every action has one weight per ranking feature")
        .allSatisfy(e -> assertThat(e.action()).hasSize(RankingFeatures.COUNT));
    assertThat(events.stream().filter(ImpressionEvent::heated).count())
        .as("the manual heating produced heated impressions")
        .isPositive();
    assertThat(events.stream().map(ImpressionEvent::scenario).distinct().toList())
        .as("a user's day crosses all three scenarios")
        .containsExactlyInAnyOrder("feed", "search", "detail");

    Dataset<Row> items =
        spark.createDataFrame(
            simulator.items().stream().map(SimItem::toRow).toList(), ItemsSchema.SCHEMA);
    Dataset<Row> users =
        spark.createDataFrame(
            simulator.users().stream().map(SimUser::toRow).toList(), UsersSchema.SCHEMA);
    assertThat(items.count())
        .as("every item has a catalog row")
        .isEqualTo(simulator.items().size());
    assertThat(users.count())
        .as("every user has a directory row")
        .isEqualTo(simulator.users().size());
    assertThat(df.join(items, EventsSchema.ITEM_ID, "left_anti").count())
        .as("every event names a catalog item")
        .isZero();
    assertThat(df.join(users, EventsSchema.USER_ID, "left_anti").count())
        .as("every event names a known user")
        .isZero();
    assertThat(
            df.join(items, EventsSchema.ITEM_ID)
                .where(col(ItemsSchema.PUBLISH_TS).gt(col(EventsSchema.TS)))
                .count())
        .as("no item is shown before it is published")
        .isZero();
  }

  @Test
  void newUsersSignUpOnTheirDayAndAreProtectedFromExploration() {
    Simulator simulator = Simulator.withDefaultPolicies(tiny());
    SimDay first = simulator.simulateDay(tiny().startDate(), e -> {});
    assertThat(first.signedUpUsers()).as("new users every day").hasSize(TINY_NEW_USERS);
    assertThat(first.publishedItems()).as("new items every day").hasSize(TINY_NEW_ITEMS);
    assertThat(first.signedUpUsers())
        .as("sign-up time falls on the simulated day")
        .allSatisfy(
            u ->
                assertThat(LocalDate.ofInstant(u.signupTs(), ZoneOffset.UTC))
                    .isEqualTo(first.day()));
    List<String> newUserIds = first.signedUpUsers().stream().map(SimUser::userId).toList();
    List<ImpressionEvent> secondDay = new ArrayList<>();
    simulator.simulateDay(first.day().plusDays(1), secondDay::add);
    assertThat(secondDay.stream().filter(e -> newUserIds.contains(e.userId())))
        .as("users in their protection period are never explored on")
        .allSatisfy(e -> assertThat(e.exploreProb()).isZero());
  }

  @Test
  void pluggedPoliciesDriveServingAndHeating() {
    float[] popularityOnly = new float[RankingFeatures.COUNT];
    popularityOnly[RankingFeatures.POPULARITY_INDEX] = 1f;
    ServingPolicy alwaysExplore = context -> new ServingDecision(popularityOnly, 1.0);
    Simulator simulator =
        new Simulator(tiny(), alwaysExplore, (day, items, stats, seed) -> HeatingPlan.NONE);
    List<ImpressionEvent> events = run(simulator, 1);
    assertThat(events)
        .as("the plugged serving policy's weights and exploration are logged on every impression")
        .allSatisfy(
            e -> {
              assertThat(e.explore()).isTrue();
              assertThat(e.exploreProb()).isEqualTo(1.0);
              assertThat(e.action()).containsExactly(popularityOnly);
              assertThat(e.heated()).isFalse();
            });
  }

  @Test
  void daysMustBeConsecutive() {
    Simulator simulator = Simulator.withDefaultPolicies(tiny());
    LocalDate skipped = tiny().startDate().plusDays(1);
    assertThatThrownBy(() -> simulator.simulateDay(skipped, e -> {}))
        .as("skipping a day is refused with the expected day")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(tiny().startDate().toString());
  }

  @Test
  void invalidConfigNamesTheKnobTheValueAndTheRange() {
    assertThatThrownBy(() -> tiny().withPopulation(0, 1, 1, 1))
        .as("a config error names the field, the bad value and the allowed range")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initialUsers")
        .hasMessageContaining("is 0")
        .hasMessageContaining("[1, ");
  }

  @Test
  void loggingPolicyConcentratesExposureTheMatthewEffect() {
    SimulatorConfig config =
        SimulatorConfig.defaults()
            .withPopulation(REDUCED_USERS, REDUCED_NEW_USERS, REDUCED_ITEMS, REDUCED_NEW_ITEMS);
    Simulator simulator = Simulator.withDefaultPolicies(config);
    List<ImpressionEvent> events = run(simulator, WEEK);
    SparkSession spark = SparkTestSession.get();
    Dataset<Row> impressions =
        spark
            .createDataFrame(
                events.stream().map(ImpressionEvent::toRow).toList(), EventsSchema.SCHEMA)
            .groupBy(EventsSchema.ITEM_ID)
            .agg(count(lit(1)).as("impressions"));
    Dataset<Row> items =
        spark.createDataFrame(
            simulator.items().stream().map(SimItem::toRow).toList(), ItemsSchema.SCHEMA);
    Dataset<Row> exposure =
        items
            .join(
                impressions,
                items.col(ItemsSchema.ITEM_ID).equalTo(impressions.col(EventsSchema.ITEM_ID)),
                "left")
            .select(
                items.col(ItemsSchema.ITEM_ID),
                col(ItemsSchema.PUBLISH_TS),
                coalesce(col("impressions"), lit(0L)).as("impressions"))
            .cache();

    double gini = ExposureMetrics.gini(exposure, "impressions");
    Timestamp afterDayOne =
        Timestamp.from(config.startDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    Dataset<Row> newItems = exposure.where(col(ItemsSchema.PUBLISH_TS).geq(lit(afterDayOne)));
    long newCount = newItems.count();
    long unseen = newItems.where(col("impressions").lt(SMALL_EXPOSURE)).count();
    double unseenShare = (double) unseen / newCount;
    exposure.unpersist();
    LOG.info(
        "Matthew effect, reduced world: {} impressions, {} items, exposure Gini {},"
            + " {} of {} items published after day 1 under {} impressions",
        events.size(),
        simulator.items().size(),
        String.format("%.3f", gini),
        String.format("%.3f", unseenShare),
        newCount,
        SMALL_EXPOSURE);

    assertThat(gini)
        .as("item exposure Gini under the logging policy is high")
        .isGreaterThan(MIN_EXPOSURE_GINI);
    assertThat(unseenShare)
        .as("most items published after day 1 never take off")
        .isGreaterThan(MIN_SHARE_OF_NEW_ITEMS_UNSEEN);
  }
}
