package dev.kindling.pipelines.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.current_date;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;

import dev.kindling.agents.system.Allocation;
import dev.kindling.agents.system.AllocationParams;
import dev.kindling.agents.system.QuotaAllocator;
import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.pipelines.jobs.AllocateJob;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Times the allocate stage's core on synthetic cold items against a bare Spark sort of the same
 * rows: the allocation (collect of the scores, {@link dev.kindling.agents.system.QuotaAllocator},
 * the {@code heating_quotas} rows through a {@code noop} write: the calls {@link AllocateJob#run}
 * makes, on the persisted scores as there) and {@code orderBy(score desc)} into a {@code noop}
 * write. The rows are cached first; each side runs once as warm-up, then {@link #REPETITIONS} times
 * interleaved; the best time of each counts. Writes nothing.
 */
public final class AllocationBenchmark {

  /** Measured repetitions per side after the warm-up. */
  public static final int REPETITIONS = 3;

  private static final long SEED = 42L;
  private static final int ITEMS_PER_CREATOR = 10;
  private static final double FRAUD_RATE = 0.01;
  private static final double NANOS_PER_SECOND = 1e9;

  /**
   * The figures of one benchmark.
   *
   * @param items cold items
   * @param allocationSeconds best allocation time
   * @param sortSeconds best sort time
   * @param granted impressions the allocation granted
   */
  public record Figures(long items, double allocationSeconds, double sortSeconds, long granted) {

    /** Allocation time over sort time. */
    public double ratio() {
      return allocationSeconds / sortSeconds;
    }
  }

  private final SparkSession spark;
  private final long items;
  private final AllocationParams params;
  private final PrintStream out;

  /** A benchmark of {@code items} cold items allocated under {@code params}. */
  public AllocationBenchmark(
      SparkSession spark, long items, AllocationParams params, PrintStream out) {
    this.spark = spark;
    this.items = items;
    this.params = params;
    this.out = out;
  }

  /** Runs both sides and prints each time and the ratio. */
  public Figures run() {
    long creators = Math.max(1, items / ITEMS_PER_CREATOR);
    Dataset<Row> scores =
        spark
            .range(items)
            .select(
                current_date().as(ColdStartScoresSchema.DT),
                concat(lit("item-"), col("id").cast("string")).as(ColdStartScoresSchema.ITEM_ID),
                concat(
                        lit("creator-"),
                        pmod(col("id").multiply(7919L), lit(creators)).cast("string"))
                    .as(ColdStartScoresSchema.CREATOR_ID),
                rand(SEED).as("u"),
                rand(SEED + 1).as("f"))
            .select(
                col(ColdStartScoresSchema.DT),
                col(ColdStartScoresSchema.ITEM_ID),
                col(ColdStartScoresSchema.CREATOR_ID),
                when(col("f").lt(FRAUD_RATE), lit(0.0))
                    .otherwise(col("u").multiply(col("u")))
                    .as(ColdStartScoresSchema.SCORE),
                col("f").lt(FRAUD_RATE).as(ColdStartScoresSchema.FRAUD_ZEROED))
            .persist(StorageLevel.MEMORY_ONLY());
    try {
      out.printf(Locale.ROOT, "cold items: %d (cached: %d rows)%n", items, scores.count());
      out.printf(
          Locale.ROOT,
          "pool %d (budget %d, cap %.2f x traffic %d), floor %d, creator cap %d%n",
          params.pool(),
          params.budgetPool(),
          params.heatingCap(),
          params.forecastTraffic(),
          params.floorQuota(),
          params.creatorCap());
      double bestAllocation = Double.MAX_VALUE;
      double bestSort = Double.MAX_VALUE;
      long granted = 0;
      for (int rep = 0; rep <= REPETITIONS; rep++) {
        long started = System.nanoTime();
        // Every synthetic item is inside the heating window.
        AllocateJob.CollectedScores candidates = AllocateJob.candidates(scores, Double.MAX_VALUE);
        long collected = System.nanoTime();
        Allocation allocation = QuotaAllocator.allocate(candidates.candidates(), params);
        long allocated = System.nanoTime();
        AllocateJob.quotaRows(LocalDate.now(), scores, candidates, allocation)
            .write()
            .format("noop")
            .mode("overwrite")
            .save();
        long written = System.nanoTime();
        double allocationSeconds = (written - started) / NANOS_PER_SECOND;
        granted = allocation.granted();

        long sortStarted = System.nanoTime();
        scores
            .orderBy(col(ColdStartScoresSchema.SCORE).desc())
            .write()
            .format("noop")
            .mode("overwrite")
            .save();
        double sortSeconds = (System.nanoTime() - sortStarted) / NANOS_PER_SECOND;
        String label = rep == 0 ? "warm-up" : "run " + rep;
        out.printf(
            Locale.ROOT,
            "%s: allocation %.2f s (collect %.2f, allocate %.2f, rows %.2f), sort %.2f s%n",
            label,
            allocationSeconds,
            (collected - started) / NANOS_PER_SECOND,
            (allocated - collected) / NANOS_PER_SECOND,
            (written - allocated) / NANOS_PER_SECOND,
            sortSeconds);
        if (rep > 0) {
          bestAllocation = Math.min(bestAllocation, allocationSeconds);
          bestSort = Math.min(bestSort, sortSeconds);
        }
      }
      Figures figures = new Figures(items, bestAllocation, bestSort, granted);
      out.printf(
          Locale.ROOT,
          "allocation of %d cold items: %.2f s (granted %d); bare Spark sort of the same rows:"
              + " %.2f s; ratio allocation/sort: %.2f%n",
          items,
          figures.allocationSeconds(),
          granted,
          figures.sortSeconds(),
          figures.ratio());
      return figures;
    } finally {
      scores.unpersist(false);
    }
  }
}
