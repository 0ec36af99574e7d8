package dev.kindling.pipelines.jobs;

import dev.kindling.features.metrics.ExposureMetrics;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code nightly --demo}: simulates the demo days into the lakehouse unless their logs are already
 * there, then runs the nightly job for every simulated day in order, so the last day's features
 * carry the state of the days before it, as they would in production; then writes the evaluation
 * report ({@link ReportJob}) of the days up to the last one, when the evaluation table exists.
 */
public final class DemoJob {

  private static final Logger LOG = LoggerFactory.getLogger(DemoJob.class);

  private final SparkSession spark;
  private final DemoConfig config;

  public DemoJob(SparkSession spark, DemoConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public DemoResult run() {
    Lakehouse lakehouse = new Lakehouse(spark, config.simulate().lakehouseRoot());
    SimulateResult simulated = null;
    if (demoLogsPresent(lakehouse)) {
      LOG.info(
          "demo: raw logs for {}..{} already in {}; not simulating again",
          config.simulate().startDate(),
          config.simulate().lastDate(),
          lakehouse.root());
    } else {
      simulated = new SimulateJob(spark, config.simulate()).run();
    }
    List<NightlyResult> nights = new ArrayList<>();
    long nightsStarted = System.nanoTime();
    for (NightlyConfig night : config.nights()) {
      long started = System.nanoTime();
      nights.add(new NightlyJob(spark, night).run());
      LOG.info(
          "demo: night {}/{} ({}) done in {} s",
          nights.size(),
          config.nights().size(),
          night.runDate(),
          seconds(started));
    }
    LOG.info("demo: {} nights in {} s", nights.size(), seconds(nightsStarted));
    LocalDate last = config.simulate().lastDate();
    double gini =
        ExposureMetrics.gini(
            lakehouse.read(Table.CONTENT_STATE, last), ContentStateSchema.EXPOSURE);
    ReportResult report = null;
    if (lakehouse.exists(Table.EVALUATION)) {
      report = new ReportJob(spark, config.report()).run();
    } else {
      LOG.warn(
          "demo: no evaluation table in {} (the evaluate stage and simulate-loop write it); no"
              + " report written",
          lakehouse.root());
    }
    return new DemoResult(simulated, nights, gini, report);
  }

  private static String seconds(long startNanos) {
    return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - startNanos) / 1e9);
  }

  private boolean demoLogsPresent(Lakehouse lakehouse) {
    Set<LocalDate> present = new HashSet<>(lakehouse.rawEventDates());
    for (LocalDate d = config.simulate().startDate();
        !d.isAfter(config.simulate().lastDate());
        d = d.plusDays(1)) {
      if (!present.contains(d)) {
        return false;
      }
    }
    return lakehouse.hasPath(Lakehouse.RAW_ITEMS) && lakehouse.hasPath(Lakehouse.RAW_USERS);
  }
}
