package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.kindling.agents.serving.QuotaFile;
import dev.kindling.agents.system.Allocation;
import dev.kindling.agents.system.AllocationParams;
import dev.kindling.agents.system.BusinessWeights;
import dev.kindling.agents.system.Candidate;
import dev.kindling.agents.system.ItemQuota;
import dev.kindling.agents.system.Kpis;
import dev.kindling.agents.system.QuotaAllocator;
import dev.kindling.agents.system.WeightDecision;
import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.HeatingAllocationsSchema;
import dev.kindling.features.schema.HeatingQuotasSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The allocate stage (the system agent): turns D's {@code cold_start_scores} into {@code
 * heating_quotas} for D + 1 with {@link QuotaAllocator}, writes the compact {@code
 * quotas/dt=D/quotas.bin} for serving, and records the allocation's figures and business weights in
 * {@code heating_allocations}.
 *
 * <p>Forecast traffic: the mean daily impressions of {@code validated_events} over the days of
 * D−forecastDays+1..D that have any (a flat forecast: D + 1 looks like the recent days). KPIs of D
 * for the controller: impressions, the share of them whose item (by {@code raw/items.publish_ts})
 * was younger than {@code newContentHours} when shown, and CTR. Weights: the KPI-gap controller
 * moves the weights of D − 1 (from {@code heating_allocations} at dt = D − 1, else the configured
 * ones) towards the targets; the configured source or an outside source may replace them (see
 * {@link dev.kindling.agents.system.WeightResolver}).
 *
 * <p>Idempotent per run date: the {@code heating_quotas} and {@code heating_allocations} partitions
 * of D are replaced and the quota file is replaced by an atomic rename. Cost: a few aggregations
 * over D's and the forecast window's events; every scored item of D is collected to the driver
 * (about 100 bytes each: a million items is ~100 MB) and allocated there.
 */
public final class AllocateJob {

  /** The directory under the lakehouse root holding {@code dt=D/quotas.bin}. */
  public static final String QUOTAS_DIRECTORY = "quotas";

  private static final Logger LOG = LoggerFactory.getLogger(AllocateJob.class);
  private static final String STAGE = "allocate";
  private static final double NANOS_PER_SECOND = 1e9;
  private static final double SECONDS_PER_HOUR = 3600.0;
  private static final int ROWS_PER_SLICE = 100_000;
  private static final String REASON_CODE = "reason_code";

  private final SparkSession spark;
  private final AllocateConfig config;
  private final Lakehouse lakehouse;

  public AllocateJob(SparkSession spark, AllocateConfig config) {
    this.spark = spark;
    this.config = config;
    this.lakehouse = new Lakehouse(spark, config.lakehouseRoot());
  }

  /** Where the quota file of {@code day} lives, relative to the lakehouse root. */
  public static String quotaFilePath(LocalDate day) {
    return QUOTAS_DIRECTORY + "/" + Lakehouse.DT + "=" + day + "/" + QuotaFile.FILE_NAME;
  }

  /**
   * Allocates, writes {@code heating_quotas}, {@code quotas.bin} and {@code heating_allocations} of
   * D.
   *
   * @throws KindlingException when D's scores or the forecast window's events are missing
   */
  public AllocateResult run() {
    long started = System.nanoTime();
    LocalDate day = config.runDate();
    Dataset<Row> scores = JobGroups.run(spark, STAGE, "read cold_start_scores", this::scores);
    long traffic = JobGroups.run(spark, STAGE, "forecast traffic", this::forecastTraffic);
    Kpis kpis = JobGroups.run(spark, STAGE, "measure KPIs", this::kpis);
    Optional<BusinessWeights> previous = previousWeights();
    BusinessWeights controllerWeights =
        config.controller().next(previous, config.configuredWeights(), kpis);
    WeightDecision decision =
        config
            .resolver()
            .resolve(
                config.weightSource(),
                config.configuredWeights(),
                controllerWeights,
                config.outsideSource(),
                kpis);
    LOG.info(
        "allocate {}: KPIs {}, previous weights {}, weights {} from {}",
        day,
        kpis,
        previous.map(Object::toString).orElse("none"),
        decision.weights(),
        decision.source());

    AllocationParams params = config.params(traffic, decision.weights());
    Allocation allocation = JobGroups.run(spark, STAGE, "allocate", () -> allocate(scores, params));
    Lakehouse.PartitionWrite quotas =
        JobGroups.run(
            spark,
            STAGE,
            "write heating_quotas",
            () ->
                lakehouse.replacePartition(
                    Table.HEATING_QUOTAS, day, quotaRows(spark, day, allocation)));
    Path file = lakehouse.localPath(quotaFilePath(day));
    int entries = writeQuotaFile(file, allocation);
    JobGroups.run(
        spark,
        STAGE,
        "write heating_allocations",
        () ->
            lakehouse.replacePartition(
                Table.HEATING_ALLOCATIONS, day, allocationRow(day, allocation, decision, kpis)));
    AllocateResult result =
        new AllocateResult(
            day,
            allocation.items().size(),
            allocation.itemsEligible(),
            allocation.itemsFloored(),
            traffic,
            allocation.pool(),
            allocation.granted(),
            decision.weights(),
            decision.source(),
            decision.fallbackReason(),
            quotas.version(),
            file.toString(),
            entries,
            (System.nanoTime() - started) / NANOS_PER_SECOND);
    LOG.info("{}", result);
    return result;
  }

  /**
   * Collects {@code scores} (rows of {@link ColdStartScoresSchema}) to the driver and allocates
   * them (see {@link #candidates}). Cost: one collect of four columns.
   */
  public static Allocation allocate(Dataset<Row> scores, AllocationParams params) {
    return QuotaAllocator.allocate(candidates(scores), params);
  }

  /**
   * The allocator's candidates: every row of {@code scores} is an eligible candidate (a cold item
   * of D) unless fraud-zeroed. Cost: one collect of four columns.
   */
  public static List<Candidate> candidates(Dataset<Row> scores) {
    List<Row> rows =
        scores
            .select(
                ColdStartScoresSchema.ITEM_ID,
                ColdStartScoresSchema.CREATOR_ID,
                ColdStartScoresSchema.SCORE,
                ColdStartScoresSchema.FRAUD_ZEROED)
            .collectAsList();
    List<Candidate> candidates = new ArrayList<>(rows.size());
    for (Row r : rows) {
      candidates.add(
          new Candidate(r.getString(0), r.getString(1), r.getDouble(2), r.getBoolean(3), true));
    }
    return candidates;
  }

  /**
   * The {@code heating_quotas} rows of {@code allocation} for {@code day}. The decisions travel to
   * the executors as column chunks of {@link #ROWS_PER_SLICE} items (arrays of ids, numbers and
   * reason codes, cheap to serialise) and become rows there; {@code dt}, {@code quota} and {@code
   * reason} are then filled in by Spark from a literal, a sum and a code lookup. Cost: one pass
   * over the decisions on the driver; no shuffle.
   */
  public static Dataset<Row> quotaRows(SparkSession spark, LocalDate day, Allocation allocation) {
    List<ItemQuota> items = allocation.items();
    Map<String, Integer> codes = new LinkedHashMap<>();
    for (ItemQuota q : items) {
      codes.computeIfAbsent(q.reason(), r -> codes.size());
    }
    List<QuotaChunk> chunks = new ArrayList<>();
    for (int from = 0; from < items.size(); from += ROWS_PER_SLICE) {
      chunks.add(
          QuotaChunk.of(items.subList(from, Math.min(items.size(), from + ROWS_PER_SLICE)), codes));
    }
    JavaRDD<Row> rows =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .parallelize(chunks, Math.max(1, chunks.size()))
            .flatMap(QuotaChunk::rows);
    Column[] reasons = codes.keySet().stream().map(functions::lit).toArray(Column[]::new);
    Column reason =
        reasons.length == 0
            ? lit("").as(HeatingQuotasSchema.REASON)
            : functions
                .element_at(functions.array(reasons), col(REASON_CODE).plus(1))
                .as(HeatingQuotasSchema.REASON);
    return spark
        .createDataFrame(rows, QuotaChunk.SCHEMA)
        .select(
            lit(Date.valueOf(day)).as(HeatingQuotasSchema.DT),
            col(HeatingQuotasSchema.ITEM_ID),
            col(HeatingQuotasSchema.CREATOR_ID),
            col(HeatingQuotasSchema.SCORE),
            col(HeatingQuotasSchema.FLOOR_QUOTA),
            col(HeatingQuotasSchema.SCORE_QUOTA),
            col(HeatingQuotasSchema.FLOOR_QUOTA)
                .plus(col(HeatingQuotasSchema.SCORE_QUOTA))
                .as(HeatingQuotasSchema.QUOTA),
            reason);
  }

  /** A slice of the decisions as columns, serialised to the executors by {@link #quotaRows}. */
  private record QuotaChunk(
      String[] itemIds,
      String[] creatorIds,
      double[] scores,
      long[] floorQuotas,
      long[] scoreQuotas,
      int[] reasonCodes)
      implements java.io.Serializable {

    static final StructType SCHEMA =
        new StructType(
            new StructField[] {
              DataTypes.createStructField(
                  HeatingQuotasSchema.ITEM_ID, DataTypes.StringType, false /* nullable */),
              DataTypes.createStructField(
                  HeatingQuotasSchema.CREATOR_ID, DataTypes.StringType, false /* nullable */),
              DataTypes.createStructField(
                  HeatingQuotasSchema.SCORE, DataTypes.DoubleType, false /* nullable */),
              DataTypes.createStructField(
                  HeatingQuotasSchema.FLOOR_QUOTA, DataTypes.LongType, false /* nullable */),
              DataTypes.createStructField(
                  HeatingQuotasSchema.SCORE_QUOTA, DataTypes.LongType, false /* nullable */),
              DataTypes.createStructField(REASON_CODE, DataTypes.IntegerType, false /* nullable */)
            });

    static QuotaChunk of(List<ItemQuota> items, Map<String, Integer> codes) {
      int n = items.size();
      QuotaChunk chunk =
          new QuotaChunk(
              new String[n], new String[n], new double[n], new long[n], new long[n], new int[n]);
      for (int i = 0; i < n; i++) {
        ItemQuota q = items.get(i);
        chunk.itemIds[i] = q.itemId();
        chunk.creatorIds[i] = q.creatorId();
        chunk.scores[i] = q.score();
        chunk.floorQuotas[i] = q.floorQuota();
        chunk.scoreQuotas[i] = q.scoreQuota();
        chunk.reasonCodes[i] = codes.get(q.reason());
      }
      return chunk;
    }

    java.util.Iterator<Row> rows() {
      return new java.util.Iterator<>() {
        private int next;

        @Override
        public boolean hasNext() {
          return next < itemIds.length;
        }

        @Override
        public Row next() {
          int i = next++;
          return RowFactory.create(
              itemIds[i], creatorIds[i], scores[i], floorQuotas[i], scoreQuotas[i], reasonCodes[i]);
        }
      };
    }
  }

  private Dataset<Row> scores() {
    LocalDate day = config.runDate();
    Dataset<Row> scores = lakehouse.read(Table.COLD_START_SCORES, day);
    if (!lakehouse.exists(Table.COLD_START_SCORES) || scores.isEmpty()) {
      throw Errors.missingInput(
          "cold_start_scores for run date " + day + " (table cold_start_scores, dt=" + day + ")",
          lakehouse.path(Table.COLD_START_SCORES),
          "Run 'bin/kindling score-cold-start --run-date " + day + "' first.");
    }
    return scores;
  }

  private long forecastTraffic() {
    LocalDate day = config.runDate();
    LocalDate from = day.minusDays(config.forecastDays() - 1L);
    List<Row> perDay =
        lakehouse
            .read(Table.VALIDATED_EVENTS, from, day)
            .groupBy(EventsSchema.DT)
            .agg(count(lit(1)).as("impressions"))
            .collectAsList();
    if (perDay.isEmpty()) {
      throw Errors.missingInput(
          "validated_events for " + from + ".." + day + " (the traffic forecast)",
          lakehouse.path(Table.VALIDATED_EVENTS),
          "Run 'bin/kindling validate --run-date " + day + "' first.");
    }
    long total = 0;
    for (Row r : perDay) {
      total += r.getLong(1);
    }
    return Math.round((double) total / perDay.size());
  }

  private Kpis kpis() {
    Dataset<Row> events = lakehouse.read(Table.VALIDATED_EVENTS, config.runDate());
    Dataset<Row> items =
        lakehouse
            .rawItems()
            .select(col(ItemsSchema.ITEM_ID), col(ItemsSchema.PUBLISH_TS))
            .dropDuplicates(ItemsSchema.ITEM_ID);
    double newSeconds = config.newContentHours() * SECONDS_PER_HOUR;
    Row row =
        events
            .join(items, EventsSchema.ITEM_ID, "left")
            .agg(
                count(lit(1)),
                sum(when(col(EventsSchema.CLICKED), 1L).otherwise(0L)),
                sum(
                    when(
                            col(ItemsSchema.PUBLISH_TS)
                                .isNotNull()
                                .and(
                                    col(EventsSchema.TS)
                                        .cast("double")
                                        .minus(col(ItemsSchema.PUBLISH_TS).cast("double"))
                                        .lt(newSeconds)),
                            1L)
                        .otherwise(0L)))
            .first();
    long impressions = row.getLong(0);
    if (impressions == 0) {
      return Kpis.none();
    }
    return new Kpis(
        impressions, (double) row.getLong(2) / impressions, (double) row.getLong(1) / impressions);
  }

  private Optional<BusinessWeights> previousWeights() {
    LocalDate before = config.runDate().minusDays(1);
    if (!lakehouse.exists(Table.HEATING_ALLOCATIONS)) {
      return Optional.empty();
    }
    List<Row> rows =
        lakehouse
            .read(Table.HEATING_ALLOCATIONS, before)
            .select(
                HeatingAllocationsSchema.WEIGHT_SATISFACTION,
                HeatingAllocationsSchema.WEIGHT_REVENUE,
                HeatingAllocationsSchema.WEIGHT_RETENTION)
            .collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    return Optional.of(BusinessWeights.normalised(r.getDouble(0), r.getDouble(1), r.getDouble(2)));
  }

  /** Writes the items with quota > 0 to a temporary file beside {@code file}, then renames it. */
  private static int writeQuotaFile(Path file, Allocation allocation) {
    Map<String, Long> quotas = new LinkedHashMap<>();
    for (ItemQuota q : allocation.items()) {
      if (q.quota() > 0) {
        quotas.put(q.itemId(), q.quota());
      }
    }
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), "." + QuotaFile.FILE_NAME, ".tmp");
      try {
        QuotaFile.write(temp, quotas);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new KindlingException("Cannot write the quota file " + file + ": " + e, e);
    }
    LOG.info("Wrote {} quotas to {}", quotas.size(), file);
    return quotas.size();
  }

  private Dataset<Row> allocationRow(
      LocalDate day, Allocation allocation, WeightDecision decision, Kpis kpis) {
    AllocationParams p = allocation.params();
    BusinessWeights w = decision.weights();
    Row row =
        RowFactory.create(
            Date.valueOf(day),
            p.budgetPool(),
            p.heatingCap(),
            p.forecastTraffic(),
            allocation.pool(),
            p.floorQuota(),
            allocation.creatorCap(),
            allocation.granted(),
            allocation.floorGranted(),
            (long) allocation.items().size(),
            (long) allocation.itemsEligible(),
            (long) allocation.itemsFloored(),
            w.satisfaction(),
            w.revenue(),
            w.retention(),
            decision.source(),
            decision.fallbackReason(),
            kpis.impressions(),
            kpis.impressions() == 0 ? null : kpis.newContentShare(),
            kpis.impressions() == 0 ? null : kpis.ctr());
    return spark.createDataFrame(List.of(row), HeatingAllocationsSchema.SCHEMA);
  }
}
