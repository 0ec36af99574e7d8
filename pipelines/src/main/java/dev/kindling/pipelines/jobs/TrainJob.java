package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.nets.TrainingDivergedException;
import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.agents.replay.ObservationNormaliser;
import dev.kindling.agents.replay.ReplayBatches;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.agents.train.ReplayTrainer;
import dev.kindling.agents.train.RoundFigures;
import dev.kindling.agents.train.RoundListener;
import dev.kindling.agents.train.TrainingReport;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.replay.ReplayTransitions;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.features.schema.TrainingRunsSchema;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.RunLease;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code train} stage for run date D: trains the TD3+BC networks (twin centralized critics, one
 * actor per scenario, their targets) on a seeded sample of the replay days D−window+1..D and writes
 * the policy to {@code models/dt=D/} ({@link PolicyFiles}), one {@code training_runs} row per
 * round.
 *
 * <p>Steps: read the window's {@code replay} and the {@code replay_feature_spec} of D (D's replay
 * must exist); derive the {@link NetworkShape} from D's observation layout, action length and
 * history length (agents in the order of {@code scenarios}); sample at most {@code
 * transitions-per-round} rows (ordered by a seeded hash of {@code dt} and {@code request_id}, so
 * the sample does not depend on file layout), convert them to {@link TransitionBatch}es of {@code
 * batch-size} rows on the executors, {@code workers} partitions, persisted for the run; pick the
 * start networks; run the remaining rounds with the trainer {@code train.trainer} names.
 *
 * <p>Start networks, in order of preference: (a) the checkpoint {@code checkpoints/train/dt=D/} of
 * an earlier attempt for D whose shape, config, scenarios and round count fit: the attempt resumes
 * after its round k and runs rounds k+1..rounds; (b) a warm start from the newest published policy
 * of an earlier date ({@code artifacts/policy/dt=X/} with X &lt; D, so that re-running or
 * back-filling D never starts from a policy trained on later days): its parameters, fresh optimiser
 * state, when its layout fits the replay (else a warning and (c)); (c) fresh networks seeded with
 * {@code train.seed}.
 *
 * <p>Writes, in order: {@code training_runs} rows of D from an earlier attempt are deleted (all of
 * them for a fresh or warm start, those after round k when resuming); after each round its row is
 * appended, then the checkpoint is replaced; at the end the policy is written to {@code
 * models/dt=D/} (atomically, replacing an older one) and the checkpoint deleted. When a round meets
 * a non-finite value or a diverging Q, the job throws a {@link KindlingException} naming the round
 * and the quantity; nothing is written to {@code models/} or {@code artifacts/}, and the checkpoint
 * of the last good round stays for a later attempt to resume from.
 *
 * <p>Costs: one scan of the window's replay (columns pruned) with a top-k of the sample into one
 * partition, one shuffle into {@code workers} partitions, the batches held in executor memory (and
 * disk) for the run (about 1.2 KB per transition); per round the trainer's work plus one small
 * Delta commit and one checkpoint write (a few MB). Model and checkpoint directories need a local
 * lakehouse root ({@link Lakehouse#localPath}).
 */
public final class TrainJob {

  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
  private static final String STAGE = "train";
  private static final double NANOS_PER_SECOND = 1e9;

  /** Directory of the per-date checkpoints under the lakehouse root. */
  public static final String CHECKPOINTS = "checkpoints/train";

  /** Directory of the trained policies under the lakehouse root, one {@code dt=D} each. */
  public static final String MODELS = "models";

  /** Directory of the published policies under the lakehouse root. */
  public static final String POLICY_ARTIFACTS = "artifacts/policy";

  private static final String SAMPLE_KEY = "_sample_key";

  private static final List<String> BATCH_COLUMNS =
      List.of(
          ReplaySchema.DT,
          ReplaySchema.REQUEST_ID,
          ReplaySchema.AGENT,
          ReplaySchema.OBS,
          ReplaySchema.HISTORY,
          ReplaySchema.ACTION,
          ReplaySchema.EXPLORE_PROB,
          ReplaySchema.REWARD,
          ReplaySchema.NEXT_OBS,
          ReplaySchema.NEXT_HISTORY,
          ReplaySchema.NEXT_AGENT,
          ReplaySchema.DONE);

  private final SparkSession spark;
  private final TrainConfig config;
  private final RoundListener afterRound;

  public TrainJob(SparkSession spark, TrainConfig config) {
    this(spark, config, RoundListener.NONE);
  }

  /**
   * A job that also calls {@code afterRound} once each round's row and checkpoint are written (its
   * figures numbered over the whole run); an exception thrown there stops the run like a crash
   * would. For tests of resumption.
   */
  TrainJob(SparkSession spark, TrainConfig config, RoundListener afterRound) {
    this.spark = spark;
    this.config = config;
    this.afterRound = afterRound;
  }

  /** How the networks of an attempt start. */
  private record Start(Td3BcNetworks networks, int roundsDone, String warmStartFrom, String what) {}

  public TrainResult run() {
    try (RunLease lease =
        new Lakehouse(spark, config.lakehouseRoot()).lease(STAGE, config.runDate())) {
      return runLeased();
    }
  }

  private TrainResult runLeased() {
    long started = System.nanoTime();
    Instant startedAt = Instant.now();
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Lakehouse lakehouse = new Lakehouse(spark, config.lakehouseRoot());
    LocalDate day = config.runDate();
    String runId = UUID.randomUUID().toString();

    TrainingData data = trainingData(lakehouse);
    List<LocalDate> dates = data.dates();
    NetworkShape shape = data.shape();
    Td3BcConfig td3bc = anchored(lakehouse, shape);
    Path checkpoint = lakehouse.localPath(CHECKPOINTS + "/dt=" + day);
    int leftovers =
        PolicyFiles.deleteLeftovers(checkpoint)
            + PolicyFiles.deleteLeftovers(lakehouse.localPath(MODELS + "/dt=" + day));
    if (leftovers > 0) {
      LOG.warn("train {}: deleted {} leftovers of an interrupted earlier attempt", day, leftovers);
    }
    Start start = start(lakehouse, shape, td3bc, checkpoint);
    LOG.info("train {}: {} ({}), window {}", day, start.what(), shape, dates);
    lakehouse.deleteRows(
        Table.TRAINING_RUNS,
        day,
        start.roundsDone() == 0 ? null : col(TrainingRunsSchema.ROUND).gt(start.roundsDone()));

    LocalTd3BcStep step = new LocalTd3BcStep(shape, td3bc, start.networks());
    int remaining = config.rounds() - start.roundsDone();
    TrainingReport report = new TrainingReport(List.of(), 0.0);
    long transitions = 0;
    if (remaining > 0) {
      JavaRDD<TransitionBatch> batches = data.batches().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        transitions =
            JobGroups.run(spark, STAGE, "build batches", () -> countTransitions(batches, day));
        ReplayTrainer trainer =
            Trainers.create(
                config.trainer(),
                JavaSparkContext.fromSparkContext(spark.sparkContext()),
                step,
                config.workers());
        RoundListener writer =
            roundWriter(lakehouse, trainer, shape, td3bc, checkpoint, runId, start, startedAt);
        report =
            JobGroups.run(
                spark,
                STAGE,
                "train " + remaining + " rounds",
                () ->
                    trainer.train(batches, remaining, config.seed() + start.roundsDone(), writer));
      } catch (RuntimeException e) {
        throw diverged(e, start, checkpoint);
      } finally {
        batches.unpersist(false);
      }
    }

    Path model = lakehouse.localPath(MODELS + "/dt=" + day);
    PolicyFiles.save(model, step.networks(), metadata(config.rounds(), shape, td3bc));
    PolicyFiles.delete(checkpoint);
    List<RoundFigures> rounds = report.rounds();
    TrainResult result =
        new TrainResult(
            day,
            runId,
            config.trainer(),
            start.what(),
            dates,
            transitions,
            rounds.size(),
            config.rounds(),
            rounds.isEmpty() ? Double.NaN : rounds.get(0).criticLoss1(),
            rounds.isEmpty() ? Double.NaN : rounds.get(rounds.size() - 1).criticLoss1(),
            rounds.isEmpty() ? Double.NaN : report.transitionsPerSecond(),
            (System.nanoTime() - started) / NANOS_PER_SECOND,
            model.toString());
    LOG.info("{}", result);
    return result;
  }

  /**
   * The run's training data, checked: the replay days of the window, the networks' shape from the
   * replay's layout, and the seeded sample of the window as batches on {@code train.workers}
   * partitions (not persisted; nothing is computed until the RDD is used).
   *
   * @throws KindlingException naming the missing days or tables and the command to run, or the
   *     feature spec that does not fit the configured scenarios
   */
  public TrainingData trainingData() {
    return trainingData(new Lakehouse(spark, config.lakehouseRoot()));
  }

  private TrainingData trainingData(Lakehouse lakehouse) {
    LocalDate day = config.runDate();
    Dataset<Row> window =
        lakehouse.read(Table.REPLAY, day.minusDays(config.windowDays() - 1L), day);
    List<LocalDate> dates =
        JobGroups.run(spark, STAGE, "list replay days", () -> replayDates(window));
    List<Row> spec = lakehouse.read(Table.REPLAY_FEATURE_SPEC, day).collectAsList();
    requireInputs(lakehouse, dates, spec);
    if (config.encoder().isPresent()) {
      JobGroups.run(
          spark, STAGE, "check encoder columns", () -> requireEncoderColumns(window, dates));
    }
    List<String> names = ObservationSpec.featureNames(config.scenarios());
    ObservationNormaliser normaliser;
    try {
      normaliser = ObservationNormaliser.fromFeatureSpec(spec, names);
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "train " + day + " cannot use the replay_feature_spec of " + day + ": " + e.getMessage(),
          "The spec must describe the observation of the configured scenarios "
              + config.scenarios()
              + ".",
          "Re-run 'bin/kindling replay --run-date " + day + "' with the same configuration.");
    }
    NetworkShape shape =
        shape(lakehouse.read(Table.REPLAY, day), names.size())
            .withEncoder(config.encoder().orElse(null));
    return new TrainingData(
        dates, shape, batches(window, new ReplayBatches(shape, config.scenarios(), normaliser)));
  }

  /**
   * What a training run trains on.
   *
   * @param dates the replay days of the window, in order
   * @param shape the networks' shape
   * @param batches the sampled transitions in batches
   */
  public record TrainingData(
      List<LocalDate> dates, NetworkShape shape, JavaRDD<TransitionBatch> batches) {}

  private static List<LocalDate> replayDates(Dataset<Row> window) {
    return window.select(ReplaySchema.DT).distinct().collectAsList().stream()
        .map(r -> r.getDate(0).toLocalDate())
        .sorted()
        .toList();
  }

  private void requireInputs(Lakehouse lakehouse, List<LocalDate> dates, List<Row> spec) {
    LocalDate day = config.runDate();
    List<String> missing = new ArrayList<>();
    if (!dates.contains(day)) {
      missing.add(Table.REPLAY.tableName());
    }
    if (spec.isEmpty()) {
      missing.add(Table.REPLAY_FEATURE_SPEC.tableName());
    }
    if (!missing.isEmpty()) {
      throw Errors.missingInput(
          String.join(" and ", missing) + " for run date " + day,
          lakehouse.root(),
          "Run 'bin/kindling replay --run-date "
              + day
              + "' first (nightly runs it before train); replay days present in the window "
              + day.minusDays(config.windowDays() - 1L)
              + ".."
              + day
              + ": "
              + dates
              + ".");
    }
  }

  /**
   * Checks that every replay day of the window carries the encoder columns the configured encoder
   * reads: none null, no more recent steps than N, an older summary of E + 1 values. One
   * aggregation over the window's encoder columns.
   *
   * @throws KindlingException naming the days built without the encoder or with another N or E, and
   *     the replay command that rebuilds them
   */
  private Void requireEncoderColumns(Dataset<Row> window, List<LocalDate> dates) {
    EncoderShape encoder = config.encoder().orElseThrow();
    List<Row> days =
        window
            .groupBy(col(ReplaySchema.DT))
            .agg(
                sum(when(col(ReplaySchema.ENCODER_RECENT).isNull(), 1).otherwise(0)),
                max(col(ReplaySchema.ENCODER_STEPS)),
                max(size(col(ReplaySchema.ENCODER_OLDER))))
            .orderBy(col(ReplaySchema.DT))
            .collectAsList();
    List<String> without = new ArrayList<>();
    List<String> other = new ArrayList<>();
    for (Row day : days) {
      String dt = day.getDate(0).toString();
      if (day.getLong(1) > 0) {
        without.add(dt);
      } else if (day.getInt(2) > encoder.recentSteps()
          || day.getInt(3) != encoder.summaryFeatures()) {
        other.add(
            dt + " (up to " + day.getInt(2) + " steps, older summary of " + day.getInt(3) + ")");
      }
    }
    if (without.isEmpty() && other.isEmpty()) {
      return null;
    }
    String problem =
        without.isEmpty()
            ? "the replay days " + other + " were built with another encoder"
            : "the replay days " + without + " were built without the encoder";
    throw Errors.of(
        "train "
            + config.runDate()
            + " reads the behaviour-sequence encoder (replay.encoder.enabled, N "
            + encoder.recentSteps()
            + ", E "
            + encoder.itemDimension()
            + "), but "
            + problem
            + "; window days present: "
            + dates
            + ".",
        "Every transition the encoder trains on needs the user's recent items, built with the"
            + " same replay.encoder.recent-steps and embeddings.dimension.",
        "Re-run 'bin/kindling replay --run-date <day>' for those days with this configuration,"
            + " or train with replay.encoder.enabled=false.");
  }

  /** The networks' shape from D's replay: its observation, action and history lengths. */
  private NetworkShape shape(Dataset<Row> replayOfDay, int observationSize) {
    Row lengths =
        replayOfDay
            .select(
                size(col(ReplaySchema.OBS)),
                size(col(ReplaySchema.ACTION)),
                size(col(ReplaySchema.HISTORY)))
            .first();
    int obs = lengths.getInt(0);
    int action = lengths.getInt(1);
    int history = lengths.getInt(2);
    int stepFeatures = obs + action + NetworkShape.EXPLORATION_SIZE;
    if (obs != observationSize || history % stepFeatures != 0 || history == 0) {
      throw Errors.of(
          "train "
              + config.runDate()
              + ": the replay's observation has "
              + obs
              + " features and its history "
              + history
              + " values, where the scenarios "
              + config.scenarios()
              + " give "
              + observationSize
              + " features and a history of whole steps of "
              + stepFeatures
              + ".",
          "The replay was written with another configuration.",
          "Re-run 'bin/kindling replay' for the window's days with this configuration.");
    }
    return NetworkShape.of(
            obs, action, history / stepFeatures, config.scenarios().size(), config.seed())
        .withLearningRates(config.actorLearningRate(), config.criticLearningRate());
  }

  private PolicyFiles.Metadata metadata(
      int roundsCompleted, NetworkShape shape, Td3BcConfig td3bc) {
    return PolicyFiles.metadata(
        roundsCompleted, config.runDate().toString(), config.scenarios(), shape, td3bc);
  }

  /**
   * The run's TD3+BC config with the status quo's reference action per scenario (the behaviour
   * regulariser's anchor, {@link Td3BcConfig#referenceActions()}), when {@code
   * train.reference-weight} is positive. Found, in order of preference:
   *
   * <ol>
   *   <li>in the metadata of the newest policy published before D (the one a warm start starts
   *       from), when it has one of this layout: the reference is fixed once and carried from
   *       policy to policy, so it stays the status quo's after the logs are all Kindling's own;
   *   <li>else as the mean logged action per scenario (ranking weights, then {@code explore_prob})
   *       over the window's replay days the status quo served: days up to the oldest policy
   *       published before D (a policy of day X serves from X+1 on), or every day of the window
   *       when none was published; rounded to 6 decimals so that a resumed attempt finds the same;
   *   <li>else none (the behaviour target is the logged action alone), with a warning.
   * </ol>
   *
   * A scenario without rows on those days gets the mean over all scenarios. Cost: a read of one
   * metadata file, or one aggregation over the status-quo days' replay (two columns).
   */
  private Td3BcConfig anchored(Lakehouse lakehouse, NetworkShape shape) {
    Td3BcConfig td3bc = config.td3bc();
    LocalDate day = config.runDate();
    if (td3bc.referenceWeight() == 0.0) {
      return td3bc.withReferenceActions(List.of());
    }
    Path artifacts = lakehouse.localPath(POLICY_ARTIFACTS);
    List<String> before = publishedBefore(artifacts);
    if (!before.isEmpty()) {
      Path newest = artifacts.resolve(before.get(0));
      try {
        PolicyFiles.Metadata published = PolicyFiles.readMetadata(newest);
        List<List<Double>> inherited = published.config().referenceActions();
        if (published.scenarios().equals(config.scenarios())
            && inherited.size() == shape.agents()
            && inherited.get(0).size() == shape.jointActionSize()) {
          LOG.info("train {}: reference actions of {}: {}", day, newest, inherited);
          return td3bc.withReferenceActions(inherited);
        }
      } catch (PolicyFiles.PolicyFileException e) {
        LOG.warn(
            "train {}: cannot read the reference actions of {}: {}", day, newest, e.getMessage());
      }
    }
    LocalDate statusQuoUntil =
        before.isEmpty()
            ? day
            : LocalDate.parse(
                before.get(before.size() - 1).substring(PolicyArtifacts.DIRECTORY_PREFIX.length()));
    Dataset<Row> statusQuo =
        lakehouse.read(
            Table.REPLAY,
            day.minusDays(config.windowDays() - 1L),
            statusQuoUntil.isBefore(day) ? statusQuoUntil : day);
    List<List<Double>> reference =
        JobGroups.run(spark, STAGE, "reference actions", () -> meanActions(statusQuo, shape));
    if (reference.isEmpty()) {
      LOG.warn(
          "train {}: train.reference-weight is {} but no replay day of the window {}..{} was"
              + " served by the status quo (policies have been published since {}) and the newest"
              + " published policy records no reference actions; the behaviour regulariser pulls"
              + " towards the logged actions alone",
          day,
          td3bc.referenceWeight(),
          day.minusDays(config.windowDays() - 1L),
          day,
          statusQuoUntil);
      return td3bc.withReferenceActions(List.of());
    }
    LOG.info(
        "train {}: reference actions, the mean logged actions of replay days up to {}: {}",
        day,
        statusQuoUntil,
        reference);
    return td3bc.withReferenceActions(reference);
  }

  /** Each scenario's mean logged joint action in {@code replay}; empty when it has no rows. */
  private List<List<Double>> meanActions(Dataset<Row> replay, NetworkShape shape) {
    List<Column> means = new ArrayList<>();
    for (int i = 1; i <= shape.actionSize(); i++) {
      means.add(avg(element_at(col(ReplaySchema.ACTION), i)));
    }
    means.add(
        avg(
            coalesce(
                col(ReplaySchema.EXPLORE_PROB),
                lit((double) ReplayTransitions.UNLOGGED_EXPLORE_PROB))));
    means.add(count(lit(1)));
    Column first = means.get(0);
    Column[] rest = means.subList(1, means.size()).toArray(new Column[0]);
    Row overall = replay.agg(first, rest).first();
    if (overall.getLong(shape.jointActionSize()) == 0) {
      return List.of();
    }
    Map<String, Row> byAgent = new HashMap<>();
    for (Row row : replay.groupBy(col(ReplaySchema.AGENT)).agg(first, rest).collectAsList()) {
      byAgent.put(row.getString(0), row);
    }
    List<List<Double>> reference = new ArrayList<>();
    for (String scenario : config.scenarios()) {
      Row own = byAgent.get(scenario);
      reference.add(rounded(own == null ? overall : own, own == null ? 0 : 1, shape));
    }
    return List.copyOf(reference);
  }

  /** The joint action in {@code row} from column {@code from} on, rounded to 6 decimals. */
  private static List<Double> rounded(Row row, int from, NetworkShape shape) {
    List<Double> action = new ArrayList<>();
    for (int i = 0; i < shape.jointActionSize(); i++) {
      action.add(Math.round(row.getDouble(from + i) * 1e6) / 1e6);
    }
    return List.copyOf(action);
  }

  /** The attempt's start networks: a fitting checkpoint, else a warm start, else fresh ones. */
  private Start start(Lakehouse lakehouse, NetworkShape shape, Td3BcConfig td3bc, Path checkpoint) {
    if (Files.isDirectory(checkpoint)) {
      try {
        PolicyFiles.Policy saved = PolicyFiles.load(checkpoint);
        PolicyFiles.Metadata meta = saved.metadata();
        if (meta.shape().equals(shape)
            && meta.config().equals(td3bc)
            && meta.scenarios().equals(config.scenarios())
            && meta.runDate().equals(config.runDate().toString())
            && meta.roundsCompleted() >= 1
            && meta.roundsCompleted() <= config.rounds()) {
          return new Start(
              saved.networks(),
              meta.roundsCompleted(),
              null,
              "resumed after round " + meta.roundsCompleted());
        }
        LOG.warn(
            "train {}: the checkpoint in {} was written with another shape, config, scenarios or"
                + " round count ({} rounds of {}, {}); starting over",
            config.runDate(),
            checkpoint,
            meta.roundsCompleted(),
            meta.shape(),
            meta.config());
      } catch (PolicyFiles.PolicyFileException e) {
        LOG.warn("train {}: ignoring an unusable checkpoint: {}", config.runDate(), e.getMessage());
      }
    }
    Path artifacts = lakehouse.localPath(POLICY_ARTIFACTS);
    String name = latestBefore(artifacts);
    if (name != null) {
      Path published = artifacts.resolve(name);
      PolicyFiles.Policy policy;
      try {
        policy = PolicyFiles.load(published);
      } catch (RuntimeException e) {
        throw Errors.of(
            "train "
                + config.runDate()
                + " cannot warm-start from the published policy "
                + published
                + ": "
                + e.getMessage()
                + ".",
            "Training starts from the newest policy published before the run date, and every"
                + " directory under "
                + artifacts
                + " must be a complete policy.",
            "Re-publish that date ('bin/kindling publish --run-date "
                + name.substring(PolicyArtifacts.DIRECTORY_PREFIX.length())
                + "'), or move the directory away to start from an older policy.");
      }
      NetworkShape theirs =
          policy
              .metadata()
              .shape()
              .withSeed(shape.seed())
              .withLearningRates(shape.actorLearningRate(), shape.criticLearningRate());
      if (theirs.equals(shape) && policy.metadata().scenarios().equals(config.scenarios())) {
        Td3BcNetworks networks = Td3BcNetworks.fresh(shape);
        List<Td3BcNetworks.Named> target = networks.named();
        List<Td3BcNetworks.Named> source = policy.networks().named();
        for (int i = 0; i < target.size(); i++) {
          target.get(i).graph().setParams(source.get(i).graph().params().dup());
        }
        return new Start(networks, 0, name, "warm start from " + POLICY_ARTIFACTS + "/" + name);
      }
      LOG.warn(
          "train {}: the published policy {} has another layout ({} for scenarios {}) than the"
              + " replay ({} for {}); training fresh networks",
          config.runDate(),
          published,
          policy.metadata().shape(),
          policy.metadata().scenarios(),
          shape,
          config.scenarios());
    }
    return new Start(Td3BcNetworks.fresh(shape), 0, null, "fresh networks");
  }

  /** The newest artifact directory under {@code artifacts} of a date before D, or null. */
  private String latestBefore(Path artifacts) {
    List<String> before = publishedBefore(artifacts);
    return before.isEmpty() ? null : before.get(0);
  }

  /** The artifact directories under {@code artifacts} of dates before D, newest first. */
  private List<String> publishedBefore(Path artifacts) {
    String before = PolicyArtifacts.directoryName(config.runDate());
    try {
      return PolicyArtifacts.directories(artifacts).stream()
          .filter(name -> name.compareTo(before) < 0)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + artifacts, e);
    }
  }

  /** The seeded sample of the window, as batches on {@code workers} partitions. */
  private JavaRDD<TransitionBatch> batches(Dataset<Row> window, ReplayBatches converter) {
    List<String> columns = new ArrayList<>(BATCH_COLUMNS);
    if (config.encoder().isPresent()) {
      columns.addAll(ReplaySchema.ENCODER_COLUMNS);
    }
    Dataset<Row> keyed =
        window
            .select(columns.stream().map(c -> col(c)).toArray(org.apache.spark.sql.Column[]::new))
            .withColumn(
                SAMPLE_KEY,
                xxhash64(col(ReplaySchema.DT), col(ReplaySchema.REQUEST_ID), lit(config.seed())));
    Dataset<Row> sample =
        keyed
            .orderBy(col(SAMPLE_KEY), col(ReplaySchema.DT), col(ReplaySchema.REQUEST_ID))
            .limit(config.transitionsPerRound())
            .repartition(config.workers(), col(SAMPLE_KEY))
            .sortWithinPartitions(SAMPLE_KEY, ReplaySchema.DT, ReplaySchema.REQUEST_ID);
    return sample.javaRDD().mapPartitions(toBatches(converter, config.batchSize()));
  }

  private static FlatMapFunction<Iterator<Row>, TransitionBatch> toBatches(
      ReplayBatches converter, int batchSize) {
    return rows -> {
      List<TransitionBatch> out = new ArrayList<>();
      List<Row> chunk = new ArrayList<>(batchSize);
      while (rows.hasNext()) {
        chunk.add(rows.next());
        if (chunk.size() == batchSize) {
          out.add(converter.toBatch(chunk));
          chunk = new ArrayList<>(batchSize);
        }
      }
      if (!chunk.isEmpty()) {
        out.add(converter.toBatch(chunk));
      }
      return out.iterator();
    };
  }

  private static long countTransitions(JavaRDD<TransitionBatch> batches, LocalDate day) {
    long transitions;
    try {
      transitions = batches.map(TransitionBatch::size).fold(0L, Long::sum);
    } catch (RuntimeException e) {
      IllegalArgumentException bad = causeOf(e, IllegalArgumentException.class);
      if (bad == null) {
        throw e;
      }
      throw Errors.of(
          "train " + day + " cannot turn the replay into training batches: " + bad.getMessage(),
          "Every replay day of the window must share the run date's layout.",
          "Re-run 'bin/kindling replay' for the window's days with this configuration.");
    }
    if (transitions == 0) {
      throw Errors.of(
          "train " + day + " found no replay transitions in its window.",
          "Training needs at least one transition.",
          "Check 'bin/kindling sql \"SELECT dt, count(*) FROM replay GROUP BY dt\"'.");
    }
    return transitions;
  }

  /** Appends each round's row, then replaces the checkpoint, then calls {@link #afterRound}. */
  private RoundListener roundWriter(
      Lakehouse lakehouse,
      ReplayTrainer trainer,
      NetworkShape shape,
      Td3BcConfig td3bc,
      Path checkpoint,
      String runId,
      Start start,
      Instant startedAt) {
    return figures -> {
      int round = start.roundsDone() + figures.round();
      RoundFigures numbered =
          new RoundFigures(
              round,
              figures.criticLoss1(),
              figures.criticLoss2(),
              figures.actorLoss(),
              figures.meanQ(),
              figures.maxQ(),
              figures.behaviourDistance(),
              figures.criticGradientNorm1(),
              figures.criticGradientNorm2(),
              figures.actorGradientNorm(),
              figures.transitions(),
              figures.seconds());
      Row row =
          RowFactory.create(
              Date.valueOf(config.runDate()),
              runId,
              config.trainer(),
              round,
              config.rounds(),
              numbered.criticLoss1(),
              numbered.criticLoss2(),
              numbered.actorLoss(),
              numbered.meanQ(),
              numbered.maxQ(),
              numbered.criticGradientNorm1(),
              numbered.criticGradientNorm2(),
              numbered.actorGradientNorm(),
              numbered.behaviourDistance(),
              numbered.transitions(),
              numbered.transitionsPerSecond(),
              numbered.seconds(),
              start.roundsDone() > 0,
              start.warmStartFrom(),
              Timestamp.from(startedAt),
              Timestamp.from(Instant.now()));
      lakehouse.append(
          Table.TRAINING_RUNS, spark.createDataFrame(List.of(row), TrainingRunsSchema.SCHEMA));
      PolicyFiles.save(checkpoint, trainer.networks(), metadata(round, shape, td3bc));
      afterRound.onRound(numbered);
    };
  }

  /** A diverged round as a user-facing error; any other failure unchanged. */
  private RuntimeException diverged(RuntimeException e, Start start, Path checkpoint) {
    TrainingDivergedException diverged = causeOf(e, TrainingDivergedException.class);
    if (diverged == null) {
      return e;
    }
    String fix =
        isInput(diverged.quantity())
            ? "The replay holds a non-finite "
                + diverged.quantity()
                + ": find it with 'bin/kindling sql' over replay for the window's days, fix the"
                + " input and re-run replay for that day, then train again."
            : "Lower train.critic-learning-rate / train.actor-learning-rate or train.gamma, or check"
                + " the reward scale, then run train again.";
    boolean hasCheckpoint = Files.isDirectory(checkpoint);
    return Errors.of(
        "train "
            + config.runDate()
            + " stopped: "
            + diverged.getMessage()
            + " (quantity: "
            + diverged.quantity()
            + ").",
        "Nothing was written to "
            + MODELS
            + "/ or "
            + POLICY_ARTIFACTS
            + "/, so the last published policy is untouched; "
            + (hasCheckpoint
                ? "the checkpoint of the last good round stays in " + checkpoint + "."
                : "no round completed, so there is no checkpoint (started from "
                    + start.what()
                    + ")."),
        fix);
  }

  private static boolean isInput(String quantity) {
    return List.of(
            "history",
            "observation",
            "action",
            "agent",
            "reward",
            "done",
            "nextHistory",
            "nextObservation",
            "nextAgent")
        .contains(quantity);
  }

  private static <T extends Throwable> T causeOf(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
