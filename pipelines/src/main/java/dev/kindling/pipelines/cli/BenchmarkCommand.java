package dev.kindling.pipelines.cli;

import dev.kindling.pipelines.bench.FeaturesBenchmark;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kindling benchmark features}: prints the features stage's time against a baseline. */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchmarkTrainingCommand.class,
      BenchmarkServingCommand.class,
      BenchmarkAllocationCommand.class
    },
    description = {
      "Benchmark the features stage on simulated logs: its time and the time of a bare Spark"
          + " scan + groupBy of the same events and columns, side by side, as a ratio.",
      "Writes a fresh lakehouse under --root (default: a new temporary directory).",
      "'benchmark training' compares the Spark and the single-JVM trainers instead;"
          + " 'benchmark serving' times the serving client's act;"
          + " 'benchmark allocation' times the allocate stage against a bare Spark sort."
    })
final class BenchmarkCommand implements Callable<Integer> {

  private static final long DEFAULT_EVENTS = 10_000_000L;

  @Mixin CommonOptions common;

  @Option(
      names = "--events",
      description = "Events in the features window (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_EVENTS)
  long events;

  @Option(names = "--root", description = "Lakehouse root for the benchmark's data.")
  Path root;

  @Option(
      names = "--reuse",
      description = "Keep the logs an earlier run left under --root if they cover the window.")
  boolean reuse;

  @Override
  public Integer call() throws Exception {
    Path dir = root != null ? root : Files.createTempDirectory("kindling-bench");
    common.overrides.add(ConfigKeys.LAKEHOUSE_ROOT.path() + "=" + dir.toAbsolutePath());
    KindlingConfig config = common.load();
    System.out.println("benchmark lakehouse: " + dir.toAbsolutePath());
    Stage.run(
        "kindling-benchmark",
        config,
        spark -> new FeaturesBenchmark(spark, config, events, reuse, System.out).run());
    return 0;
  }
}
