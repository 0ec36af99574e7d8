package dev.kindling.pipelines.cli;

import dev.kindling.agents.system.AllocationParams;
import dev.kindling.pipelines.bench.AllocationBenchmark;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.jobs.AllocateConfig;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kindling benchmark allocation}: the allocate stage's core on synthetic cold items against
 * a bare Spark sort of the same rows, as a ratio.
 */
@Command(
    name = "allocation",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark the system agent's allocation on --items synthetic cold items (10 per creator,"
          + " 1% fraud-zeroed): collect, allocate, build the heating_quotas rows into a noop write;"
          + " against orderBy(score desc) of the same cached rows into a noop write. One warm-up,"
          + " then 3 interleaved runs each; the best counts.",
      "The pool is sized so that every floor fits and the rest is shared by priority: budget ="
          + " 2 x allocate.floor-quota x items, traffic = budget / allocate.heating-cap. Writes"
          + " nothing."
    })
final class BenchmarkAllocationCommand implements Callable<Integer> {

  private static final long DEFAULT_ITEMS = 1_000_000L;
  private static final long POOL_PER_FLOOR = 2;

  @Mixin CommonOptions common;

  @Option(
      names = "--items",
      description = "Cold items to allocate (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_ITEMS)
  long items;

  @Override
  public Integer call() {
    KindlingConfig config = common.load();
    AllocateConfig allocate = AllocateConfig.from(config, LocalDate.now());
    long floor = Math.max(1, allocate.floorQuota());
    long budget = POOL_PER_FLOOR * floor * items;
    long traffic =
        allocate.heatingCap() > 0 ? (long) Math.ceil(budget / allocate.heatingCap()) : budget;
    AllocationParams params =
        new AllocationParams(
            budget,
            allocate.heatingCap(),
            traffic,
            floor,
            allocate.creatorCapShare(),
            allocate.creatorCapImpressions(),
            allocate.configuredWeights());
    Stage.run(
        "kindling-benchmark-allocation",
        config,
        spark -> new AllocationBenchmark(spark, items, params, System.out).run());
    return 0;
  }
}
