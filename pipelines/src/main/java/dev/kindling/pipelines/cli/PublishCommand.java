package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.PublishConfig;
import dev.kindling.pipelines.jobs.PublishJob;
import dev.kindling.pipelines.jobs.PublishResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling publish}: publishes the run date's policy and quotas for the serving tier. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish the policy trained for D (models/dt=D) and the day's heating quotas"
          + " (quotas/dt=D/quotas.bin) as artifacts/policy/dt=D with a checksummed manifest.json,"
          + " written to a temporary directory and renamed into place; then replace"
          + " artifacts/policy/LATEST atomically (never back to an older date) and keep the newest"
          + " publish.keep artifacts.",
      "Only a policy that passed the evaluation gate of D (bin/kindling evaluate) is published,"
          + " with the gate's figures in the manifest. A failed gate blocks it: nothing is"
          + " written, LATEST stays, the failed checks are printed on stderr and the exit code is"
          + " 0 (a decision, not a failure). Without a gate decision publish refuses (exit 1)"
          + " unless publish.allow-unevaluated=true, which records the gate as not_evaluated."
          + " Needs train, replay, evaluate and allocate of the run date."
    })
final class PublishCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    PublishConfig publish = PublishConfig.from(config, date.runDate());
    PublishResult result =
        Stage.run("kindling-publish", config, spark -> new PublishJob(spark, publish).run());
    if (!result.published()) {
      System.err.println(
          "kindling: publish "
              + result.runDate()
              + " blocked by the evaluation gate: "
              + result.blockedBecause());
    }
    System.out.println(result);
    return 0;
  }
}
