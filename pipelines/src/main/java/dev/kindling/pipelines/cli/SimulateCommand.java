package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.SimulateConfig;
import dev.kindling.pipelines.jobs.SimulateJob;
import dev.kindling.pipelines.jobs.SimulateResult;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kindling simulate}: writes demo logs in the raw contract. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate users, creators and the logging policy; write raw/events (Parquet, one dt"
          + " partition per day), raw/items and raw/users under lakehouse.root.",
      "Deterministic for a seed: re-running rewrites the same logs.",
      "Every option defaults to its simulate.* config key (bin/kindling config)."
    })
final class SimulateCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Option(names = "--start-date", paramLabel = "yyyy-MM-dd", description = "First day.")
  LocalDate startDate;

  @Option(names = "--days", description = "Days to simulate.")
  Integer days;

  @Option(names = "--seed", description = "Random seed.")
  Long seed;

  @Option(names = "--users", description = "Users signed up before the first day.")
  Integer users;

  @Option(names = "--items", description = "Items published before the first day.")
  Integer items;

  @Override
  public Integer call() {
    override(ConfigKeys.SIMULATE_START_DATE.path(), startDate);
    override(ConfigKeys.SIMULATE_DAYS.path(), days);
    override(ConfigKeys.SIMULATE_SEED.path(), seed);
    override(ConfigKeys.SIMULATE_USERS.path(), users);
    override(ConfigKeys.SIMULATE_ITEMS.path(), items);
    KindlingConfig config = common.load();
    SimulateConfig simulate = SimulateConfig.from(config);
    SimulateResult result =
        Stage.run("kindling-simulate", config, spark -> new SimulateJob(spark, simulate).run());
    System.out.println(result);
    return 0;
  }

  private void override(String key, Object value) {
    if (value != null) {
      common.overrides.add(key + "=" + value);
    }
  }
}
