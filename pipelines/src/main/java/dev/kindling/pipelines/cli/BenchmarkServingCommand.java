package dev.kindling.pipelines.cli;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.bench.ServingBenchmark;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.util.List;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kindling benchmark serving}: the serving client's act latency, p50 and p99. */
@Command(
    name = "serving",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark PolicyClient.act on one thread: a policy artifact of the configured shape (the"
          + " observation of the configured scenarios, replay.history-steps, replay.action-length,"
          + " fresh seeded networks) is published to a temporary directory and loaded; after a"
          + " warm-up each call is timed alone and p50, p99 and max are printed, beside DL4J's own"
          + " one-row ComputationGraph.output on the same inputs and the largest difference. Then"
          + " the same for an artifact whose actors read the behaviour-sequence encoder"
          + " (embeddings.dimension, replay.encoder.recent-steps), act given each request's recent"
          + " interactions.",
      "Needs no Spark session and no lakehouse; writes only a temporary directory."
    })
final class BenchmarkServingCommand implements Callable<Integer> {

  private static final int DEFAULT_CALLS = 20_000;
  private static final int DEFAULT_WARM_UP = 20_000;
  private static final int DEFAULT_NETWORK_CALLS = 2_000;
  private static final int DEFAULT_ITEMS = 10_000;
  private static final int DEFAULT_INTERACTIONS = 100;
  private static final long SEED = 7L;

  @Mixin CommonOptions common;

  @Option(
      names = "--calls",
      description = "Timed act calls (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_CALLS)
  int calls;

  @Option(
      names = "--warm-up",
      description = "Untimed calls first (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_WARM_UP)
  int warmUp;

  @Option(
      names = "--network-calls",
      description =
          "Timed one-row ComputationGraph.output calls for comparison (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_NETWORK_CALLS)
  int networkCalls;

  @Option(
      names = "--items",
      description =
          "Item vectors shipped by the encoder policy's artifact (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_ITEMS)
  int items;

  @Option(
      names = "--interactions",
      description =
          "Recent interactions given with each request to the encoder policy, newest first"
              + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_INTERACTIONS)
  int interactions;

  @Override
  public Integer call() {
    if (items < 1 || interactions < 0) {
      throw Errors.of(
          "benchmark serving needs --items of at least 1 and --interactions of at least 0, got "
              + items
              + " and "
              + interactions
              + ".",
          "The encoder policy's artifact ships that many item vectors.",
          "Pass --items 1 or more and --interactions 0 or more.");
    }
    KindlingConfig config = common.load();
    List<String> scenarios = config.get(ConfigKeys.SCENARIOS);
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    NetworkShape shape =
        NetworkShape.of(
            ObservationSpec.length(scenarios),
            config.get(ConfigKeys.REPLAY_ACTION_LENGTH),
            config.get(ConfigKeys.REPLAY_HISTORY_STEPS),
            scenarios.size(),
            SEED);
    EncoderShape encoder =
        EncoderShape.of(
            config.get(ConfigKeys.EMBEDDINGS_DIMENSION),
            config.get(ConfigKeys.REPLAY_ENCODER_RECENT_STEPS));
    new ServingBenchmark(shape, scenarios, warmUp, calls, Math.max(1, networkCalls), System.out)
        .withEncoder(encoder, items, interactions)
        .run();
    return 0;
  }
}
