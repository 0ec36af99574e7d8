package dev.kindling.pipelines.jobs;

import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link DemoJob} needs: the simulated world, the nightly config of every simulated day and
 * the report written at the end.
 */
public record DemoConfig(SimulateConfig simulate, List<NightlyConfig> nights, ReportConfig report) {

  public DemoConfig {
    Objects.requireNonNull(simulate, "simulate");
    Objects.requireNonNull(report, "report");
    nights = List.copyOf(nights);
  }

  public static DemoConfig from(KindlingConfig config) {
    SimulateConfig simulate = SimulateConfig.from(config);
    List<NightlyConfig> nights = new ArrayList<>();
    for (LocalDate d = simulate.startDate(); !d.isAfter(simulate.lastDate()); d = d.plusDays(1)) {
      nights.add(NightlyConfig.from(config, d));
    }
    return new DemoConfig(simulate, nights, ReportConfig.from(config, simulate.lastDate(), null));
  }
}
