package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.ReplayConfig;
import dev.kindling.pipelines.jobs.ReplayJob;
import dev.kindling.pipelines.jobs.ReplayResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling replay}: writes the run date's replay transitions and feature spec. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Write the run date's replay transitions (one row per ranking request: observation,"
          + " history, logged action, shaped reward, next observation) to replay, partitioned by"
          + " dt and bucket, and the observation's feature spec to replay_feature_spec.",
      "Needs validate (and, for the start-of-day state, features of the day before)."
    })
final class ReplayCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    ReplayConfig replay = ReplayConfig.from(config, date.runDate());
    ReplayResult result =
        Stage.run("kindling-replay", config, spark -> new ReplayJob(spark, replay).run());
    System.out.println(result);
    return 0;
  }
}
