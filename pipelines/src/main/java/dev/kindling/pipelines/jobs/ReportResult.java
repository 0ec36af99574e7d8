package dev.kindling.pipelines.jobs;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

/**
 * What one {@link ReportJob} wrote.
 *
 * @param path the HTML file
 * @param rows evaluation rows the report was made from
 * @param firstDate the earliest day among them, or null without rows
 * @param lastDate the latest day among them, or null without rows
 * @param charts inline SVG charts in the report
 * @param bytes the file's size
 * @param seconds wall-clock seconds, reading included
 */
public record ReportResult(
    Path path,
    long rows,
    LocalDate firstDate,
    LocalDate lastDate,
    int charts,
    long bytes,
    double seconds) {

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "report: %d evaluation rows (%s..%s), %d charts, %d KB in %.1f s; open %s",
        rows,
        firstDate == null ? "-" : firstDate,
        lastDate == null ? "-" : lastDate,
        charts,
        bytes / 1024,
        seconds,
        path);
  }
}
