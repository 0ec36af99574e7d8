package dev.kindling.pipelines.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.FeaturesConfig;
import dev.kindling.pipelines.jobs.FeaturesJob;
import dev.kindling.pipelines.jobs.FeaturesResult;
import dev.kindling.pipelines.jobs.SimulateConfig;
import dev.kindling.pipelines.jobs.SimulateJob;
import dev.kindling.pipelines.jobs.SimulateResult;
import dev.kindling.pipelines.jobs.ValidateConfig;
import dev.kindling.pipelines.jobs.ValidateJob;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Measures the features stage against a bare Spark scan + groupBy of the same events and columns,
 * side by side in one run, on simulated logs of a chosen size. A benchmark, not a test: it prints
 * figures and asserts nothing.
 *
 * <p>Steps: simulate the window's days (sized so the window holds about the requested number of
 * events), validate each day, run features for the day before the last (warm-up, and the state the
 * last day carries), then time features for the last day (its window holds every simulated event)
 * and the baseline over the same window, interleaved {@value #RUNS} times each; the fastest run of
 * each counts, so one slow run (a GC pause, the other core busy) does not decide the ratio.
 */
public final class FeaturesBenchmark {

  /** Impressions per user-day of the default world, measured on the demo (1.88M / 7 days). */
  private static final double DEMO_EVENTS = 1_883_564;

  private static final double NANOS_PER_SECOND = 1e9;

  /** Timed runs of each side. */
  private static final int RUNS = 3;

  private final SparkSession spark;
  private final KindlingConfig config;
  private final long targetEvents;
  private final boolean reuse;
  private final PrintStream out;

  /**
   * @param reuse keep the simulated and validated logs a previous run left under the same root, if
   *     they cover the window
   */
  public FeaturesBenchmark(
      SparkSession spark,
      KindlingConfig config,
      long targetEvents,
      boolean reuse,
      PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.targetEvents = targetEvents;
    this.reuse = reuse;
    this.out = out;
  }

  /** Runs the benchmark and prints its figures; returns features seconds / baseline seconds. */
  public double run() {
    SimulateConfig base = SimulateConfig.from(config);
    int days = FeaturesConfig.from(config, base.startDate()).params().windowDays();
    double scale = targetEvents / (DEMO_EVENTS * days / base.days());
    SimulatorConfig world =
        base.simulator()
            .withPopulation(
                scaled(base.simulator().initialUsers(), scale),
                scaled(base.simulator().newUsersPerDay(), scale),
                scaled(base.simulator().initialItems(), scale),
                scaled(base.simulator().newItemsPerDay(), scale));
    SimulateConfig simulate = new SimulateConfig(base.lakehouseRoot(), days, world);
    LocalDate last = simulate.lastDate();

    Lakehouse lakehouse = new Lakehouse(spark, simulate.lakehouseRoot());
    boolean present =
        lakehouse.exists(Table.VALIDATED_EVENTS)
            && !lakehouse.read(Table.VALIDATED_EVENTS, simulate.startDate()).isEmpty()
            && !lakehouse.read(Table.VALIDATED_EVENTS, last).isEmpty();
    if (reuse && present) {
      out.println("reusing the validated logs under " + lakehouse.root());
    } else {
      SimulateResult simulated = new SimulateJob(spark, simulate).run();
      out.println("simulated: " + simulated);
      for (LocalDate d = simulate.startDate(); !d.isAfter(last); d = d.plusDays(1)) {
        new ValidateJob(spark, ValidateConfig.from(config, d)).run();
      }
    }
    new FeaturesJob(spark, FeaturesConfig.from(config, last.minusDays(1))).run();

    Dataset<Row> window = lakehouse.read(Table.VALIDATED_EVENTS, simulate.startDate(), last);
    long windowEvents = window.count();

    double[] baselineRuns = new double[RUNS];
    double[] featuresRuns = new double[RUNS];
    FeaturesResult written = null;
    for (int run = 0; run < RUNS; run++) {
      baselineRuns[run] = seconds(() -> baseline(window));
      long started = System.nanoTime();
      written = new FeaturesJob(spark, FeaturesConfig.from(config, last)).run();
      featuresRuns[run] = (System.nanoTime() - started) / NANOS_PER_SECOND;
    }
    double baselineSeconds = Arrays.stream(baselineRuns).min().orElseThrow();
    double featuresSeconds = Arrays.stream(featuresRuns).min().orElseThrow();
    double ratio = featuresSeconds / baselineSeconds;
    out.printf("window events (%s..%s): %,d%n", simulate.startDate(), last, windowEvents);
    out.printf(
        "features stage (%d users, %d items written): %.1f s (runs: %s)%n",
        written.users(), written.items(), featuresSeconds, format(featuresRuns));
    out.printf(
        "bare scan + groupBy(user_id) of the same events and columns: %.1f s (runs: %s)%n",
        baselineSeconds, format(baselineRuns));
    out.printf("ratio features / baseline: %.2fx%n", ratio);
    return ratio;
  }

  /** Scan of the columns the features read, one groupBy per user, into Spark's no-op sink. */
  private static Object baseline(Dataset<Row> window) {
    window
        .select(
            col(EventsSchema.USER_ID),
            col(EventsSchema.ITEM_ID),
            col(EventsSchema.TS),
            col(EventsSchema.DT),
            col(EventsSchema.CLICKED),
            col(EventsSchema.COMPLETED),
            col(EventsSchema.SHARED),
            col(EventsSchema.PURCHASE_AMOUNT),
            col(EventsSchema.HEATED))
        .groupBy(col(EventsSchema.USER_ID))
        .agg(
            count("*").as("impressions"),
            sum(when(col(EventsSchema.CLICKED), 1).otherwise(0)).as("clicks"),
            sum(when(col(EventsSchema.COMPLETED), 1).otherwise(0)).as("completions"),
            sum(when(col(EventsSchema.SHARED), 1).otherwise(0)).as("shares"),
            sum(col(EventsSchema.PURCHASE_AMOUNT)).as("purchases"),
            sum(when(col(EventsSchema.HEATED), 1).otherwise(0)).as("heated"),
            countDistinct(col(EventsSchema.ITEM_ID)).as("items"),
            max(col(EventsSchema.TS)).as("last_ts"))
        .write()
        .format("noop")
        .mode("overwrite")
        .save();
    return null;
  }

  private static String format(double[] runs) {
    return Arrays.stream(runs)
        .mapToObj(r -> String.format("%.1f", r))
        .collect(Collectors.joining(", ", "", " s"));
  }

  private static int scaled(int value, double scale) {
    return Math.max(1, (int) Math.round(value * scale));
  }

  private static double seconds(Supplier<?> body) {
    long started = System.nanoTime();
    body.get();
    return (System.nanoTime() - started) / NANOS_PER_SECOND;
  }
}
