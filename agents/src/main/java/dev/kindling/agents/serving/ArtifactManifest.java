package dev.kindling.agents.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kindling.agents.nets.NetworkShape;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@value #FILE_NAME} of a published policy artifact: what the directory holds and how to use
 * it. Every other file of the directory is listed in {@link #files()} with its size and sha256; the
 * manifest itself is covered by {@value #CHECKSUM_FILE} (its hex sha256), so a change to any byte
 * of any file is detected.
 *
 * @param formatVersion the artifact layout's version when written: {@link #FORMAT_VERSION}, or
 *     {@link #FORMAT_VERSION_ITEM_VECTORS} for an artifact that ships item vectors (so a client
 *     older than them refuses it by its version rather than failing on an unknown field)
 * @param runDate the run date ({@code yyyy-MM-dd}) of the policy
 * @param publishedAt when the artifact was written (ISO-8601 instant, UTC)
 * @param gitCommit the git commit of the build that published it, or {@code unknown}
 * @param scenarios the scenarios in agent order (actor k serves {@code scenarios.get(k)})
 * @param shape the networks' shape (observation size, action size, history steps, …)
 * @param featureSpec the observation features in order, with their normalisation statistics
 * @param gate the evaluation gate's outcome: {@link #GATE_PASSED} (the evaluate stage's decision
 *     for the run date passed; its checks and figures are in {@code evaluation}) or {@link
 *     #GATE_NOT_EVALUATED} (published without an evaluation, which only {@code
 *     publish.allow-unevaluated = true} permits); a policy that failed the gate is never published
 * @param training the training figures of the run date, one map per round (column → value)
 * @param evaluation the gate's figures: for each check of the {@code evaluation} table (kind {@code
 *     gate}, and the decision {@code gate}) its value (1 passed, 0 failed) and detail; empty when
 *     not evaluated
 * @param quotas the quota file and its totals
 * @param files every file of the directory but the manifest and its checksum, by name
 * @param itemVectors the item vectors of a policy whose actors read the behaviour-sequence encoder;
 *     absent (null, and left out of the JSON) otherwise
 */
public record ArtifactManifest(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("run_date") String runDate,
    @JsonProperty("published_at") String publishedAt,
    @JsonProperty("git_commit") String gitCommit,
    @JsonProperty("scenarios") List<String> scenarios,
    @JsonProperty("shape") NetworkShape shape,
    @JsonProperty("feature_spec") List<Feature> featureSpec,
    @JsonProperty("gate") String gate,
    @JsonProperty("training") List<Map<String, Object>> training,
    @JsonProperty("evaluation") Map<String, Object> evaluation,
    @JsonProperty("quotas") Quotas quotas,
    @JsonProperty("files") Map<String, FileEntry> files,
    @JsonProperty("item_vectors") @JsonInclude(JsonInclude.Include.NON_NULL)
        ItemVectors itemVectors) {

  /** Version of the artifact layout without item vectors. */
  public static final int FORMAT_VERSION = 1;

  /**
   * Version of the artifact layout with {@link #itemVectors()}; the newest {@link PolicyClient}
   * reads.
   */
  public static final int FORMAT_VERSION_ITEM_VECTORS = 2;

  /** Name of the manifest inside an artifact directory. */
  public static final String FILE_NAME = "manifest.json";

  /** Name of the file holding the manifest's hex sha256. */
  public static final String CHECKSUM_FILE = "manifest.json.sha256";

  /** Gate outcome of a policy that passed the evaluation stage's promotion gate. */
  public static final String GATE_PASSED = "passed";

  /** Gate outcome of a policy published without an evaluation (explicitly allowed by config). */
  public static final String GATE_NOT_EVALUATED = "not_evaluated";

  /** Copies the collections (files sorted by name); checks the required fields. */
  public ArtifactManifest {
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(gate, "gate");
    Objects.requireNonNull(quotas, "quotas");
    scenarios = List.copyOf(scenarios);
    featureSpec = List.copyOf(featureSpec);
    training = training == null ? List.of() : List.copyOf(training);
    evaluation = evaluation == null ? Map.of() : Map.copyOf(evaluation);
    files = files == null ? Map.of() : new TreeMap<>(files);
  }

  /** The Spark-free normalisation of the feature spec, in observation order. */
  public FeatureNormalisation normalisation() {
    double[] means = new double[featureSpec.size()];
    double[] stds = new double[featureSpec.size()];
    String[] names = new String[featureSpec.size()];
    for (Feature feature : featureSpec) {
      if (feature.position() < 0
          || feature.position() >= names.length
          || names[feature.position()] != null) {
        throw new IllegalArgumentException(
            "feature '" + feature.name() + "' has position " + feature.position() + ", not unique");
      }
      names[feature.position()] = feature.name();
      means[feature.position()] = feature.mean();
      stds[feature.position()] = feature.std();
    }
    return new FeatureNormalisation(List.of(names), means, stds);
  }

  /** The feature-spec entries of {@code normalisation}, in order. */
  public static List<Feature> featureSpec(FeatureNormalisation normalisation) {
    List<Feature> features = new java.util.ArrayList<>();
    for (int i = 0; i < normalisation.size(); i++) {
      features.add(
          new Feature(
              normalisation.names().get(i), i, normalisation.mean(i), normalisation.std(i)));
    }
    return features;
  }

  /**
   * One observation feature.
   *
   * @param name its name
   * @param position its 0-based index in the observation
   * @param mean the mean subtracted
   * @param std the std divided by (0: not scaled)
   */
  public record Feature(
      @JsonProperty("name") String name,
      @JsonProperty("position") int position,
      @JsonProperty("mean") double mean,
      @JsonProperty("std") double std) {}

  /**
   * The quota file of the artifact.
   *
   * @param file its name in the directory ({@link QuotaFile#FILE_NAME})
   * @param items the number of items with a quota
   * @param impressions the sum of the quotas
   */
  public record Quotas(
      @JsonProperty("file") String file,
      @JsonProperty("items") long items,
      @JsonProperty("impressions") long impressions) {}

  /**
   * The item vectors of the artifact ({@link ItemVectorFile}): the {@code item_embeddings}
   * partition the run date's replay built its encoder inputs from, so serving builds the same.
   *
   * @param file its name in the directory ({@link ItemVectorFile#FILE_NAME})
   * @param items the number of items with a vector
   * @param dimension E, the length of every vector
   * @param embeddingsDt the {@code item_embeddings} partition ({@code yyyy-MM-dd}); null when the
   *     replay found none (then the file holds no vector and every item reads as zeros, as in
   *     training)
   * @param embeddingsVersion the Delta version it was read at; null likewise
   */
  public record ItemVectors(
      @JsonProperty("file") String file,
      @JsonProperty("items") long items,
      @JsonProperty("dimension") int dimension,
      @JsonProperty("embeddings_dt") String embeddingsDt,
      @JsonProperty("embeddings_version") Long embeddingsVersion) {}

  /**
   * A file of the artifact.
   *
   * @param size its size in bytes
   * @param sha256 its hex sha256
   */
  public record FileEntry(@JsonProperty("size") long size, @JsonProperty("sha256") String sha256) {}
}
