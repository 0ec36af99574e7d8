package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.TrainConfig;
import dev.kindling.pipelines.jobs.TrainJob;
import dev.kindling.pipelines.jobs.TrainResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling train}: trains the agents' policy on the run date's replay window. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train the TD3+BC networks (twin centralized critics, one actor per scenario) on a seeded"
          + " sample of the replay days D-train.window-days+1..D, one training_runs row per round,"
          + " and write the policy to models/dt=D. Resumes from checkpoints/train/dt=D when an"
          + " earlier attempt stopped, else warm-starts from artifacts/policy/LATEST when present.",
      "Needs replay (and replay_feature_spec) of the run date. A NaN or diverging round stops the"
          + " run (exit 1) and leaves models/ and artifacts/ untouched."
    })
final class TrainCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    TrainConfig train = TrainConfig.from(config, date.runDate());
    TrainResult result =
        Stage.run("kindling-train", config, spark -> new TrainJob(spark, train).run());
    System.out.println(result);
    return 0;
  }
}
