package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.ScoreColdStartConfig;
import dev.kindling.pipelines.jobs.ScoreColdStartJob;
import dev.kindling.pipelines.jobs.ScoreColdStartResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling score-cold-start}: the content agent's heating bid for each cold item. */
@Command(
    name = "score-cold-start",
    mixinStandardHelpOptions = true,
    description = {
      "Write the run date's cold_start_scores: one row per cold item of content_state D with its"
          + " heating bid, predicted value, uncertainty, fraud penalty and reason. The value is"
          + " learned by a random forest from the item-day transitions of content_state"
          + " D-score-cold-start.window-days..D (saved under models/content/dt=D); with fewer than"
          + " score-cold-start.min-transitions it comes from the category prior.",
      "Needs content_state (and validated_events) of the run date. Items over a fraud threshold"
          + " (click inflation, clicks concentrated in a few users) score 0 with the reason."
    })
final class ScoreColdStartCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    ScoreColdStartConfig score = ScoreColdStartConfig.from(config, date.runDate());
    ScoreColdStartResult result =
        Stage.run(
            "kindling-score-cold-start",
            config,
            spark -> new ScoreColdStartJob(spark, score).run());
    System.out.println(result);
    return 0;
  }
}
