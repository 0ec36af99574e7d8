package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.EvaluateConfig;
import dev.kindling.pipelines.jobs.EvaluateJob;
import dev.kindling.pipelines.jobs.EvaluateResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code kindling evaluate}: off-policy evaluation of the run date's policy and its gate. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate the policy trained for D (models/dt=D) against the logging policy and the last"
          + " published one on D's replay: observed metrics of D's logs, IPS/SNIPS/DM/DR estimates"
          + " of the exploration decision with bootstrap intervals, fitted-Q evaluation of the"
          + " whole action, and the promotion gate (value, CTR loss, no exploration in the"
          + " protection period); written to the evaluation table as the rows of (D, run ="
          + " 'evaluate'), replacing those of an earlier run.",
      "Needs train, replay and validate of the run date. A failed gate is a result (exit 0):"
          + " publish reads it and does not publish the policy."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Mixin CommonOptions common;
  @Mixin RunDateOption date;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    EvaluateConfig evaluate = EvaluateConfig.from(config, date.runDate());
    EvaluateResult result =
        Stage.run("kindling-evaluate", config, spark -> new EvaluateJob(spark, evaluate).run());
    System.out.println(result);
    return 0;
  }
}
