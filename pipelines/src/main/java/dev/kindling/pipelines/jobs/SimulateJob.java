package dev.kindling.pipelines.jobs;

import dev.kindling.agents.sim.SimDay;
import dev.kindling.agents.sim.Simulator;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import java.time.LocalDate;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code simulate} stage: serves the simulated world day by day with its logging policy and
 * writes the logs in the raw contract: {@code raw/events/dt=D} (Parquet, one directory per day,
 * replaced whole), {@code raw/items} and {@code raw/users} (replaced whole). Deterministic for a
 * seed, so re-running it rewrites the same logs.
 *
 * <p>Cost: the simulation runs on the driver; events stream to Parquet in chunks of {@link
 * #CHUNK_ROWS} rows, so memory does not grow with the number of days.
 */
public final class SimulateJob {

  private static final Logger LOG = LoggerFactory.getLogger(SimulateJob.class);
  private static final String STAGE = "simulate";

  /** Rows buffered on the driver before they are written as one batch of Parquet files. */
  public static final int CHUNK_ROWS = RawLogWriter.CHUNK_ROWS;

  private static final double NANOS_PER_SECOND = 1e9;

  private final SparkSession spark;
  private final SimulateConfig config;

  public SimulateJob(SparkSession spark, SimulateConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public SimulateResult run() {
    long started = System.nanoTime();
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    Simulator simulator = Simulator.withDefaultPolicies(config.simulator());
    RawLogWriter writer = new RawLogWriter(spark, lakehouse, STAGE);
    long impressions = 0;
    long clicks = 0;
    for (int d = 0; d < config.days(); d++) {
      LocalDate day = config.startDate().plusDays(d);
      RawLogWriter.DayWriter events = writer.day(day);
      SimDay result = simulator.simulateDay(day, events::accept);
      events.finish();
      impressions += result.impressions();
      clicks += result.clicks();
      LOG.info(
          "simulate {}: {} impressions, {} clicks, {} active users, {} heated impressions",
          day,
          result.impressions(),
          result.clicks(),
          result.activeUsers(),
          result.heatedImpressions());
    }
    writer.writeItemsAndUsers(simulator);
    SimulateResult out =
        new SimulateResult(
            config.startDate(),
            config.lastDate(),
            impressions,
            clicks,
            simulator.users().size(),
            simulator.items().size(),
            (System.nanoTime() - started) / NANOS_PER_SECOND);
    LOG.info("{}", out);
    return out;
  }
}
