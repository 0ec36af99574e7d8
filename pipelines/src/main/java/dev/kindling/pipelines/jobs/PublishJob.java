package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.serving.ArtifactManifest;
import dev.kindling.agents.serving.FeatureNormalisation;
import dev.kindling.agents.serving.ItemVectorFile;
import dev.kindling.agents.serving.PolicyArtifactException;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.features.schema.FeatureSpecSchema;
import dev.kindling.features.schema.TrainingRunsSchema;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publish stage for one run date: the trained policy ({@code models/dt=D}) and the day's quota
 * file ({@code quotas/dt=D/quotas.bin}) become the serving artifact {@code artifacts/policy/dt=D/}
 * with a {@code manifest.json} (format version, run date, git commit, feature spec from {@code
 * replay_feature_spec}, every file's size and sha256, the training figures from {@code
 * training_runs}, the gate, the quotas), written atomically; then {@code LATEST} is replaced
 * atomically and the oldest artifacts beyond {@code publish.keep} are deleted ({@link
 * PolicyArtifacts}). A policy whose actors read the behaviour-sequence encoder ships the item
 * vectors its replay built the encoder inputs from (the {@code item_embeddings} partition and Delta
 * version that {@code replay_feature_spec} records for D).
 *
 * <p>Gate: only a policy that passed the evaluation gate may be published. The job reads the gate
 * rows the {@code evaluate} stage wrote for D ({@code evaluation}, {@code run = 'evaluate'}, kind
 * {@code gate}, policy {@code candidate}): when the decision row ({@code metric = 'gate'}) passed,
 * the artifact is published with the gate recorded as {@link ArtifactManifest#GATE_PASSED} and
 * every check's value and figures in the manifest's {@code evaluation}; when it failed, nothing is
 * written ({@code LATEST} and every artifact stay as they were) and the result says the policy was
 * blocked and why: a blocked policy is a decision, not a failure, so the job returns normally and a
 * nightly run goes on. Without a decision row the job refuses with an error, unless {@code
 * publish.allow-unevaluated = true}, which publishes with the gate recorded as {@link
 * ArtifactManifest#GATE_NOT_EVALUATED}. Idempotent: publishing D again replaces {@code dt=D}
 * atomically; {@code LATEST} never moves back to an older date. Costs: three small Delta reads (the
 * gate rows, the spec and the day's training rows, collected), one load of the model, one copy of
 * its files.
 */
public final class PublishJob {

  private static final Logger LOG = LoggerFactory.getLogger(PublishJob.class);
  private static final String STAGE = "publish";
  private static final double NANOS_PER_SECOND = 1e9;

  private final SparkSession spark;
  private final PublishConfig config;

  public PublishJob(SparkSession spark, PublishConfig config) {
    this.spark = spark;
    this.config = config;
  }

  public PublishResult run() {
    try (RunLease lease =
        new Lakehouse(spark, config.lakehouseRoot()).lease(STAGE, config.runDate())) {
      return runLeased();
    }
  }

  private PublishResult runLeased() {
    long started = System.nanoTime();
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    LocalDate day = config.runDate();
    int leftovers =
        PolicyFiles.deleteLeftovers(
            lakehouse.localPath(
                TrainJob.POLICY_ARTIFACTS + "/" + PolicyArtifacts.directoryName(day)));
    if (leftovers > 0) {
      LOG.warn(
          "publish {}: deleted {} leftovers of an interrupted earlier attempt", day, leftovers);
    }
    Path model = lakehouse.localPath(TrainJob.MODELS + "/" + PolicyArtifacts.directoryName(day));
    if (!Files.isDirectory(model)) {
      throw Errors.missingInput(
          "the trained policy of " + day,
          model.toString(),
          "Run 'bin/kindling train --run-date " + day + "' first.");
    }
    Path quotas = lakehouse.localPath(AllocateJob.quotaFilePath(day));
    if (!Files.isRegularFile(quotas)) {
      throw Errors.missingInput(
          "the heating quota file of " + day,
          quotas.toString(),
          "Run 'bin/kindling allocate --run-date " + day + "' first.");
    }
    List<Row> gateRows = JobGroups.run(spark, STAGE, "read the gate", () -> gateRows(lakehouse));
    Row decision =
        gateRows.stream()
            .filter(r -> EvaluationSchema.GATE.equals(r.getAs(EvaluationSchema.METRIC)))
            .findFirst()
            .orElse(null);
    String gate;
    Map<String, Object> evaluation = new LinkedHashMap<>();
    if (decision == null) {
      if (!config.allowUnevaluated()) {
        throw Errors.of(
            "publish " + day + " refused: the policy has not been evaluated.",
            "Only a policy that passed the evaluation gate is published, and the evaluation table"
                + " holds no gate decision for "
                + day
                + ".",
            "Run 'bin/kindling evaluate --run-date "
                + day
                + "' first (nightly runs it before publish), or set publish.allow-unevaluated=true"
                + " to publish it with the gate recorded as '"
                + ArtifactManifest.GATE_NOT_EVALUATED
                + "' in the manifest.");
      }
      gate = ArtifactManifest.GATE_NOT_EVALUATED;
    } else {
      for (Row check : gateRows) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("passed", passed(check));
        figures.put("detail", check.getAs(EvaluationSchema.DETAIL));
        evaluation.put(check.getAs(EvaluationSchema.METRIC), figures);
      }
      if (!passed(decision)) {
        String reasons = decision.getAs(EvaluationSchema.DETAIL);
        String latest = PolicyArtifacts.latest(lakehouse.localPath(TrainJob.POLICY_ARTIFACTS));
        PublishResult blocked =
            PublishResult.blocked(
                day, latest, reasons, (System.nanoTime() - started) / NANOS_PER_SECOND);
        LOG.warn("{}", blocked);
        return blocked;
      }
      gate = ArtifactManifest.GATE_PASSED;
    }
    FeatureNormalisation normalisation =
        JobGroups.run(
            spark,
            STAGE,
            "read the feature spec",
            () ->
                ReferenceTables.featureSpec(lakehouse, config.runDate(), config.scenarios(), STAGE)
                    .normalisation());
    EncoderShape encoder = encoder(model);
    PolicyArtifacts.ItemVectorSource itemVectors =
        encoder == null
            ? null
            : JobGroups.run(
                spark, STAGE, "read the item vectors", () -> itemVectors(lakehouse, encoder));
    List<Map<String, Object>> training =
        JobGroups.run(spark, STAGE, "read the training figures", () -> training(lakehouse));
    PolicyArtifacts.Publication publication;
    try {
      publication =
          PolicyArtifacts.publish(
              lakehouse.localPath(TrainJob.POLICY_ARTIFACTS),
              new PolicyArtifacts.Request(
                  day,
                  model,
                  quotas,
                  normalisation,
                  gate,
                  training,
                  evaluation,
                  config.gitCommit(),
                  config.keep(),
                  itemVectors));
    } catch (PolicyArtifactException e) {
      throw new KindlingException("publish " + day + " failed: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "publish " + day + " failed: " + e.getMessage() + ".",
          "The policy, the feature spec and the scenarios must come from the same run.",
          "Re-run 'bin/kindling replay' and 'bin/kindling train' for " + day + ".");
    }
    ArtifactManifest manifest = publication.manifest();
    PublishResult result =
        new PublishResult(
            day,
            true,
            null,
            publication.directory().toString(),
            publication.latest(),
            manifest.gate(),
            manifest.files().size(),
            manifest.files().values().stream().mapToLong(ArtifactManifest.FileEntry::size).sum(),
            manifest.quotas().items(),
            training.size(),
            publication.deleted(),
            (System.nanoTime() - started) / NANOS_PER_SECOND);
    LOG.info("{}", result);
    return result;
  }

  /**
   * The encoder of the trained policy in {@code model}, or null when its actors read none (or its
   * metadata cannot be read, which {@link PolicyArtifacts#publish} then reports).
   */
  private static EncoderShape encoder(Path model) {
    try {
      return PolicyFiles.readMetadata(model).shape().encoder();
    } catch (PolicyFiles.PolicyFileException e) {
      return null;
    }
  }

  /**
   * The item vectors the replay of D built its encoder inputs from: the {@code item_embeddings}
   * partition and Delta version its {@code replay_feature_spec} records, so serving builds the
   * inputs training saw. When the replay found no partition, no vectors (every item then reads as
   * zeros, as in training) and a warning. Cost: one small Delta read and one read of the partition,
   * collected.
   *
   * @throws KindlingException when the spec is missing or that version can no longer be read
   */
  private PolicyArtifacts.ItemVectorSource itemVectors(Lakehouse lakehouse, EncoderShape encoder) {
    LocalDate day = config.runDate();
    List<Row> spec =
        lakehouse
            .read(Table.REPLAY_FEATURE_SPEC, day)
            .select(FeatureSpecSchema.EMBEDDINGS_DT, FeatureSpecSchema.EMBEDDINGS_VERSION)
            .distinct()
            .collectAsList();
    if (spec.isEmpty()) {
      throw Errors.missingInput(
          "replay_feature_spec for run date " + day,
          lakehouse.path(Table.REPLAY_FEATURE_SPEC),
          "Run 'bin/kindling replay --run-date " + day + "' first.");
    }
    Row source = spec.get(0);
    if (source.isNullAt(0)) {
      LOG.warn(
          "publish {}: the replay of {} found no item_embeddings partition, so the encoder was"
              + " trained with every item vector at zero; the artifact ships no vectors and serves"
              + " the same way. Run 'bin/kindling embeddings' before the replay to give it"
              + " vectors.",
          day,
          day);
      return new PolicyArtifacts.ItemVectorSource(
          new ItemVectorFile.Vectors(encoder.itemDimension(), Map.of()), null, null);
    }
    LocalDate tableDay = source.getDate(0).toLocalDate();
    long version = source.getLong(1);
    Map<String, float[]> vectors;
    try {
      vectors =
          ReferenceTables.itemVectors(
              lakehouse, tableDay, version, encoder.itemDimension(), STAGE, day);
    } catch (KindlingException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.of(
          "publish "
              + day
              + " cannot read item_embeddings of "
              + tableDay
              + " at version "
              + version
              + ": "
              + e.getMessage(),
          "The artifact ships the exact item vectors the replay of "
              + day
              + " built its encoder inputs from, read back by Delta time travel.",
          "Re-run 'bin/kindling replay', 'train' and 'evaluate' for "
              + day
              + " so they record a version that can be read.");
    }
    LOG.info(
        "publish {}: {} item vectors of item_embeddings {} (version {})",
        day,
        vectors.size(),
        tableDay,
        version);
    return new PolicyArtifacts.ItemVectorSource(
        new ItemVectorFile.Vectors(encoder.itemDimension(), vectors), tableDay, version);
  }

  /** The evaluate stage's gate rows of the candidate of D: the checks and the decision. */
  private List<Row> gateRows(Lakehouse lakehouse) {
    return lakehouse
        .read(Table.EVALUATION, config.runDate())
        .where(
            col(EvaluationSchema.RUN)
                .equalTo(EvaluationSchema.RUN_EVALUATE)
                .and(col(EvaluationSchema.KIND).equalTo(EvaluationSchema.KIND_GATE))
                .and(col(EvaluationSchema.POLICY).equalTo(EvaluateJob.CANDIDATE)))
        .orderBy(EvaluationSchema.METRIC)
        .collectAsList();
  }

  private static boolean passed(Row check) {
    Double value = check.getAs(EvaluationSchema.VALUE);
    return value != null && value >= 1.0;
  }

  /** The day's training_runs rows, by round, as column → value (dates and times as text). */
  private List<Map<String, Object>> training(Lakehouse lakehouse) {
    List<Row> rows =
        lakehouse
            .read(Table.TRAINING_RUNS, config.runDate())
            .orderBy(TrainingRunsSchema.ROUND)
            .collectAsList();
    List<Map<String, Object>> figures = new ArrayList<>();
    for (Row row : rows) {
      Map<String, Object> values = new LinkedHashMap<>();
      StructField[] fields = row.schema().fields();
      for (int i = 0; i < fields.length; i++) {
        Object value = row.get(i);
        boolean plain =
            value == null
                || value instanceof Number
                || value instanceof Boolean
                || value instanceof String;
        values.put(fields[i].name(), plain ? value : value.toString());
      }
      figures.add(values);
    }
    return figures;
  }
}
