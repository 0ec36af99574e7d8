package dev.kindling.pipelines.bench;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.serving.Action;
import dev.kindling.agents.serving.ArtifactManifest;
import dev.kindling.agents.serving.FeatureNormalisation;
import dev.kindling.agents.serving.ItemVectorFile;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.serving.QuotaFile;
import dev.kindling.agents.serving.SequenceInputs;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The serving client's {@link PolicyClient#act} latency on one thread: a policy artifact of a given
 * shape (fresh seeded networks, published as the publish stage does) is loaded, act is called on
 * seeded random raw inputs for a warm-up, then each of the timed calls is timed alone; p50, p99 and
 * the maximum are printed, with the same figures of DL4J's own one-row {@code
 * ComputationGraph.output} on the same inputs for comparison and the largest difference between the
 * two answers. {@link #withEncoder} adds the same figures for an artifact whose actors read the
 * behaviour-sequence encoder, measured in the same run.
 *
 * <p>Not a test: it prints figures and asserts nothing. Costs: writing one artifact of a few MB to
 * a temporary directory, then warm-up + timed calls of each.
 */
public final class ServingBenchmark {

  private static final long SEED = 17L;
  private static final int INPUTS = 1024;
  private static final double NANOS_PER_MICRO = 1e3;
  private static final double P50 = 0.50;
  private static final double P99 = 0.99;

  private final NetworkShape shape;
  private final List<String> scenarios;
  private final int warmUp;
  private final int calls;
  private final int networkCalls;
  private final PrintStream out;
  private EncoderShape encoder;
  private int items;
  private int interactions;
  private float checksum;

  /**
   * A benchmark of an artifact of {@code shape} for {@code scenarios}.
   *
   * @param shape the networks' shape (observation size, action size, history steps, agents)
   * @param scenarios the scenarios, one per agent
   * @param warmUp untimed calls first
   * @param calls timed act calls
   * @param networkCalls timed one-row {@code ComputationGraph.output} calls (slower)
   * @param out where the figures go
   */
  public ServingBenchmark(
      NetworkShape shape,
      List<String> scenarios,
      int warmUp,
      int calls,
      int networkCalls,
      PrintStream out) {
    this.shape = shape;
    this.scenarios = List.copyOf(scenarios);
    this.warmUp = warmUp;
    this.calls = calls;
    this.networkCalls = networkCalls;
    this.out = out;
  }

  /**
   * Also measures, after the plain artifact, an artifact of the same shape whose actors read the
   * behaviour-sequence encoder {@code encoderShape}, shipping {@code itemCount} random item
   * vectors, with act given {@code interactionCount} interactions per request (more than N, so the
   * older summary is computed too).
   */
  public ServingBenchmark withEncoder(
      EncoderShape encoderShape, int itemCount, int interactionCount) {
    this.encoder = encoderShape;
    this.items = itemCount;
    this.interactions = interactionCount;
    return this;
  }

  /** Publishes the artifact under a temporary directory, measures, prints, and cleans up. */
  public void run() {
    Path work;
    try {
      work = Files.createTempDirectory("kindling-serving-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      measure(work);
    } finally {
      PolicyFiles.delete(work);
    }
  }

  private void measure(Path work) {
    LocalDate day = LocalDate.of(2024, 1, 7);
    Td3BcNetworks networks = Td3BcNetworks.fresh(shape);
    Path model = work.resolve("models/dt=" + day);
    PolicyFiles.save(
        model,
        networks,
        PolicyFiles.metadata(1, day.toString(), scenarios, shape, Td3BcConfig.defaults()));
    Path quotas = work.resolve(QuotaFile.FILE_NAME);
    QuotaFile.write(quotas, Map.of("item-1", 10L));
    List<String> names = new ArrayList<>();
    double[] means = new double[shape.observationSize()];
    double[] stds = new double[shape.observationSize()];
    for (int i = 0; i < means.length; i++) {
      names.add("f" + i);
      means[i] = 0.1 * i;
      stds[i] = 1.0 + 0.05 * i;
    }
    FeatureNormalisation normalisation = new FeatureNormalisation(names, means, stds);
    Path root = work.resolve("artifacts/policy");
    publish(root, day, model, quotas, normalisation, null);
    long loadStart = System.nanoTime();
    PolicyClient client = PolicyClient.loadLatest(root);
    double loadMillis = (System.nanoTime() - loadStart) / 1e6;

    Random random = new Random(SEED);
    float[][] observations = new float[INPUTS][];
    float[][][] histories = new float[INPUTS][][];
    for (int i = 0; i < INPUTS; i++) {
      observations[i] = randoms(random, shape.observationSize());
      histories[i] = new float[shape.historySteps()][];
      for (int t = 0; t < shape.historySteps(); t++) {
        histories[i][t] = randoms(random, shape.historyFeatures());
      }
    }
    String scenario = scenarios.get(0);
    out.printf(
        Locale.ROOT,
        "serving benchmark: %d observation features, %d ranking weights, %d history steps, %d"
            + " scenarios; artifact load %.1f ms%n",
        shape.observationSize(),
        shape.actionSize(),
        shape.historySteps(),
        scenarios.size(),
        loadMillis);

    print(
        "PolicyClient.act (plain Java forward pass)",
        timeActs(i -> client.act(scenario, observations[i], histories[i])));

    ComputationGraph actor = networks.actors().get(0);
    float sink = 0f;
    int networkWarmUp = Math.min(warmUp, networkCalls);
    double worst = 0.0;
    for (int i = 0; i < networkWarmUp; i++) {
      sink +=
          networkOutput(
              actor, client, normalisation, observations[i % INPUTS], histories[i % INPUTS])[0];
    }
    long[] networkNanos = new long[networkCalls];
    for (int i = 0; i < networkCalls; i++) {
      float[] obs = observations[i % INPUTS];
      float[][] history = histories[i % INPUTS];
      long start = System.nanoTime();
      float[] expected = networkOutput(actor, client, normalisation, obs, history);
      networkNanos[i] = System.nanoTime() - start;
      float[] actual = client.act(scenario, obs, history).weights();
      for (int k = 0; k < actual.length; k++) {
        worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
      }
    }
    print("ComputationGraph.output, one row (inputs built and read back included)", networkNanos);
    out.printf(
        Locale.ROOT,
        "largest |act - network| over %d calls: %.2e (checksum %.3f)%n",
        networkCalls,
        worst,
        sink + checksum);
    if (encoder != null) {
      measureEncoder(work, day, quotas, normalisation, observations, histories);
    }
  }

  /**
   * The same requests served by an artifact of the same shape whose actors read the encoder, each
   * with {@link #interactions} random interactions over {@link #items} items (a tenth of them
   * unknown to the vectors).
   */
  private void measureEncoder(
      Path work,
      LocalDate day,
      Path quotas,
      FeatureNormalisation normalisation,
      float[][] observations,
      float[][][] histories) {
    NetworkShape encoderShape = shape.withEncoder(encoder);
    Path model = work.resolve("encoder-models/dt=" + day);
    PolicyFiles.save(
        model,
        Td3BcNetworks.fresh(encoderShape),
        PolicyFiles.metadata(1, day.toString(), scenarios, encoderShape, Td3BcConfig.defaults()));
    Random random = new Random(SEED + 1);
    Map<String, float[]> vectors = new HashMap<>();
    for (int i = 0; i < items; i++) {
      vectors.put("item-" + i, randoms(random, encoder.itemDimension()));
    }
    Path root = work.resolve("artifacts/encoder-policy");
    publish(
        root,
        day,
        model,
        quotas,
        normalisation,
        new PolicyArtifacts.ItemVectorSource(
            new ItemVectorFile.Vectors(encoder.itemDimension(), vectors), day, 0L));
    long loadStart = System.nanoTime();
    PolicyClient client = PolicyClient.loadLatest(root);
    double loadMillis = (System.nanoTime() - loadStart) / 1e6;
    List<List<SequenceInputs.Interaction>> requests = new ArrayList<>();
    for (int i = 0; i < INPUTS; i++) {
      List<SequenceInputs.Interaction> newestFirst = new ArrayList<>(interactions);
      for (int k = 0; k < interactions; k++) {
        newestFirst.add(
            new SequenceInputs.Interaction(
                "item-" + random.nextInt(items + items / 10),
                random.nextDouble() < 0.1,
                random.nextDouble() < 0.05,
                0.5 * k));
      }
      requests.add(newestFirst);
    }
    out.printf(
        Locale.ROOT,
        "with the behaviour-sequence encoder: N = %d recent steps, E = %d, %d heads, attention %d,"
            + " encoding %d; %d item vectors; %d interactions per request; artifact load %.1f"
            + " ms%n",
        encoder.recentSteps(),
        encoder.itemDimension(),
        encoder.heads(),
        encoder.attentionSize(),
        encoder.outputSize(),
        items,
        interactions,
        loadMillis);
    String scenario = scenarios.get(0);
    print(
        "PolicyClient.act with the encoder (inputs built from the interactions included)",
        timeActs(i -> client.act(scenario, observations[i], histories[i], requests.get(i))));
    out.printf(Locale.ROOT, "(checksum %.3f)%n", checksum);
  }

  /**
   * {@link #calls} timed calls of {@code act} on input {@code i % INPUTS}, each timed alone, after
   * {@link #warmUp} untimed ones; every answer's first weight goes into {@link #checksum} so the
   * calls cannot be optimised away.
   */
  private long[] timeActs(IntFunction<Action> act) {
    for (int i = 0; i < warmUp; i++) {
      checksum += act.apply(i % INPUTS).weight(0);
    }
    long[] nanos = new long[calls];
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      Action action = act.apply(i % INPUTS);
      nanos[i] = System.nanoTime() - start;
      checksum += action.weight(0);
    }
    return nanos;
  }

  /** Publishes {@code model} under {@code root} as the publish stage would, ungated. */
  private static void publish(
      Path root,
      LocalDate day,
      Path model,
      Path quotas,
      FeatureNormalisation normalisation,
      PolicyArtifacts.ItemVectorSource vectors) {
    PolicyArtifacts.publish(
        root,
        new PolicyArtifacts.Request(
            day,
            model,
            quotas,
            normalisation,
            ArtifactManifest.GATE_NOT_EVALUATED,
            List.of(),
            Map.of(),
            "benchmark",
            1,
            vectors));
  }

  /**
   * DL4J's answer: the normalised inputs as ND4J arrays, one output call, the weights read back.
   */
  private float[] networkOutput(
      ComputationGraph actor,
      PolicyClient client,
      FeatureNormalisation normalisation,
      float[] observation,
      float[][] recent) {
    int steps = shape.historySteps();
    int features = shape.historyFeatures();
    float[] obs = new float[observation.length];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = normalisation.normalise(i, observation[i]);
    }
    float[] history = new float[features * steps];
    for (int t = 0; t < steps; t++) {
      for (int f = 0; f < features; f++) {
        float raw = recent[t][f];
        history[f * steps + t] =
            f < shape.observationSize() ? normalisation.normalise(f, raw) : raw;
      }
    }
    INDArray[] outputs =
        actor.output(
            false,
            Nd4j.createFromArray(history).reshape('c', 1, features, steps),
            Nd4j.createFromArray(obs).reshape('c', 1, obs.length));
    return outputs[0].toFloatVector();
  }

  private void print(String what, long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    out.printf(
        Locale.ROOT,
        "%s: %d calls after warm-up, p50 %.1f us, p99 %.1f us, max %.1f us%n",
        what,
        sorted.length,
        percentile(sorted, P50) / NANOS_PER_MICRO,
        percentile(sorted, P99) / NANOS_PER_MICRO,
        sorted[sorted.length - 1] / NANOS_PER_MICRO);
  }

  private static double percentile(long[] sorted, double q) {
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)];
  }

  private static float[] randoms(Random random, int size) {
    float[] values = new float[size];
    for (int i = 0; i < size; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
