package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.DemoConfig;
import dev.kindling.pipelines.jobs.DemoJob;
import dev.kindling.pipelines.jobs.DemoResult;
import dev.kindling.pipelines.jobs.NightlyConfig;
import dev.kindling.pipelines.jobs.NightlyJob;
import dev.kindling.pipelines.jobs.NightlyResult;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kindling nightly}: every stage for one date in one JVM, or the whole demo. */
@Command(
    name = "nightly",
    mixinStandardHelpOptions = true,
    description = {
      "Run every stage for one run date in one JVM, in order: validate, features, embeddings,"
          + " replay, train, evaluate, score-cold-start, allocate, publish (a policy the gate blocks is not"
          + " published; the run goes on).",
      "--demo simulates the demo days into lakehouse.root (unless already there) and runs the"
          + " nightly job for each simulated day."
    })
final class NightlyCommand implements Callable<Integer> {

  @Mixin CommonOptions common;

  @Option(
      names = "--run-date",
      paramLabel = "yyyy-MM-dd",
      description = "The date to process (required unless --demo).")
  LocalDate runDate;

  @Option(names = "--demo", description = "Simulate demo logs if needed and run every demo day.")
  boolean demo;

  @Override
  public Integer call() {
    if (demo == (runDate != null)) {
      throw new KindlingException(
          "nightly needs exactly one of --run-date yyyy-MM-dd or --demo. Use --run-date for"
              + " production data, --demo for the simulated demo.");
    }
    KindlingConfig config = common.load();
    if (demo) {
      DemoConfig demoConfig = DemoConfig.from(config);
      DemoResult result =
          Stage.run("kindling-nightly-demo", config, spark -> new DemoJob(spark, demoConfig).run());
      printDemo(config, demoConfig, result);
    } else {
      NightlyConfig nightly = NightlyConfig.from(config, runDate);
      NightlyResult result =
          Stage.run("kindling-nightly", config, spark -> new NightlyJob(spark, nightly).run());
      reportBlocked(result);
      System.out.println(result);
    }
    return 0;
  }

  /** Says on stderr why the gate blocked a night's policy, as {@code publish} does. */
  private static void reportBlocked(NightlyResult night) {
    if (!night.publish().published()) {
      System.err.println(
          "kindling: publish "
              + night.runDate()
              + " blocked by the evaluation gate: "
              + night.publish().blockedBecause());
    }
  }

  private static void printDemo(KindlingConfig config, DemoConfig demo, DemoResult result) {
    String root = config.get(ConfigKeys.LAKEHOUSE_ROOT);
    System.out.println("Kindling demo in " + root);
    System.out.println(
        result.simulated() == null
            ? "  raw logs were already there; not simulated again"
            : "  " + result.simulated());
    for (NightlyResult night : result.nights()) {
      reportBlocked(night);
      System.out.println("  " + night.validate());
      System.out.println("  " + night.features());
      System.out.println("  " + night.embeddings());
      System.out.println("  " + night.replay());
      System.out.println("  " + night.train());
      System.out.println("  " + night.evaluate());
      System.out.println("  " + night.scoreColdStart());
      System.out.println("  " + night.allocate());
      System.out.println("  " + night.publish());
      System.out.println("  nightly " + night.runDate() + " stage times: " + night.stageTimes());
    }
    LocalDate last = demo.simulate().lastDate();
    System.out.printf(
        "  item exposure Gini on %s (lifetime exposure, content_state): %.3f%n",
        last, result.lastDayExposureGini());
    if (result.report() != null) {
      System.out.println("  " + result.report());
      System.out.println("The evaluation report (open it in a browser, no network needed):");
      System.out.println("  " + result.report().path());
    } else {
      System.out.println(
          "  no evaluation table yet (the evaluate stage and simulate-loop write it): no report");
    }
    System.out.println("Look at the tables:");
    System.out.println(
        "  bin/kindling sql \"SELECT count(*) FROM user_mind_state WHERE dt = '" + last + "'\"");
    System.out.println(
        "  bin/kindling sql \"SELECT is_cold, count(*), sum(exposure) FROM content_state WHERE dt"
            + " = '"
            + last
            + "' GROUP BY is_cold\"");
    System.out.println(
        "  bin/kindling sql \"SELECT round, critic_loss_1, critic_loss_2, actor_loss, mean_q,"
            + " transitions_per_second FROM training_runs WHERE dt = '"
            + last
            + "' ORDER BY round\"");
    System.out.println(
        "  bin/kindling sql \"SELECT policy, metric, estimator, value, lower, upper FROM evaluation"
            + " WHERE dt = '"
            + last
            + "' AND run = 'evaluate' AND kind IN ('off_policy', 'gate') ORDER BY kind, metric,"
            + " policy\"");
    System.out.println(
        "  bin/kindling sql \"SELECT reason, count(*), sum(quota) FROM heating_quotas WHERE dt = '"
            + last
            + "' GROUP BY reason\"");
    System.out.println(
        "  the published policy: "
            + root
            + "/artifacts/policy/LATEST names its directory under "
            + root
            + "/artifacts/policy/ (manifest.json lists every file)");
  }
}
