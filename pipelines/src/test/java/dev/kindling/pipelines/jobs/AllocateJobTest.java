package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.serving.QuotaFile;
import dev.kindling.agents.system.Allocation;
import dev.kindling.agents.system.AllocationParams;
import dev.kindling.agents.system.BusinessWeights;
import dev.kindling.agents.system.Candidate;
import dev.kindling.agents.system.ItemQuota;
import dev.kindling.agents.system.QuotaAllocator;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.HeatingAllocationsSchema;
import dev.kindling.features.schema.HeatingQuotasSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link AllocateJob} on a tiny lakehouse written by the test: {@code cold_start_scores} of 30
 * items (5 creators, 2 fraud-zeroed), {@code validated_events} of 1000 impressions a day and the
 * item catalog. The quotas table and {@code quotas.bin} agree and respect the pool; a re-run is
 * identical; missing scores give a clear error; the controller raises the retention (new-content)
 * weight while the new-content share is under target, day after day.
 */
class AllocateJobTest {

  private static final LocalDate DAY = LocalDate.of(2026, 3, 10);
  private static final int ITEMS = 30;
  private static final int CREATORS = 5;
  private static final int IMPRESSIONS = 1000;
  private static final long FLOOR = 5;
  private static final double CONFIGURED_RETENTION = 0.3;
  private static final int STALE_ITEMS = 3;
  private static final double MAX_AGE_DAYS = 2.0;
  private static final int SPREAD_ITEMS = 400;
  private static final int SPREAD_PARTITIONS = 3;

  private static SparkSession spark;

  @BeforeAll
  static void session() {
    spark = SparkTestSession.get();
  }

  @Test
  void quotasTableAndFileAgreeAndAReRunIsIdentical(@TempDir Path root) throws IOException {
    writeWorld(root, DAY, 0.5);
    AllocateResult first = new AllocateJob(spark, config(root, DAY)).run();
    Lakehouse lakehouse = new Lakehouse(spark, root.toString());
    Dataset<Row> quotas = JobFixtures.snapshot(spark, lakehouse.read(Table.HEATING_QUOTAS, DAY));

    assertThat(quotas.count()).as("one row per scored item").isEqualTo(ITEMS + STALE_ITEMS);
    long pool = Math.min(10_000, (long) Math.floor(0.2 * IMPRESSIONS));
    assertThat(first.pool()).as("pool = min(budget, cap x forecast traffic)").isEqualTo(pool);
    long total = 0;
    Map<String, Long> positive = new HashMap<>();
    for (Row r : quotas.collectAsList()) {
      long quota = r.getLong(r.fieldIndex(HeatingQuotasSchema.QUOTA));
      String item = r.getString(r.fieldIndex(HeatingQuotasSchema.ITEM_ID));
      total += quota;
      if (quota > 0) {
        positive.put(item, quota);
      }
      if (item.startsWith("fraud")) {
        assertThat(quota).as("fraud-zeroed %s gets nothing", item).isZero();
        assertThat(r.getString(r.fieldIndex(HeatingQuotasSchema.REASON)))
            .as("reason of %s", item)
            .isEqualTo("fraud_zeroed");
      } else if (item.startsWith("stale")) {
        assertThat(quota)
            .as("%s, 30 days old, outside the 2-day heating window despite its top bid", item)
            .isZero();
        assertThat(r.getString(r.fieldIndex(HeatingQuotasSchema.REASON)))
            .as("reason of %s", item)
            .isEqualTo("not_eligible");
      } else {
        assertThat(r.getLong(r.fieldIndex(HeatingQuotasSchema.FLOOR_QUOTA)))
            .as("every eligible item gets the floor (28 x 5 < 200)")
            .isEqualTo(FLOOR);
      }
    }
    assertThat(total).as("the whole pool is granted, no more").isEqualTo(pool);
    Path file = root.resolve(AllocateJob.quotaFilePath(DAY));
    assertThat(QuotaFile.read(file))
        .as("quotas.bin holds exactly the positive quotas")
        .isEqualTo(positive);
    assertThat(first.quotaFileEntries()).as("entries").isEqualTo(positive.size());
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing.map(p -> p.getFileName().toString()).toList())
          .as("no temporary file is left beside quotas.bin")
          .containsExactly(QuotaFile.FILE_NAME);
    }
    Row allocation = lakehouse.read(Table.HEATING_ALLOCATIONS, DAY).first();
    assertThat(allocation.getLong(allocation.fieldIndex(HeatingAllocationsSchema.TOTAL_GRANTED)))
        .as("heating_allocations records the total")
        .isEqualTo(total);
    assertThat(allocation.getLong(allocation.fieldIndex(HeatingAllocationsSchema.FORECAST_TRAFFIC)))
        .as("forecast traffic: the day's impressions")
        .isEqualTo(IMPRESSIONS);

    Dataset<Row> allocations =
        JobFixtures.snapshot(spark, lakehouse.read(Table.HEATING_ALLOCATIONS));
    new AllocateJob(spark, config(root, DAY)).run();
    JobFixtures.assertSameRows(
        "heating_quotas after a re-run", quotas, lakehouse.read(Table.HEATING_QUOTAS));
    JobFixtures.assertSameRows(
        "heating_allocations after a re-run",
        allocations,
        lakehouse.read(Table.HEATING_ALLOCATIONS));
    assertThat(QuotaFile.read(file)).as("quotas.bin after a re-run").isEqualTo(positive);
  }

  @Test
  void theHeatingCapIsLoweredToKeepHeatingsCtrCostWithinItsBudget(@TempDir Path root) {
    int impressions = 10_000;
    writeWorld(root, DAY, 0.5, impressions, true);
    AllocateResult result = new AllocateJob(spark, config(root, DAY)).run();

    Row allocation =
        new Lakehouse(spark, root.toString()).read(Table.HEATING_ALLOCATIONS, DAY).first();
    double cap = allocation.getDouble(allocation.fieldIndex(HeatingAllocationsSchema.HEATING_CAP));
    // Heated CTR 2.5% against organic 5%: each heated impression costs half a click of
    // organic CTR, so the default budget of 2.5% allows 2.5% / 0.5 = 5% of traffic, not 20%.
    assertThat(cap).as("the cap in force").isCloseTo(0.05, within(1e-12));
    assertThat(result.pool())
        .as("pool = min(budget, lowered cap x traffic)")
        .isEqualTo((long) Math.floor(cap * impressions));
    assertThat(result.pool()).isLessThan((long) (0.2 * impressions) / 2);
  }

  @Test
  void missingScoresIsAClearError(@TempDir Path root) {
    assertThatThrownBy(() -> new AllocateJob(spark, config(root, DAY)).run())
        .isInstanceOf(KindlingException.class)
        .as("names the table and the command that makes it")
        .hasMessageContaining("cold_start_scores")
        .hasMessageContaining("bin/kindling score-cold-start --run-date " + DAY);
  }

  @Test
  void controllerRaisesTheNewContentWeightWhileTheShareIsUnderTarget(@TempDir Path root) {
    LocalDate next = DAY.plusDays(1);
    writeWorld(root, DAY, 0.0);
    writeWorld(root, next, 0.0);
    AllocateResult first = new AllocateJob(spark, config(root, DAY)).run();
    assertThat(first.weightSource()).as("the default source").isEqualTo("controller");
    assertThat(first.weights().retention())
        .as("no impression on new content (target 0.2): retention rises from the configured 0.3")
        .isGreaterThan(CONFIGURED_RETENTION);
    AllocateResult second = new AllocateJob(spark, config(root, next)).run();
    assertThat(second.weights().retention())
        .as("the next day starts from the day before's weights and rises again")
        .isGreaterThan(first.weights().retention());
    AllocateResult again = new AllocateJob(spark, config(root, DAY)).run();
    assertThat(again.weights())
        .as("a re-run of the first day reads D-1, not the latest row")
        .isEqualTo(first.weights());
  }

  @Test
  void quotaRowsCarryEachItemsOwnDecisionAcrossPartitions() {
    List<Candidate> candidates = new ArrayList<>();
    List<Row> rows = new ArrayList<>();
    Random random = new Random(7);
    for (int i = 0; i < SPREAD_ITEMS; i++) {
      boolean fraud = i % 13 == 0;
      // Few distinct scores, so that ties by item id matter.
      double score = fraud ? 0 : random.nextInt(5) / 4.0;
      String item = "item-" + i;
      // creator-0 has about half of the items, so that the creator cap binds.
      String creator = "creator-" + (i % 10 < 4 ? 0 : i % 7);
      // Every ninth item is older than the heating window of 2 days.
      double age = i % 9 == 0 ? 2.0 + random.nextInt(30) : 2.0 * random.nextDouble();
      candidates.add(new Candidate(item, creator, score, fraud, age < MAX_AGE_DAYS));
      rows.add(
          RowFactory.create(
              Date.valueOf(DAY), item, creator, "c", age, score, 0.1, 0.0, score, fraud, null));
    }
    Dataset<Row> scores =
        spark
            .createDataFrame(rows, ColdStartScoresSchema.SCHEMA)
            .repartition(SPREAD_PARTITIONS)
            .persist(StorageLevel.MEMORY_ONLY());
    try {
      AllocateJob.CollectedScores collected = AllocateJob.candidates(scores, MAX_AGE_DAYS);
      assertThat(collected.partitionStarts())
          .as("one start per partition and the count at the end")
          .hasSize(SPREAD_PARTITIONS + 1)
          .endsWith(SPREAD_ITEMS);
      Set<String> reasons = new HashSet<>();
      Allocation allocation = null;
      for (long budget : new long[] {SPREAD_ITEMS * FLOOR / 4, SPREAD_ITEMS * FLOOR * 4}) {
        AllocationParams params =
            new AllocationParams(
                budget, 1.0, 1_000_000, FLOOR, 0.3, 0, BusinessWeights.normalised(1, 1, 0.3));
        allocation = QuotaAllocator.allocate(collected.candidates(), params);
        Map<String, ItemQuota> expected = new HashMap<>();
        for (ItemQuota q : QuotaAllocator.allocate(candidates, params).items()) {
          expected.put(q.itemId(), q);
        }
        List<Row> quotas =
            AllocateJob.quotaRows(DAY, scores, collected, allocation).collectAsList();
        assertThat(quotas).as("one row per scored item").hasSize(SPREAD_ITEMS);
        for (Row r : quotas) {
          String item = r.getString(r.fieldIndex(HeatingQuotasSchema.ITEM_ID));
          ItemQuota q = expected.get(item);
          assertThat(r.getDate(r.fieldIndex(HeatingQuotasSchema.DT)))
              .as("dt of %s", item)
              .isEqualTo(Date.valueOf(DAY));
          assertThat(r.getString(r.fieldIndex(HeatingQuotasSchema.CREATOR_ID)))
              .as("creator of %s", item)
              .isEqualTo(q.creatorId());
          assertThat(r.getDouble(r.fieldIndex(HeatingQuotasSchema.SCORE)))
              .as("score of %s", item)
              .isEqualTo(q.score());
          assertThat(
                  List.of(
                      r.getLong(r.fieldIndex(HeatingQuotasSchema.FLOOR_QUOTA)),
                      r.getLong(r.fieldIndex(HeatingQuotasSchema.SCORE_QUOTA)),
                      r.getLong(r.fieldIndex(HeatingQuotasSchema.QUOTA))))
              .as("floor, score quota and quota of %s: the allocation of the records", item)
              .containsExactly(q.floorQuota(), q.scoreQuota(), q.quota());
          assertThat(r.getString(r.fieldIndex(HeatingQuotasSchema.REASON)))
              .as("reason of %s", item)
              .isEqualTo(q.reason());
          reasons.add(q.reason());
        }
      }
      assertThat(reasons)
          .as("the two budgets reach every reason but the floor-less ones")
          .contains(
              "budget_exhausted",
              "floor",
              "floor_and_score",
              "creator_cap",
              "fraud_zeroed",
              "not_eligible");
      Allocation decided = allocation;
      Dataset<Row> reordered = scores.orderBy(col(ColdStartScoresSchema.ITEM_ID).desc());
      assertThatThrownBy(
              () -> AllocateJob.quotaRows(DAY, reordered, collected, decided).collectAsList())
          .as("rows that are not the collected ones fail instead of taking another's decision")
          .hasStackTraceContaining("changed between the collect and the heating_quotas write");
    } finally {
      scores.unpersist(true);
    }
  }

  private static AllocateConfig config(Path root, LocalDate day) {
    return AllocateConfig.from(
        KindlingConfig.defaults(
            List.of(
                "lakehouse.root=" + root,
                "allocate.budget=10000",
                "allocate.floor-quota=" + FLOOR,
                "allocate.creator-cap-share=0.3",
                "allocate.weights.retention=" + CONFIGURED_RETENTION)),
        day);
  }

  /**
   * The catalog, D's scores and D's impressions; {@code newShare} of the impressions go to items
   * published an hour before them, the rest to items published 30 days before D.
   */
  private static void writeWorld(Path root, LocalDate day, double newShare) {
    writeWorld(root, day, newShare, IMPRESSIONS, false);
  }

  /**
   * As {@link #writeWorld(Path, LocalDate, double)}, with {@code impressions} impressions; when
   * {@code halfHeated}, every even one is heated and clicks at 2.5% while the organic ones click at
   * 5%.
   */
  private static void writeWorld(
      Path root, LocalDate day, double newShare, int impressions, boolean halfHeated) {
    Lakehouse lakehouse = new Lakehouse(spark, root.toString());
    Random random = new Random(day.toEpochDay());
    Timestamp midnight = Timestamp.from(day.atStartOfDay().toInstant(ZoneOffset.UTC));
    List<Row> items = new ArrayList<>();
    List<Row> scores = new ArrayList<>();
    for (int i = 0; i < ITEMS; i++) {
      boolean fraud = i < 2;
      String item = (fraud ? "fraud-" : "item-") + day + "-" + i;
      String creator = "creator-" + (i % CREATORS);
      double score = fraud ? 0 : random.nextDouble();
      items.add(RowFactory.create(item, creator, "c", midnight, null));
      scores.add(
          RowFactory.create(
              Date.valueOf(day),
              item,
              creator,
              "c",
              1.0,
              score,
              0.1,
              fraud ? 1.0 : 0.0,
              score,
              fraud,
              fraud ? "fraud" : null));
    }
    Timestamp longAgo = Timestamp.from(day.minusDays(30).atStartOfDay().toInstant(ZoneOffset.UTC));
    items.add(RowFactory.create("old-" + day, "creator-old", "c", longAgo, null));
    // Old items that never left the cold set (too little exposure), bidding above every new one.
    for (int i = 0; i < STALE_ITEMS; i++) {
      String item = "stale-" + day + "-" + i;
      items.add(RowFactory.create(item, "creator-stale", "c", longAgo, null));
      scores.add(
          RowFactory.create(
              Date.valueOf(day),
              item,
              "creator-stale",
              "c",
              30.0,
              2.0,
              0.1,
              0.0,
              2.0,
              false,
              null));
    }
    List<Row> events = new ArrayList<>();
    for (int e = 0; e < impressions; e++) {
      boolean isNew = e < newShare * impressions;
      boolean heated = halfHeated && e % 2 == 0;
      boolean clicked =
          !halfHeated ? e % 20 == 0 : heated ? (e / 2) % 40 == 0 : ((e - 1) / 2) % 20 == 0;
      Timestamp ts = new Timestamp(midnight.getTime() + 3_600_000L + e);
      String item = isNew ? "item-" + day + "-" + (2 + e % (ITEMS - 2)) : "old-" + day;
      events.add(
          RowFactory.create(
              day + "-e" + e,
              ts,
              Date.valueOf(day),
              "u" + (e % 50),
              item,
              "feed",
              "r" + e,
              0,
              clicked,
              null,
              null,
              null,
              null,
              heated,
              null,
              null,
              null,
              null));
    }
    spark
        .createDataFrame(items, ItemsSchema.SCHEMA)
        .write()
        .mode("append")
        .parquet(root.resolve(Lakehouse.RAW_ITEMS).toString());
    lakehouse.replacePartition(
        Table.COLD_START_SCORES, day, spark.createDataFrame(scores, ColdStartScoresSchema.SCHEMA));
    lakehouse.replacePartition(
        Table.VALIDATED_EVENTS, day, spark.createDataFrame(events, EventsSchema.SCHEMA));
  }
}
