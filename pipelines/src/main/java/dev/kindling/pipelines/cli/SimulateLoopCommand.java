package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.SimulateLoopConfig;
import dev.kindling.pipelines.jobs.SimulateLoopJob;
import dev.kindling.pipelines.jobs.SimulateLoopResult;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kindling simulate-loop}: the closed-loop evaluation of one policy in the simulator. */
@Command(
    name = "simulate-loop",
    mixinStandardHelpOptions = true,
    description = {
      "Closed-loop evaluation: simulate the world of one seed in its own lakehouse"
          + " (<lakehouse.root>/<simulate-loop.dir>/seed=S/policy=A, A the arm's name, replaced on a"
          + " re-run):"
          + " warm-up days served by the logging policy, then --days served by the arm's policy.",
      "popularity: the logging policy and manual heating; epsilon: the logging ranker exploring"
          + " at simulate-loop.epsilon; kindling: after each day the nightly job runs in the arm"
          + " and the next day is served by the published policy and its heating quotas.",
      "Writes each loop day's metrics and exposure Lorenz curve to the evaluation table"
          + " (run = 'simulate-loop') and prints their means.",
      "Every option defaults to its simulate-loop.* or simulate.* config key (bin/kindling"
          + " config)."
    })
final class SimulateLoopCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Option(names = "--days", description = "Loop days served by the arm's policy.")
  Integer days;

  @Option(
      names = "--policy",
      paramLabel = "popularity|epsilon|kindling",
      description = "The arm's policy.")
  String policy;

  @Option(
      names = "--arm",
      paramLabel = "NAME",
      description =
          "The arm's name: its directory and its evaluation rows' policy (default: the policy's"
              + " name). Names an arm of one policy with other settings, e.g. --arm"
              + " kindling-encoder --conf replay.encoder.enabled=true.")
  String arm;

  @Option(names = "--seed", description = "The world's seed.")
  Long seed;

  @Option(names = "--start-date", paramLabel = "yyyy-MM-dd", description = "First warm-up day.")
  LocalDate startDate;

  @Option(names = "--users", description = "Users signed up before the first day.")
  Integer users;

  @Option(names = "--items", description = "Items published before the first day.")
  Integer items;

  @Override
  public Integer call() {
    override(ConfigKeys.SIMULATE_LOOP_DAYS.path(), days);
    override(ConfigKeys.SIMULATE_LOOP_POLICY.path(), policy);
    override(ConfigKeys.SIMULATE_LOOP_ARM.path(), arm);
    override(ConfigKeys.SIMULATE_LOOP_SEED.path(), seed);
    override(ConfigKeys.SIMULATE_START_DATE.path(), startDate);
    override(ConfigKeys.SIMULATE_USERS.path(), users);
    override(ConfigKeys.SIMULATE_ITEMS.path(), items);
    KindlingConfig config = common.load();
    SimulateLoopConfig loop = SimulateLoopConfig.from(config);
    SimulateLoopResult result =
        Stage.run(
            "kindling-simulate-loop", config, spark -> new SimulateLoopJob(spark, loop).run());
    System.out.println(result);
    return 0;
  }

  private void override(String key, Object value) {
    if (value != null) {
      common.overrides.add(key + "=" + value);
    }
  }
}
