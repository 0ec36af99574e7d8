package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.ValidateConfig;
import dev.kindling.pipelines.jobs.ValidateJob;
import dev.kindling.pipelines.jobs.ValidateResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling validate}: checks one day's raw events against the log contract. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check the run date's raw events against the log contract: accepted rows go to"
          + " validated_events, duplicates (same event_id) are dropped, broken rows go to"
          + " quarantine with a reason. accepted + duplicates + quarantined = input, always.",
      "A missing required column or a wrong type stops the stage with an error naming them."
    })
final class ValidateCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    ValidateConfig validate = ValidateConfig.from(config, date.runDate());
    ValidateResult result =
        Stage.run("kindling-validate", config, spark -> new ValidateJob(spark, validate).run());
    System.out.println(result);
    return 0;
  }
}
