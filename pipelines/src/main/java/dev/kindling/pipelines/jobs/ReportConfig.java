package dev.kindling.pipelines.jobs;

import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What {@link ReportJob} needs.
 *
 * @param lakehouseRoot the lakehouse root holding the {@code evaluation} table
 * @param upTo the last date read, or null to read the whole table
 * @param output the HTML file to write, or null for {@link ReportJob#DEFAULT_OUTPUT} under the
 *     lakehouse root
 */
public record ReportConfig(String lakehouseRoot, LocalDate upTo, Path output) {

  public ReportConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
  }

  /**
   * The report config of {@code lakehouse.root}, up to {@code upTo} (or all), to {@code output}.
   */
  public static ReportConfig from(KindlingConfig config, LocalDate upTo, Path output) {
    return new ReportConfig(config.get(ConfigKeys.LAKEHOUSE_ROOT), upTo, output);
  }
}
