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
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.types.UTF8String;
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
 * over D's and the forecast window's events; D's scores are persisted while the quotas are made;
 * every scored item of D is collected to the driver as columns (about 40 bytes each on the wire,
 * about 150 bytes each held: a million items is ~150 MB) and allocated there; the quota rows get
 * their decisions from a broadcast of 12 bytes per item.
 */
public final class AllocateJob {

  /** The directory under the lakehouse root holding {@code dt=D/quotas.bin}. */
  public static final String QUOTAS_DIRECTORY = "quotas";

  private static final Logger LOG = LoggerFactory.getLogger(AllocateJob.class);
  private static final String STAGE = "allocate";
  private static final double NANOS_PER_SECOND = 1e9;
  private static final double SECONDS_PER_HOUR = 3600.0;
  private static final int INITIAL_CHUNK_ROWS = 1024;
  private static final String DECISION = "decision";

  /** A decision packs the score quota above bit 4, "floored" at bit 3, the reason code below. */
  private static final int DECISION_SCORE_SHIFT = 4;

  private static final long DECISION_FLOORED = 1L << 3;
  private static final long DECISION_REASON_MASK = DECISION_FLOORED - 1;

  /** {@code monotonically_increasing_id} puts the partition index above bit 33. */
  private static final int PARTITION_SHIFT = 33;

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
    try (RunLease lease =
        new Lakehouse(spark, config.lakehouseRoot()).lease(STAGE, config.runDate())) {
      return runLeased();
    }
  }

  private AllocateResult runLeased() {
    long started = System.nanoTime();
    LocalDate day = config.runDate();
    Dataset<Row> scores = JobGroups.run(spark, STAGE, "read cold_start_scores", this::scores);
    Forecast forecast = JobGroups.run(spark, STAGE, "forecast traffic", this::forecast);
    long traffic = forecast.traffic();
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

    double cap =
        AllocationParams.ctrBudgetedCap(
            config.heatingCap(),
            config.maxCtrCost(),
            forecast.heatedImpressions(),
            forecast.heatedClicks(),
            forecast.organicImpressions(),
            forecast.organicClicks());
    LOG.info(
        "allocate {}: heating cap {} (configured {}; heated CTR {} vs organic {} over the window,"
            + " CTR cost budget {})",
        day,
        String.format("%.4f", cap),
        config.heatingCap(),
        forecast.heatedImpressions() == 0
            ? "n/a"
            : String.format(
                "%.4f", (double) forecast.heatedClicks() / forecast.heatedImpressions()),
        forecast.organicImpressions() == 0
            ? "n/a"
            : String.format(
                "%.4f", (double) forecast.organicClicks() / forecast.organicImpressions()),
        config.maxCtrCost());
    AllocationParams params = config.params(traffic, decision.weights(), cap);
    // Persisted so that the quota rows see the partitions the candidates were collected from.
    scores.persist(StorageLevel.MEMORY_AND_DISK());
    Allocation allocation;
    Lakehouse.PartitionWrite quotas;
    try {
      CollectedScores collected =
          JobGroups.run(
              spark, STAGE, "collect scores", () -> candidates(scores, config.maxAgeDays()));
      allocation =
          JobGroups.run(
              spark,
              STAGE,
              "allocate",
              () -> QuotaAllocator.allocate(collected.candidates(), params));
      Allocation decided = allocation;
      quotas =
          JobGroups.run(
              spark,
              STAGE,
              "write heating_quotas",
              () ->
                  lakehouse.replacePartition(
                      Table.HEATING_QUOTAS, day, quotaRows(day, scores, collected, decided)));
    } finally {
      scores.unpersist(false);
    }
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
            allocation.size(),
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
   * The scores of D as the driver holds them for {@link QuotaAllocator}: the candidates as columns,
   * in the scores' partition order, with each item id's Spark {@code hash} and where each partition
   * starts, so that {@link #quotaRows} can match every decision back to its row by partition and
   * position instead of shipping the ids back.
   *
   * @param candidates one candidate per row, partition by partition, each in row order
   * @param itemIdHashes Spark's {@code hash(item_id)} of each candidate, to check the match
   * @param partitionStarts the index of partition p's first candidate at p, the count at the end
   */
  public record CollectedScores(
      Candidate.Columns candidates, int[] itemIdHashes, int[] partitionStarts) {}

  /**
   * Collects the allocator's candidates from {@code scores} (rows of {@link
   * ColdStartScoresSchema}): a row is an eligible candidate when its item is younger than {@code
   * maxAgeDays} ({@code age_days}, at the end of D), so heating goes to content still in its launch
   * window and not to old items that stayed unseen (those keep {@code is_cold} too). Each partition
   * sends its rows as one chunk of columns (the ids as UTF-8 bytes), no row objects; the driver
   * decodes them and numbers the creators ({@link Candidate.Columns#numberCreators}). Cost: one
   * pass over {@code scores}, one collect of about 40 bytes per item; no shuffle.
   */
  public static CollectedScores candidates(Dataset<Row> scores, double maxAgeDays) {
    Dataset<Row> selected =
        scores.select(
            col(ColdStartScoresSchema.ITEM_ID),
            col(ColdStartScoresSchema.CREATOR_ID),
            col(ColdStartScoresSchema.SCORE),
            col(ColdStartScoresSchema.FRAUD_ZEROED),
            functions.hash(col(ColdStartScoresSchema.ITEM_ID)),
            col(ColdStartScoresSchema.AGE_DAYS).lt(maxAgeDays));
    List<ScoreChunk> chunks =
        selected
            .queryExecution()
            .toRdd()
            .toJavaRDD()
            .mapPartitionsWithIndex(
                (partition, rows) -> List.of(ScoreChunk.of(partition, rows)).iterator(), false)
            .collect();
    int[] starts = new int[chunks.size() + 1];
    for (ScoreChunk chunk : chunks) {
      starts[chunk.partition() + 1] = chunk.scores().length;
    }
    for (int p = 0; p < chunks.size(); p++) {
      starts[p + 1] += starts[p];
    }
    int n = starts[chunks.size()];
    String[] itemIds = new String[n];
    String[] creatorIds = new String[n];
    double[] scoreColumn = new double[n];
    boolean[] fraudZeroed = new boolean[n];
    boolean[] eligible = new boolean[n];
    int[] hashes = new int[n];
    for (ScoreChunk chunk : chunks) {
      int at = starts[chunk.partition()];
      int size = chunk.scores().length;
      chunk.itemIds().decodeInto(itemIds, at);
      chunk.creatorIds().decodeInto(creatorIds, at);
      System.arraycopy(chunk.scores(), 0, scoreColumn, at, size);
      System.arraycopy(chunk.fraudZeroed(), 0, fraudZeroed, at, size);
      System.arraycopy(chunk.eligible(), 0, eligible, at, size);
      System.arraycopy(chunk.itemIdHashes(), 0, hashes, at, size);
    }
    return new CollectedScores(
        new Candidate.Columns(
            itemIds,
            creatorIds,
            Candidate.Columns.numberCreators(creatorIds),
            scoreColumn,
            fraudZeroed,
            eligible),
        hashes,
        starts);
  }

  /**
   * The {@code heating_quotas} rows of {@code allocation} for {@code day}: the rows of {@code
   * scores} with their decisions attached. Only numbers travel to the executors (a broadcast of one
   * packed decision and one id hash per item); each row finds its decision by partition and
   * position ({@code monotonically_increasing_id}) and keeps its own {@code item_id}, {@code
   * creator_id} and {@code score}; {@code dt}, {@code floor_quota}, {@code quota} and {@code
   * reason} are filled in by Spark from a literal, bit masks, a sum and a code lookup.
   *
   * <p>Precondition: {@code scores} yields the same partitions, in the same row order, as when
   * {@code collected} was collected from it (persist it, or read an unchanged table). A row whose
   * {@code hash(item_id)} is not the collected one fails the write rather than take another item's
   * decision. Cost: one pass over {@code scores}; no shuffle.
   */
  public static Dataset<Row> quotaRows(
      LocalDate day, Dataset<Row> scores, CollectedScores collected, Allocation allocation) {
    int n = allocation.size();
    long[] packed = new long[n];
    long floorQuota = allocation.params().floorQuota();
    for (int i = 0; i < n; i++) {
      packed[i] =
          (allocation.scoreQuota(i) << DECISION_SCORE_SHIFT)
              | (allocation.floorQuota(i) > 0 ? DECISION_FLOORED : 0)
              | allocation.reasonCode(i);
    }
    Broadcast<QuotaDecisions> decisions =
        JavaSparkContext.fromSparkContext(scores.sparkSession().sparkContext())
            .broadcast(
                new QuotaDecisions(collected.partitionStarts(), collected.itemIdHashes(), packed));
    UserDefinedFunction decide =
        functions
            .udf(
                (UDF2<Long, Integer, Long>)
                    (position, idHash) -> decisions.value().decision(position, idHash),
                DataTypes.LongType)
            .asNonNullable()
            .asNondeterministic();
    Column[] reasons = QuotaAllocator.REASONS.stream().map(functions::lit).toArray(Column[]::new);
    Column decision = col(DECISION);
    Column floor =
        when(decision.bitwiseAND(DECISION_FLOORED).notEqual(0L), lit(floorQuota))
            .otherwise(lit(0L));
    Column scoreQuota = functions.shiftright(decision, DECISION_SCORE_SHIFT);
    return scores
        .select(
            col(ColdStartScoresSchema.ITEM_ID),
            col(ColdStartScoresSchema.CREATOR_ID),
            col(ColdStartScoresSchema.SCORE),
            decide
                .apply(
                    functions.monotonically_increasing_id(),
                    functions.hash(col(ColdStartScoresSchema.ITEM_ID)))
                .as(DECISION))
        .select(
            lit(Date.valueOf(day)).as(HeatingQuotasSchema.DT),
            col(ColdStartScoresSchema.ITEM_ID).as(HeatingQuotasSchema.ITEM_ID),
            col(ColdStartScoresSchema.CREATOR_ID).as(HeatingQuotasSchema.CREATOR_ID),
            col(ColdStartScoresSchema.SCORE).as(HeatingQuotasSchema.SCORE),
            floor.as(HeatingQuotasSchema.FLOOR_QUOTA),
            scoreQuota.as(HeatingQuotasSchema.SCORE_QUOTA),
            floor.plus(scoreQuota).as(HeatingQuotasSchema.QUOTA),
            functions
                .element_at(
                    functions.array(reasons),
                    decision.bitwiseAND(DECISION_REASON_MASK).cast(DataTypes.IntegerType).plus(1))
                .as(HeatingQuotasSchema.REASON));
  }

  /** The decisions of one allocation by collected position, broadcast by {@link #quotaRows}. */
  private record QuotaDecisions(int[] partitionStarts, int[] itemIdHashes, long[] packed)
      implements Serializable {

    /**
     * The packed decision of the row at {@code position} (a {@code monotonically_increasing_id}:
     * partition index above bit 33, row within the partition below).
     *
     * @throws IllegalStateException when the row is not the one collected there
     */
    long decision(long position, int idHash) {
      int partition = (int) (position >>> PARTITION_SHIFT);
      long row = position & ((1L << PARTITION_SHIFT) - 1);
      long at = partition + 1 < partitionStarts.length ? partitionStarts[partition] + row : -1;
      if (at < 0 || at >= partitionStarts[partition + 1] || itemIdHashes[(int) at] != idHash) {
        throw new IllegalStateException(
            "The cold_start_scores rows changed between the collect and the heating_quotas write"
                + " (partition "
                + partition
                + ", row "
                + row
                + "): the scores must be persisted or unchanged while the quotas are written.");
      }
      return packed[(int) at];
    }
  }

  /**
   * One partition's scores as columns: what {@link #candidates} collects instead of rows.
   *
   * @param partition the partition index
   * @param itemIds the item ids
   * @param creatorIds the creator ids
   * @param scores the scores
   * @param fraudZeroed the fraud flags
   * @param itemIdHashes Spark's {@code hash(item_id)}
   * @param eligible whether each item is inside the heating window
   */
  private record ScoreChunk(
      int partition,
      Utf8Column itemIds,
      Utf8Column creatorIds,
      double[] scores,
      boolean[] fraudZeroed,
      int[] itemIdHashes,
      boolean[] eligible)
      implements Serializable {

    /** Reads rows of (item_id, creator_id, score, fraud_zeroed, hash(item_id), eligible). */
    static ScoreChunk of(int partition, Iterator<InternalRow> rows) {
      Utf8Column.Builder itemIds = new Utf8Column.Builder();
      Utf8Column.Builder creatorIds = new Utf8Column.Builder();
      double[] scores = new double[INITIAL_CHUNK_ROWS];
      boolean[] fraudZeroed = new boolean[INITIAL_CHUNK_ROWS];
      int[] hashes = new int[INITIAL_CHUNK_ROWS];
      boolean[] eligible = new boolean[INITIAL_CHUNK_ROWS];
      int n = 0;
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        if (n == scores.length) {
          scores = Arrays.copyOf(scores, 2 * n);
          fraudZeroed = Arrays.copyOf(fraudZeroed, 2 * n);
          hashes = Arrays.copyOf(hashes, 2 * n);
          eligible = Arrays.copyOf(eligible, 2 * n);
        }
        itemIds.add(row.getUTF8String(0));
        creatorIds.add(row.getUTF8String(1));
        scores[n] = row.getDouble(2);
        fraudZeroed[n] = row.getBoolean(3);
        hashes[n] = row.getInt(4);
        eligible[n] = row.getBoolean(5);
        n++;
      }
      return new ScoreChunk(
          partition,
          itemIds.build(),
          creatorIds.build(),
          Arrays.copyOf(scores, n),
          Arrays.copyOf(fraudZeroed, n),
          Arrays.copyOf(hashes, n),
          Arrays.copyOf(eligible, n));
    }
  }

  /**
   * A column of strings as one array of UTF-8 bytes and the end offset of each.
   *
   * @param bytes the strings' bytes, one after the other
   * @param ends where each string's bytes end
   */
  private record Utf8Column(byte[] bytes, int[] ends) implements Serializable {

    /** The number of strings. */
    int size() {
      return ends.length;
    }

    /** Decodes string i of this column into {@code target[at + i]}. */
    void decodeInto(String[] target, int at) {
      int start = 0;
      for (int i = 0; i < ends.length; i++) {
        target[at + i] = new String(bytes, start, ends[i] - start, StandardCharsets.UTF_8);
        start = ends[i];
      }
    }

    /** Appends strings, growing its arrays by doubling. */
    static final class Builder {
      private byte[] bytes = new byte[INITIAL_CHUNK_ROWS * 16];
      private int[] ends = new int[INITIAL_CHUNK_ROWS];
      private int size;
      private int length;

      void add(UTF8String value) {
        int numBytes = value.numBytes();
        if (length + numBytes > bytes.length) {
          bytes = Arrays.copyOf(bytes, Math.max(2 * bytes.length, length + numBytes));
        }
        if (size == ends.length) {
          ends = Arrays.copyOf(ends, 2 * size);
        }
        value.writeToMemory(bytes, Platform.BYTE_ARRAY_OFFSET + length);
        length += numBytes;
        ends[size++] = length;
      }

      Utf8Column build() {
        return new Utf8Column(Arrays.copyOf(bytes, length), Arrays.copyOf(ends, size));
      }
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

  /**
   * The forecast window's traffic and heated and organic clicks.
   *
   * @param traffic mean daily impressions over the window's days that have any
   */
  private record Forecast(
      long traffic,
      long heatedImpressions,
      long heatedClicks,
      long organicImpressions,
      long organicClicks) {}

  private Forecast forecast() {
    LocalDate day = config.runDate();
    LocalDate from = day.minusDays(config.forecastDays() - 1L);
    List<Row> perDay =
        lakehouse
            .read(Table.VALIDATED_EVENTS, from, day)
            .groupBy(EventsSchema.DT)
            .agg(
                count(lit(1)).as("impressions"),
                sum(when(col(EventsSchema.HEATED), 1L).otherwise(0L)),
                sum(
                    when(col(EventsSchema.HEATED).and(col(EventsSchema.CLICKED)), 1L)
                        .otherwise(0L)),
                sum(when(col(EventsSchema.CLICKED), 1L).otherwise(0L)))
            .collectAsList();
    if (perDay.isEmpty()) {
      throw Errors.missingInput(
          "validated_events for " + from + ".." + day + " (the traffic forecast)",
          lakehouse.path(Table.VALIDATED_EVENTS),
          "Run 'bin/kindling validate --run-date " + day + "' first.");
    }
    long total = 0;
    long heated = 0;
    long heatedClicks = 0;
    long clicks = 0;
    for (Row r : perDay) {
      total += r.getLong(1);
      heated += r.getLong(2);
      heatedClicks += r.getLong(3);
      clicks += r.getLong(4);
    }
    return new Forecast(
        Math.round((double) total / perDay.size()),
        heated,
        heatedClicks,
        total - heated,
        clicks - heatedClicks);
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
    String[] itemIds = allocation.candidates().itemIds();
    for (int i = 0; i < allocation.size(); i++) {
      long quota = allocation.quota(i);
      if (quota > 0) {
        quotas.put(itemIds[i], quota);
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
            (long) allocation.size(),
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
