package dev.kindling.pipelines.jobs;

import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What {@link ValidateJob} needs: where the lakehouse is, the run date and the scenarios a row may
 * name.
 */
public record ValidateConfig(String lakehouseRoot, LocalDate runDate, List<String> scenarios) {

  public ValidateConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    scenarios = List.copyOf(scenarios);
  }

  public static ValidateConfig from(KindlingConfig config, LocalDate runDate) {
    return new ValidateConfig(
        config.get(ConfigKeys.LAKEHOUSE_ROOT), runDate, config.get(ConfigKeys.SCENARIOS));
  }
}
