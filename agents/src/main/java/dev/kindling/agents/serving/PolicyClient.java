package dev.kindling.agents.serving;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.features.replay.ObservationSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The serving tier's view of a published policy artifact ({@link PolicyArtifacts}): loads and
 * verifies a directory, then answers {@link #act} with one scenario's ranking weights and
 * exploration probability, and {@link #quota} with an item's heating quota. No Spark on the class
 * path: DL4J restores the actors once at load time, then every call runs a plain Java forward pass
 * over copied weights ({@code ActorForward}), equal to the network's own output within float
 * rounding.
 *
 * <p>Immutable after {@link #load}; {@link #act} is thread-safe without locks (each call works in
 * its own scratch arrays, the weights are only read). Costs: loading reads and hashes every file of
 * the artifact and restores one network per scenario (tens of milliseconds); a call costs a few
 * tens of microseconds with the default shape.
 *
 * <p>A policy whose actors read the behaviour-sequence encoder ships its item vectors ({@link
 * ItemVectorFile}); the client holds them in memory (about {@code 4 × E} bytes plus the id per
 * item) and builds each request's encoder inputs from the user's recent interactions with them
 * ({@link #act(String, float[], float[][], List)}).
 *
 * <p>The exploration protection period is enforced here, where the policy is served: for an
 * observation whose raw {@value ObservationSpec#IN_PROTECTION_PERIOD} feature is 1 (a new user in
 * the first days after sign-up) {@link #act} answers an exploration probability of exactly 0,
 * whatever the actor says. The actor's sigmoid output can approach 0 but never reach it, and the
 * rule (no exploration in a new user's first days) must hold exactly; the evaluation gate checks it
 * on this served output.
 */
public final class PolicyClient {

  private static final int LATEST_ATTEMPTS = 5;
  private static final long RETRY_PAUSE_MILLIS = 50L;

  /** A raw {@value ObservationSpec#IN_PROTECTION_PERIOD} at or above this is "in the period". */
  private static final float PROTECTED = 0.5f;

  private final Path directory;
  private final ArtifactManifest manifest;
  private final FeatureNormalisation normalisation;
  private final NetworkShape shape;
  private final Map<String, ActorForward> actors;
  private final Map<String, Long> quotas;
  private final int protectionFeature;
  private final SequenceInputs sequenceInputs;

  private PolicyClient(
      Path directory,
      ArtifactManifest manifest,
      Map<String, ActorForward> actors,
      Map<String, Long> quotas,
      SequenceInputs sequenceInputs) {
    this.directory = directory;
    this.sequenceInputs = sequenceInputs;
    this.manifest = manifest;
    this.normalisation = manifest.normalisation();
    this.shape = manifest.shape();
    this.actors = actors;
    this.quotas = quotas;
    this.protectionFeature = normalisation.names().indexOf(ObservationSpec.IN_PROTECTION_PERIOD);
  }

  /**
   * Loads the artifact directory {@code dir}: the manifest against its checksum and format version,
   * every file against its size and sha256 (nothing missing, nothing extra), then the actors and
   * the quota file.
   *
   * @throws PolicyArtifactException naming the file at fault and what to do
   */
  public static PolicyClient load(Path dir) {
    Path directory = dir.toAbsolutePath().normalize();
    PolicyArtifacts.Verified verified = PolicyArtifacts.readVerified(directory);
    ArtifactManifest manifest = verified.manifest();
    String fix = "Re-publish the run date " + manifest.runDate() + ".";
    NetworkShape shape = manifest.shape();
    if (manifest.scenarios().size() != shape.agents()
        || manifest.featureSpec().size() != shape.observationSize()) {
      throw new PolicyArtifactException(
          directory,
          ArtifactManifest.FILE_NAME,
          "lists "
              + manifest.scenarios().size()
              + " scenarios and "
              + manifest.featureSpec().size()
              + " features for a shape of "
              + shape.agents()
              + " agents and "
              + shape.observationSize()
              + " features",
          fix);
    }
    SequenceInputs sequenceInputs = null;
    if (shape.hasEncoder()) {
      sequenceInputs = sequenceInputs(directory, manifest, verified, fix);
    }
    Map<String, ActorForward> actors = new LinkedHashMap<>();
    for (int agent = 0; agent < shape.agents(); agent++) {
      String file = Td3BcNetworks.ACTOR_PREFIX + agent + PolicyFiles.NETWORK_EXTENSION;
      byte[] bytes = verified.files().get(file);
      if (bytes == null) {
        throw new PolicyArtifactException(directory, file, "is missing", fix);
      }
      try {
        ComputationGraph graph =
            ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false);
        actors.put(manifest.scenarios().get(agent), new ActorForward(graph, shape));
      } catch (IOException | RuntimeException e) {
        throw new PolicyArtifactException(
            directory, file, "does not restore as an actor: " + e.getMessage(), fix, e);
      }
    }
    String quotaName = manifest.quotas().file();
    byte[] quotaBytes = verified.files().get(quotaName);
    if (quotaBytes == null) {
      throw new PolicyArtifactException(directory, quotaName, "is missing", fix);
    }
    Map<String, Long> quotas;
    try {
      quotas = new HashMap<>(QuotaFile.read(new ByteArrayInputStream(quotaBytes)));
    } catch (IOException e) {
      throw new PolicyArtifactException(
          directory, quotaName, "cannot be read: " + e.getMessage(), fix, e);
    }
    return new PolicyClient(
        directory, manifest, Map.copyOf(actors), Map.copyOf(quotas), sequenceInputs);
  }

  /** The encoder inputs builder over the artifact's item vectors, checked against the shape. */
  private static SequenceInputs sequenceInputs(
      Path directory, ArtifactManifest manifest, PolicyArtifacts.Verified verified, String fix) {
    EncoderShape encoder = manifest.shape().encoder();
    ArtifactManifest.ItemVectors entry = manifest.itemVectors();
    if (entry == null) {
      throw new PolicyArtifactException(
          directory,
          ArtifactManifest.FILE_NAME,
          "describes actors that read a behaviour-sequence encoder ("
              + encoder
              + ") but lists no item vectors",
          fix);
    }
    byte[] bytes = verified.files().get(entry.file());
    if (bytes == null) {
      throw new PolicyArtifactException(directory, entry.file(), "is missing", fix);
    }
    ItemVectorFile.Vectors vectors;
    try {
      vectors = ItemVectorFile.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new PolicyArtifactException(
          directory, entry.file(), "cannot be read: " + e.getMessage(), fix, e);
    }
    if (vectors.dimension() != encoder.itemDimension()
        || vectors.vectors().size() != entry.items()) {
      throw new PolicyArtifactException(
          directory,
          entry.file(),
          "holds "
              + vectors.vectors().size()
              + " vectors of "
              + vectors.dimension()
              + " values; the manifest lists "
              + entry.items()
              + " and the encoder reads "
              + encoder.itemDimension(),
          fix);
    }
    return new SequenceInputs(encoder, vectors::get);
  }

  /**
   * A client of a trained but unpublished policy directory ({@link PolicyFiles} layout, e.g. {@code
   * models/dt=D}) with the feature spec it was trained with, serving exactly as a published
   * artifact of it would (same forward pass, same normalisation, same protection rule); for
   * evaluating a candidate before it is published. It has no quotas, and its manifest describes the
   * model only (gate {@link ArtifactManifest#GATE_NOT_EVALUATED}, no files). Cost: one load of the
   * policy directory (checksums and restore of every network).
   *
   * @throws PolicyFiles.PolicyFileException when the directory is not a complete policy
   * @throws IllegalArgumentException when the feature spec does not fit the policy's shape
   */
  public static PolicyClient fromModel(Path modelDirectory, FeatureNormalisation normalisation) {
    PolicyFiles.Policy policy = PolicyFiles.load(modelDirectory);
    PolicyFiles.Metadata metadata = policy.metadata();
    NetworkShape shape = metadata.shape();
    if (normalisation.size() != shape.observationSize()) {
      throw new IllegalArgumentException(
          "the policy in "
              + policy.directory()
              + " reads "
              + shape.observationSize()
              + " observation features but the feature spec has "
              + normalisation.size());
    }
    Map<String, ActorForward> actors = new LinkedHashMap<>();
    for (int agent = 0; agent < shape.agents(); agent++) {
      actors.put(
          metadata.scenarios().get(agent),
          new ActorForward(policy.networks().actors().get(agent), shape));
    }
    ArtifactManifest manifest =
        new ArtifactManifest(
            ArtifactManifest.FORMAT_VERSION,
            metadata.runDate(),
            null,
            "unknown",
            metadata.scenarios(),
            shape,
            ArtifactManifest.featureSpec(normalisation),
            ArtifactManifest.GATE_NOT_EVALUATED,
            List.of(),
            Map.of(),
            new ArtifactManifest.Quotas(QuotaFile.FILE_NAME, 0, 0),
            Map.of(),
            null);
    return new PolicyClient(policy.directory(), manifest, Map.copyOf(actors), Map.of(), null);
  }

  /**
   * Loads the artifact that {@value PolicyArtifacts#LATEST} under {@code root} names. A load that
   * fails while a publication replaces that directory (files renamed away mid-read) is retried up
   * to {@value #LATEST_ATTEMPTS} times, re-reading {@value PolicyArtifacts#LATEST} each time.
   *
   * @throws PolicyArtifactException when there is no {@value PolicyArtifacts#LATEST} or the named
   *     artifact keeps failing verification (the last failure)
   */
  public static PolicyClient loadLatest(Path root) {
    PolicyArtifactException last = null;
    for (int attempt = 0; attempt < LATEST_ATTEMPTS; attempt++) {
      String name = PolicyArtifacts.latest(root);
      if (name == null) {
        throw new PolicyArtifactException(
            root,
            PolicyArtifacts.LATEST,
            "is missing: nothing has been published there",
            "Run 'bin/kindling publish --run-date D' first.");
      }
      try {
        return load(root.resolve(name));
      } catch (PolicyArtifactException e) {
        last = e;
        try {
          Thread.sleep(RETRY_PAUSE_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
    throw last;
  }

  /** The directory the artifact was loaded from. */
  public Path directory() {
    return directory;
  }

  /** The artifact's manifest. */
  public ArtifactManifest manifest() {
    return manifest;
  }

  /** The scenarios, in agent order. */
  public List<String> scenarios() {
    return manifest.scenarios();
  }

  /** The network shape (observation size, action size, history steps). */
  public NetworkShape shape() {
    return shape;
  }

  /**
   * Scenario {@code scenario}'s action for a request, from raw (unnormalised) inputs built exactly
   * as the replay builds a transition's {@code obs} and {@code history}:
   *
   * <ul>
   *   <li>{@code observation}: the raw observation, {@code observationSize} floats in the order of
   *       the manifest's feature spec;
   *   <li>{@code recentSteps}: the user's previous steps of the day across scenarios, oldest first,
   *       each the raw observation then the ranking weights used then the exploration probability
   *       ({@code observationSize + actionSize + 1} floats; an unlogged probability as 0); fewer
   *       than T ({@code historySteps}) are padded at the front with zero steps, more are cut to
   *       the last T.
   * </ul>
   *
   * The observation part of every step and the observation are normalised with the feature spec
   * ({@link FeatureNormalisation}), padding included, exactly as {@code ReplayBatches} does; the
   * actor then reads the history as its {@code [historyFeatures, T]} input. Where the raw
   * observation's {@value ObservationSpec#IN_PROTECTION_PERIOD} is 1 the exploration probability is
   * 0 (see the class comment).
   *
   * @throws IllegalArgumentException for an unknown scenario or inputs of the wrong length
   */
  public Action act(String scenario, float[] observation, float[][] recentSteps) {
    return act(scenario, observation, recentSteps, (SequenceInputs.Encoded) null);
  }

  /**
   * Scenario {@code scenario}'s action for a request (see {@link #act(String, float[], float[][])})
   * by a policy whose actors may read the behaviour-sequence encoder ({@link
   * NetworkShape#hasEncoder()}): {@code sequence} is the user's recent interactions as {@link
   * SequenceInputs#of} builds them, the same inputs the replay's encoder columns hold. Required
   * when the policy has an encoder, ignored when it has none.
   *
   * @throws IllegalArgumentException for an unknown scenario, inputs of the wrong length, or no
   *     sequence for a policy with an encoder
   */
  public Action act(
      String scenario,
      float[] observation,
      float[][] recentSteps,
      SequenceInputs.Encoded sequence) {
    ActorForward actor = actors.get(scenario);
    if (actor == null) {
      throw new IllegalArgumentException(
          "unknown scenario '" + scenario + "'; this policy serves " + manifest.scenarios());
    }
    float[] obs = normalisedObservation(observation);
    float[] history = normalisedHistory(recentSteps);
    float[] weights = new float[shape.actionSize()];
    float explore = actor.act(history, obs, sequence, weights);
    if (protectedUser(observation)) {
      explore = 0f;
    }
    return new Action(scenario, weights, explore);
  }

  /**
   * Scenario {@code scenario}'s action for a request (see {@link #act(String, float[], float[][])})
   * by a published policy whose actors read the behaviour-sequence encoder: {@code
   * recentInteractions} is the user's interactions before the request, newest first (each
   * impression with its click, completion and age), which the client turns into the encoder's
   * inputs with the artifact's item vectors exactly as the replay did ({@link SequenceInputs}).
   * Items without a vector (newer than the vectors' table) read as zeros. Ignored when the policy
   * has no encoder.
   *
   * @throws IllegalArgumentException as {@link #act(String, float[], float[][],
   *     SequenceInputs.Encoded)}, and for a client built with {@link #fromModel}, which has no item
   *     vectors
   */
  public Action act(
      String scenario,
      float[] observation,
      float[][] recentSteps,
      List<SequenceInputs.Interaction> recentInteractions) {
    if (!shape.hasEncoder()) {
      return act(scenario, observation, recentSteps, (SequenceInputs.Encoded) null);
    }
    if (sequenceInputs == null) {
      throw new IllegalArgumentException(
          "this client of an unpublished policy has no item vectors; pass the encoder inputs"
              + " (SequenceInputs.Encoded) instead, or load the published artifact");
    }
    return act(scenario, observation, recentSteps, sequenceInputs.of(recentInteractions));
  }

  /** Every scenario's action for the same inputs (see {@link #act}), in agent order. */
  public Map<String, Action> actAll(float[] observation, float[][] recentSteps) {
    float[] obs = normalisedObservation(observation);
    float[] history = normalisedHistory(recentSteps);
    Map<String, Action> all = new LinkedHashMap<>();
    for (Map.Entry<String, ActorForward> actor : orderedActors()) {
      float[] weights = new float[shape.actionSize()];
      float explore = actor.getValue().act(history, obs, null, weights);
      if (protectedUser(observation)) {
        explore = 0f;
      }
      all.put(actor.getKey(), new Action(actor.getKey(), weights, explore));
    }
    return all;
  }

  /**
   * Whether the raw observation is of a user in the exploration protection period (its {@value
   * ObservationSpec#IN_PROTECTION_PERIOD} feature at least 0.5); false when the policy's feature
   * spec has no such feature.
   */
  public boolean protectedUser(float[] observation) {
    return protectionFeature >= 0 && observation[protectionFeature] >= PROTECTED;
  }

  /** The heated impressions of {@code itemId} for the artifact's day; 0 for an item not listed. */
  public long quota(String itemId) {
    return quotas.getOrDefault(itemId, 0L);
  }

  /** The number of items with a quota. */
  public int quotaItems() {
    return quotas.size();
  }

  private List<Map.Entry<String, ActorForward>> orderedActors() {
    List<Map.Entry<String, ActorForward>> ordered = new ArrayList<>();
    for (String scenario : manifest.scenarios()) {
      ordered.add(Map.entry(scenario, actors.get(scenario)));
    }
    return ordered;
  }

  private float[] normalisedObservation(float[] observation) {
    int size = shape.observationSize();
    if (observation.length != size) {
      throw new IllegalArgumentException(
          "the observation has "
              + observation.length
              + " features, this policy reads "
              + size
              + " "
              + normalisation.names());
    }
    float[] obs = new float[size];
    for (int i = 0; i < size; i++) {
      obs[i] = normalisation.normalise(i, observation[i]);
    }
    return obs;
  }

  /** The history input, step-major: {@code history[t * historyFeatures + f]}, oldest first. */
  private float[] normalisedHistory(float[][] recentSteps) {
    int steps = shape.historySteps();
    int features = shape.historyFeatures();
    int observationSize = shape.observationSize();
    float[] history = new float[steps * features];
    int given = Math.min(recentSteps.length, steps);
    int padding = steps - given;
    for (int t = 0; t < steps; t++) {
      float[] step = t < padding ? null : recentSteps[recentSteps.length - given + t - padding];
      if (step != null && step.length != features) {
        throw new IllegalArgumentException(
            "a recent step has "
                + step.length
                + " values; each must be the observation, the ranking weights and the exploration"
                + " probability: "
                + features);
      }
      for (int f = 0; f < features; f++) {
        float raw = step == null ? 0f : step[f];
        history[t * features + f] = f < observationSize ? normalisation.normalise(f, raw) : raw;
      }
    }
    return history;
  }
}
