package dev.kindling.pipelines.jobs;

import dev.kindling.features.schema.QuarantineSchema;
import dev.kindling.features.validate.EventValidation;
import dev.kindling.features.validate.EventValidationResult;
import dev.kindling.features.validate.LogContractException;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.util.HashSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code validate} stage: checks one day's raw events against the log contract, writes the
 * accepted rows to {@code validated_events} and every rejected row, with its reason, to {@code
 * quarantine}. Re-running a date replaces both partitions.
 *
 * <p>Cost: one scan of the day's raw events, joins with the item and user keys and a window over
 * slots, evaluated once (the classified events are persisted); a window over {@code event_id} for
 * the accepted rows and the duplicates; two Delta partition overwrites.
 */
public final class ValidateJob {

  private static final Logger LOG = LoggerFactory.getLogger(ValidateJob.class);
  private static final String STAGE = "validate";

  private final SparkSession spark;
  private final ValidateConfig config;

  public ValidateJob(SparkSession spark, ValidateConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public ValidateResult run() {
    try (RunLease lease =
        new Lakehouse(spark, config.lakehouseRoot()).lease(STAGE, config.runDate())) {
      return runLeased();
    }
  }

  private ValidateResult runLeased() {
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    Dataset<Row> raw = lakehouse.rawEvents(config.runDate());
    EventValidationResult result;
    try {
      result =
          EventValidation.validate(
              raw,
              lakehouse.rawItems(),
              lakehouse.rawUsers(),
              config.runDate(),
              new HashSet<>(config.scenarios()));
    } catch (LogContractException e) {
      throw new KindlingException(
          "validate " + config.runDate() + " stopped before writing anything: " + e.getMessage(),
          e);
    }
    result.classified().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long input = JobGroups.run(spark, STAGE, "count input", raw::count);
      Lakehouse.PartitionWrite validatedWrite =
          JobGroups.run(
              spark,
              STAGE,
              "write validated_events",
              () ->
                  lakehouse.replacePartition(
                      Table.VALIDATED_EVENTS, config.runDate(), result.accepted()));
      Lakehouse.PartitionWrite quarantineWrite =
          JobGroups.run(
              spark,
              STAGE,
              "write quarantine",
              () ->
                  lakehouse.replacePartition(
                      Table.QUARANTINE, config.runDate(), result.allQuarantined()));
      long duplicates =
          JobGroups.run(spark, STAGE, "count duplicates", () -> result.duplicates().count());
      // The quarantine partition is small: count it by source rather than recompute the checks.
      Dataset<Row> quarantine = lakehouse.read(Table.QUARANTINE, config.runDate());
      long quarantined =
          quarantine
              .where(functions.col(QuarantineSchema.SOURCE).equalTo(EventValidation.EVENTS_LOG))
              .count();
      long referenceQuarantined = quarantine.count() - quarantined;
      long accepted = validatedWrite.rows();
      ValidateResult out =
          new ValidateResult(
              config.runDate(),
              input,
              accepted,
              duplicates,
              quarantined,
              referenceQuarantined,
              result.absentOptionalColumns(),
              validatedWrite.version(),
              quarantineWrite.version());
      if (accepted + duplicates + quarantined != input) {
        throw new IllegalStateException(
            "validate lost rows, which must never happen: " + out + ". Please report it.");
      }
      if (!out.absentOptionalColumns().isEmpty()) {
        LOG.warn(
            "validate {}: the log carries no {}; stages that need them will say so",
            config.runDate(),
            out.absentOptionalColumns());
      }
      if (quarantined > 0) {
        LOG.warn(
            "validate {}: {} rows quarantined; see bin/kindling sql \"SELECT reason_code, count(*)"
                + " FROM quarantine WHERE dt = '{}' GROUP BY reason_code\"",
            config.runDate(),
            quarantined,
            config.runDate());
      }
      LOG.info("{}", out);
      return out;
    } finally {
      result.classified().unpersist();
    }
  }
}
