package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.AllocateConfig;
import dev.kindling.pipelines.jobs.AllocateJob;
import dev.kindling.pipelines.jobs.AllocateResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling allocate}: the system agent's heating quotas for the run date's scores. */
@Command(
    name = "allocate",
    mixinStandardHelpOptions = true,
    description = {
      "Allocate heated impressions for D+1 over the cold items scored on D: at most"
          + " min(allocate.budget, allocate.heating-cap x forecast traffic), a fairness floor for"
          + " every eligible item first (by score while the pool lasts), a per-creator cap, the"
          + " rest by score and the retention weight; fraud-zeroed items get nothing.",
      "Writes heating_quotas and heating_allocations for dt=D and quotas/dt=D/quotas.bin."
          + " Needs cold_start_scores of D (bin/kindling score-cold-start) and validated_events."
    })
final class AllocateCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    AllocateConfig allocate = AllocateConfig.from(config, date.runDate());
    AllocateResult result =
        Stage.run("kindling-allocate", config, spark -> new AllocateJob(spark, allocate).run());
    System.out.println(result);
    return 0;
  }
}
