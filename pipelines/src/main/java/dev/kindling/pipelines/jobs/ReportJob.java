package dev.kindling.pipelines.jobs;

import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import dev.kindling.pipelines.report.EvaluationRow;
import dev.kindling.pipelines.report.ReportRenderer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code report} stage: reads the {@code evaluation} table (all of it, or the days up to {@code
 * upTo}) and writes the self-contained HTML report ({@link ReportRenderer}) to one file, atomically
 * (a temporary file in the same directory, then a move over the old report).
 *
 * <p>Costs: one scan of the evaluation table, collected to the driver (a few rows per metric, day,
 * arm and seed; about 120 per loop day and seed with the Lorenz curve), then rendering in memory.
 * Preconditions: the table exists (the evaluate stage and simulate-loop write it); the output is on
 * the local file system (by default {@link #DEFAULT_OUTPUT} under a local lakehouse root).
 */
public final class ReportJob {

  private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);
  private static final String STAGE = "report";
  private static final double NANOS_PER_SECOND = 1e9;

  /** Where the report goes under the lakehouse root unless an output is given. */
  public static final String DEFAULT_OUTPUT = "reports/kindling-report.html";

  private final SparkSession spark;
  private final ReportConfig config;

  public ReportJob(SparkSession spark, ReportConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public ReportResult run() {
    long started = System.nanoTime();
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    if (!lakehouse.exists(Table.EVALUATION)) {
      throw Errors.missingInput(
          "the evaluation table",
          lakehouse.path(Table.EVALUATION),
          "The evaluate stage (run by nightly for each run date) and simulate-loop write it; run"
              + " one of them first, or point lakehouse.root at a lakehouse that has it.");
    }
    Path output = output(lakehouse);
    List<EvaluationRow> rows =
        JobGroups.run(spark, STAGE, "read evaluation", () -> readRows(lakehouse));
    if (rows.isEmpty()) {
      LOG.warn(
          "report: no evaluation rows{}; writing a report whose sections say so",
          config.upTo() == null ? "" : " up to " + config.upTo());
    }
    ReportRenderer.Rendered rendered =
        ReportRenderer.render(
            rows,
            new ReportRenderer.Context(
                lakehouse.path(Table.EVALUATION), config.upTo(), Instant.now()));
    byte[] bytes = rendered.html().getBytes(StandardCharsets.UTF_8);
    writeAtomically(output, bytes);
    ReportResult result =
        new ReportResult(
            output,
            rows.size(),
            rows.stream().map(EvaluationRow::dt).min(Comparator.naturalOrder()).orElse(null),
            rows.stream().map(EvaluationRow::dt).max(Comparator.naturalOrder()).orElse(null),
            rendered.charts(),
            bytes.length,
            (System.nanoTime() - started) / NANOS_PER_SECOND);
    LOG.info("{}", result);
    return result;
  }

  private List<EvaluationRow> readRows(Lakehouse lakehouse) {
    Dataset<Row> table = lakehouse.read(Table.EVALUATION);
    if (config.upTo() != null) {
      table =
          table.where(
              functions
                  .col(EvaluationSchema.DT)
                  .leq(functions.lit(config.upTo().toString()).cast("date")));
    }
    return table.collectAsList().stream().map(ReportJob::toRow).toList();
  }

  /** A row of the evaluation table as the renderer takes it. */
  static EvaluationRow toRow(Row row) {
    return new EvaluationRow(
        row.getDate(row.fieldIndex(EvaluationSchema.DT)).toLocalDate(),
        row.getString(row.fieldIndex(EvaluationSchema.RUN)),
        nullable(row, EvaluationSchema.SEED),
        row.getString(row.fieldIndex(EvaluationSchema.POLICY)),
        row.getString(row.fieldIndex(EvaluationSchema.KIND)),
        row.getString(row.fieldIndex(EvaluationSchema.METRIC)),
        nullable(row, EvaluationSchema.ESTIMATOR),
        nullable(row, EvaluationSchema.VALUE),
        nullable(row, EvaluationSchema.LOWER),
        nullable(row, EvaluationSchema.UPPER),
        nullable(row, EvaluationSchema.N),
        nullable(row, EvaluationSchema.POINT),
        nullable(row, EvaluationSchema.DETAIL));
  }

  private static <T> T nullable(Row row, String column) {
    int index = row.fieldIndex(column);
    return row.isNullAt(index) ? null : row.getAs(index);
  }

  private Path output(Lakehouse lakehouse) {
    if (config.output() != null) {
      return config.output().toAbsolutePath();
    }
    URI uri = URI.create(lakehouse.path(DEFAULT_OUTPUT));
    if (!"file".equals(uri.getScheme())) {
      throw Errors.of(
          "lakehouse.root " + lakehouse.root() + " is not on the local file system.",
          "The report is one local file, written with an atomic move.",
          "Pass --out FILE with a local path.");
    }
    return Paths.get(uri);
  }

  /** Writes {@code bytes} to a temporary file beside {@code target}, then moves it over it. */
  static void writeAtomically(Path target, byte[] bytes) {
    Path directory = target.toAbsolutePath().getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
      Files.write(temporary, bytes);
      if (Files.getFileStore(temporary).supportsFileAttributeView(PosixFileAttributeView.class)) {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
      }
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new KindlingException("Cannot write the report to " + target + ": " + e, e);
    }
  }
}
