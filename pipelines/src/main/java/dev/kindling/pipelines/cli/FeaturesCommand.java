package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.FeaturesConfig;
import dev.kindling.pipelines.jobs.FeaturesJob;
import dev.kindling.pipelines.jobs.FeaturesResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling features}: writes the run date's user mind state and content state. */
@Command(
    name = "features",
    mixinStandardHelpOptions = true,
    description = {
      "Write the run date's user_mind_state (one row per active user) and content_state (one"
          + " row per live item) from validated_events, the catalog and the carried state.",
      "Needs validate to have run for the date. Each feature's definition: the Javadoc of"
          + " UserMindStateSchema and ContentStateSchema (README, Tables)."
    })
final class FeaturesCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    FeaturesConfig features = FeaturesConfig.from(config, date.runDate());
    FeaturesResult result =
        Stage.run("kindling-features", config, spark -> new FeaturesJob(spark, features).run());
    System.out.println(result);
    return 0;
  }
}
