package dev.kindling.agents.serving;

import dev.kindling.agents.nets.EncoderInputs;
import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Networks;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.agents.replay.ObservationNormaliser;
import dev.kindling.agents.replay.ReplayBatches;
import dev.kindling.features.schema.ReplaySchema;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A policy artifact of the demo's shape (20 observation features, 6 ranking weights, the replay's
 * default 4 history steps, 2 scenarios) built without Spark jobs: fresh seeded networks saved with
 * {@link PolicyFiles}, a feature spec with uneven statistics (one constant feature), a quota file,
 * published with {@link PolicyArtifacts}; and raw request inputs with the network's own output for
 * them, through {@link ReplayBatches} as training sees them.
 */
final class ArtifactFixtures {

  static final List<String> SCENARIOS = List.of("feed", "search");
  static final int OBS = 20;
  static final int ACTION = 6;
  static final int STEPS = 4;
  static final NetworkShape SHAPE = NetworkShape.of(OBS, ACTION, STEPS, SCENARIOS.size(), 11L);
  static final Map<String, Long> QUOTAS = Map.of("item-1", 40L, "item-2", 7L);

  private ArtifactFixtures() {}

  /** The feature spec of the fixture: names f0..f19, uneven means and stds, f3 constant. */
  static ObservationNormaliser normaliser() {
    List<Row> spec = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < OBS; i++) {
      names.add("f" + i);
      spec.add(RowFactory.create("f" + i, i, 0.5 * i - 3.0, i == 3 ? 0.0 : 0.25 + 0.1 * i));
    }
    return ObservationNormaliser.fromFeatureSpec(spec, names);
  }

  /** Fresh seeded networks saved as a trained model under {@code dir}. */
  static Td3BcNetworks model(Path dir, LocalDate day, long seed) {
    Td3BcNetworks networks = Td3BcNetworks.fresh(SHAPE.withSeed(seed));
    PolicyFiles.save(
        dir,
        networks,
        PolicyFiles.metadata(
            3, day.toString(), SCENARIOS, SHAPE.withSeed(seed), Td3BcConfig.defaults()));
    return networks;
  }

  /**
   * Publishes the model of {@code day} (saved with seed {@code seed} on the first call for that
   * day) under {@code root}.
   */
  static PolicyArtifacts.Publication publish(
      Path work, Path root, LocalDate day, long seed, int keep) {
    Path model = work.resolve("models").resolve("dt=" + day);
    if (!java.nio.file.Files.isDirectory(model)) {
      // Saved once per day: a re-saved zip differs in its entries' timestamps.
      model(model, day, seed);
    }
    return publish(work.resolve("quotas"), root, day, model, keep, null);
  }

  /** Publishes {@code model} with the fixture's quotas (written under {@code quotaRoot}). */
  private static PolicyArtifacts.Publication publish(
      Path quotaRoot,
      Path root,
      LocalDate day,
      Path model,
      int keep,
      PolicyArtifacts.ItemVectorSource vectors) {
    Path quotas = quotaRoot.resolve("dt=" + day).resolve(QuotaFile.FILE_NAME);
    try {
      java.nio.file.Files.createDirectories(quotas.getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    QuotaFile.write(quotas, QUOTAS);
    return PolicyArtifacts.publish(
        root,
        new PolicyArtifacts.Request(
            day,
            model,
            quotas,
            normaliser().normalisation(),
            ArtifactManifest.GATE_NOT_EVALUATED,
            List.of(Map.of("round", 1, "critic_loss_1", 0.5)),
            Map.of(),
            "unknown",
            keep,
            vectors));
  }

  /** The encoder of the fixture's encoder policy: vectors of 3 values, the last 4 interactions. */
  static final EncoderShape ENCODER = EncoderShape.of(3, 4);

  /** The item vectors of the fixture's encoder policy: items i0..i7 (i8 and i9 are unknown). */
  static Map<String, float[]> itemVectors() {
    Random random = new Random(5L);
    Map<String, float[]> vectors = new LinkedHashMap<>();
    for (int item = 0; item < 8; item++) {
      vectors.put("i" + item, new float[] {random.nextFloat(), -random.nextFloat(), 0.5f});
    }
    return vectors;
  }

  /**
   * Saves fresh seeded encoder networks ({@link #ENCODER}) as the trained model under {@code dir}.
   */
  static Td3BcNetworks encoderModel(Path dir, LocalDate day, long seed) {
    NetworkShape shape = SHAPE.withEncoder(ENCODER).withSeed(seed);
    Td3BcNetworks networks = Td3BcNetworks.fresh(shape);
    PolicyFiles.save(
        dir,
        networks,
        PolicyFiles.metadata(1, day.toString(), SCENARIOS, shape, Td3BcConfig.defaults()));
    return networks;
  }

  /**
   * Publishes the encoder model of {@code day} (saved with seed {@code seed} on the first call for
   * that day) under {@code root}, with {@link #itemVectors()} as of item_embeddings 2024-01-06,
   * version 4.
   */
  static PolicyArtifacts.Publication publishEncoder(
      Path work, Path root, LocalDate day, long seed) {
    Path model = work.resolve("encoder-models").resolve("dt=" + day);
    if (!java.nio.file.Files.isDirectory(model)) {
      encoderModel(model, day, seed);
    }
    return publish(
        work.resolve("encoder-quotas"),
        root,
        day,
        model,
        3,
        new PolicyArtifacts.ItemVectorSource(
            new ItemVectorFile.Vectors(ENCODER.itemDimension(), itemVectors()),
            LocalDate.parse("2024-01-06"),
            4L));
  }

  /** 0..8 seeded interactions, newest first, over items i0..i9 (two of them unknown). */
  static List<SequenceInputs.Interaction> interactions(Random random) {
    List<SequenceInputs.Interaction> newestFirst = new ArrayList<>();
    int count = random.nextInt(9);
    for (int i = 0; i < count; i++) {
      newestFirst.add(
          new SequenceInputs.Interaction(
              "i" + random.nextInt(10), random.nextBoolean(), random.nextBoolean(), 2.0 * i));
    }
    return newestFirst;
  }

  /**
   * The encoder actor's own output for {@code request} and the user's {@code sequence}, fed as the
   * replay's encoder columns ({@code ReplayBatches.encoderBatch}): weights then exploration.
   */
  static float[] encoderNetworkOutput(
      Td3BcNetworks networks, Request request, SequenceInputs.Encoded sequence) {
    EncoderInputs columns =
        ReplayBatches.encoderBatch(List.of(encoderRow(sequence)), ENCODER).step();
    ComputationGraph actor = networks.actors().get(SCENARIOS.indexOf(request.scenario()));
    return Networks.act(actor, request.history(), request.obs(), columns).toFloatVector();
  }

  /**
   * One request: the raw observation, the raw recent steps (fewer than T for some), the agent and
   * the normalised network inputs of the same transition through {@link ReplayBatches}.
   */
  record Request(
      String scenario,
      float[] observation,
      float[][] recentSteps,
      INDArray history,
      INDArray obs) {}

  /** {@code count} seeded random requests, alternating scenarios, 0..T recent steps. */
  static List<Request> requests(int count, long seed) {
    Random random = new Random(seed);
    ReplayBatches batches = new ReplayBatches(SHAPE, SCENARIOS, normaliser());
    int features = SHAPE.historyFeatures();
    List<Request> requests = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String scenario = SCENARIOS.get(i % SCENARIOS.size());
      float[] observation = randomObservation(random);
      int given = i % (STEPS + 1);
      float[][] recent = new float[given][];
      for (int s = 0; s < given; s++) {
        recent[s] = new float[features];
        float[] obs = randomObservation(random);
        System.arraycopy(obs, 0, recent[s], 0, OBS);
        for (int a = 0; a < ACTION; a++) {
          recent[s][OBS + a] = random.nextFloat() / ACTION;
        }
        recent[s][features - 1] = random.nextFloat();
      }
      List<Float> flatHistory = new ArrayList<>();
      for (int s = 0; s < STEPS - given; s++) {
        for (int f = 0; f < features; f++) {
          flatHistory.add(0f);
        }
      }
      for (float[] step : recent) {
        for (float value : step) {
          flatHistory.add(value);
        }
      }
      List<Float> action = new ArrayList<>();
      for (int a = 0; a < ACTION; a++) {
        action.add(1f / ACTION);
      }
      TransitionBatch batch =
          batches.toBatch(
              List.of(
                  replayRow(
                      "r" + i,
                      scenario,
                      floats(observation),
                      flatHistory,
                      action,
                      0.1,
                      floats(observation),
                      flatHistory)));
      requests.add(
          new Request(scenario, observation, recent, batch.history(), batch.observation()));
    }
    return requests;
  }

  /** The actor's own output for {@code request}: weights then exploration. */
  static float[] networkOutput(Td3BcNetworks networks, Request request) {
    ComputationGraph actor = networks.actors().get(SCENARIOS.indexOf(request.scenario()));
    INDArray[] out = actor.output(false, request.history(), request.obs());
    float[] all = new float[ACTION + 1];
    System.arraycopy(out[0].toFloatVector(), 0, all, 0, ACTION);
    all[ACTION] = out[1].getFloat(0);
    return all;
  }

  /** The client's answer for {@code request}: weights then exploration. */
  static float[] clientOutput(PolicyClient client, Request request) {
    Action action = client.act(request.scenario(), request.observation(), request.recentSteps());
    float[] all = new float[ACTION + 1];
    System.arraycopy(action.weights(), 0, all, 0, ACTION);
    all[ACTION] = action.explorationProbability();
    return all;
  }

  static Map<String, Long> quotas() {
    return new LinkedHashMap<>(QUOTAS);
  }

  private static float[] randomObservation(Random random) {
    float[] obs = new float[OBS];
    for (int i = 0; i < OBS; i++) {
      obs[i] = (float) (random.nextGaussian() * 2.0 + i * 0.5 - 3.0);
    }
    return obs;
  }

  private static List<Float> floats(float[] values) {
    List<Float> list = new ArrayList<>();
    for (float value : values) {
      list.add(value);
    }
    return list;
  }

  /**
   * A replay row in ReplaySchema.SCHEMA order; the columns the conversion ignores are fillers, the
   * encoder columns null.
   */
  private static Row replayRow(
      String requestId,
      String agent,
      List<Float> obs,
      List<Float> history,
      List<Float> action,
      Double exploreProb,
      List<Float> nextObs,
      List<Float> nextHistory) {
    return RowFactory.create(
        Date.valueOf("2024-05-10"),
        0,
        "u",
        "u:2024-05-10",
        0,
        requestId,
        agent,
        new Timestamp(0L),
        obs,
        history,
        0,
        action,
        exploreProb,
        false,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        nextObs,
        nextHistory,
        null,
        true,
        List.of(),
        1,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * A replay row holding only {@code sequence} in its encoder columns (the step's and the next
   * step's): what {@code ReplayBatches.encoderBatch} reads.
   */
  static Row encoderRow(SequenceInputs.Encoded sequence) {
    Object[] values = new Object[ReplaySchema.SCHEMA.size()];
    for (String prefix : List.of("", "next_")) {
      values[ReplaySchema.SCHEMA.fieldIndex(prefix + ReplaySchema.ENCODER_RECENT)] =
          floats(sequence.recent());
      values[ReplaySchema.SCHEMA.fieldIndex(prefix + ReplaySchema.ENCODER_STEPS)] =
          sequence.steps();
      values[ReplaySchema.SCHEMA.fieldIndex(prefix + ReplaySchema.ENCODER_OLDER)] =
          floats(sequence.older());
    }
    values[ReplaySchema.SCHEMA.fieldIndex(ReplaySchema.REQUEST_ID)] = "r";
    return RowFactory.create(values);
  }
}
