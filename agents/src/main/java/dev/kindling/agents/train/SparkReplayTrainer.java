package dev.kindling.agents.train;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.Networks;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.nets.TrainingDivergedException;
import dev.kindling.agents.nets.TransitionBatch;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributed {@link ReplayTrainer}: the TD3+BC update of {@link LocalTd3BcStep} with each fit
 * spread over the RDD's partitions by dl4j-spark's parameter averaging ({@link
 * ParameterAveragingTrainingMaster} over {@code JavaRDD<MultiDataSet>}). Every dl4j-spark call of
 * Kindling is in this class, so that it could be replaced by averaging on Spark's own primitives
 * without touching the networks or the jobs.
 *
 * <p>One round, over every batch of the RDD:
 *
 * <ol>
 *   <li>executors compute the TD targets y = r + γ·(1−done)·min(Q'₁, Q'₂)(h', o', π'(h', o')) of
 *       their batches from a broadcast snapshot of the target networks;
 *   <li>each critic is fitted to y: every worker (partition) runs Adam over its batches from the
 *       round's starting parameters, then parameters and Adam state are averaged;
 *   <li>executors build each scenario's actor-training data with the fitted first critic (λ = α /
 *       max(mean|Q|, floor) per batch, as in the local step), and each scenario's actor is fitted
 *       through the frozen critic the same way;
 *   <li>the driver soft-updates the target networks once, with τ_round = 1 − (1 − τ)^k where k is
 *       the number of batches each worker fitted in the round: the pull towards the trained
 *       networks that k single-batch updates with τ give in the local trainer, so that τ means the
 *       same in both trainers.
 * </ol>
 *
 * <p>Compared with {@link LocalReplayTrainer}, which takes one TD3+BC step per batch, a round here
 * fixes the targets and the critic seen by the actors for the whole round and averages once per
 * fit: fewer, larger synchronisations.
 *
 * <p>Guards: the inputs are checked finite once before the first round (they do not change between
 * rounds); TD targets, losses, |Q| against {@link dev.kindling.agents.nets.Td3BcConfig#qBound()}
 * and every parameter after each round. On any failure the networks are restored to the round's
 * start and a {@link TrainingDivergedException} naming the round and the quantity is thrown; Adam
 * state is not restored.
 *
 * <p>Costs per round: 2·(2 + scenarios) + 2 Spark jobs (a count and a training job per fit, one
 * pass each for the critic and the actor figures), a broadcast of every network's parameters twice,
 * and the fits themselves in parallel over the partitions. The batches RDD is repartitioned to
 * {@code workers} partitions when it has another number, and persisted for the run. Not
 * thread-safe.
 */
public final class SparkReplayTrainer implements ReplayTrainer {

  private static final Logger LOG = LoggerFactory.getLogger(SparkReplayTrainer.class);

  private static final double NANOS_PER_SECOND = 1e9;

  private static final String LOSS_HINT =
      "the fit diverged; lower the learning rates, check reward scale and the replay batch";

  private final JavaSparkContext sc;
  private final LocalTd3BcStep step;
  private final int workers;

  /**
   * A trainer over {@code step}'s networks (fresh or warm-started); they are updated in place.
   *
   * @param sc the Spark context
   * @param step the networks and the update's pieces; its actor-training graphs are fitted
   * @param workers parallel workers, normally the cluster's task slots; the batches are spread over
   *     this many partitions, each trained by one worker
   */
  public SparkReplayTrainer(JavaSparkContext sc, LocalTd3BcStep step, int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be at least 1, got " + workers);
    }
    this.sc = sc;
    this.step = step;
    this.workers = workers;
  }

  @Override
  public Td3BcNetworks networks() {
    return step.networks();
  }

  @Override
  public TrainingReport train(
      JavaRDD<TransitionBatch> batches, int rounds, long seed, RoundListener listener) {
    if (rounds < 1) {
      throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
    }
    Nd4j.getRandom().setSeed(seed);
    long runStart = System.nanoTime();
    JavaRDD<TransitionBatch> data =
        batches.getNumPartitions() == workers ? batches : batches.repartition(workers);
    boolean persisted = data.getStorageLevel().equals(StorageLevel.NONE());
    if (persisted) {
      data.persist(StorageLevel.MEMORY_ONLY());
    }
    try {
      Inputs inputs = inspect(data, rounds);
      List<RoundFigures> figures = new ArrayList<>();
      Fits fits = new Fits(inputs, seed);
      for (int round = 1; round <= rounds; round++) {
        RoundFigures roundFigures = runRound(data, inputs, fits, round, rounds);
        figures.add(roundFigures);
        LOG.info(
            "{} ({} workers)", roundFigures.progressLine(rounds, secondsSince(runStart)), workers);
        listener.onRound(roundFigures);
      }
      TrainingReport report = new TrainingReport(figures, secondsSince(runStart));
      LOG.info("{} over {} workers", report.summaryLine(), workers);
      return report;
    } finally {
      if (persisted) {
        data.unpersist(false);
      }
    }
  }

  /** Counts the transitions, checks every input finite and takes the probe batch. */
  private Inputs inspect(JavaRDD<TransitionBatch> data, int rounds) {
    List<TrainingDivergedException> problems =
        data.map(SparkReplayTrainer::nonFinite).filter(problem -> problem != null).take(1);
    if (!problems.isEmpty()) {
      LOG.error("the replay holds a non-finite {}; no round is run", problems.get(0).quantity());
      throw problems.get(0).inRound(1, rounds);
    }
    if (data.isEmpty()) {
      throw new IllegalArgumentException(
          "no replay batches to train on; run replay for the training window first");
    }
    long[] sizes =
        data.map(batch -> new long[] {1L, batch.size(), batch.size()})
            .reduce((a, b) -> new long[] {a[0] + b[0], a[1] + b[1], Math.max(a[2], b[2])});
    TransitionBatch probe = data.first();
    probe.requireShape(step.shape());
    return new Inputs(sizes[0], sizes[1], (int) sizes[2], probe);
  }

  /** The failure of {@link TransitionBatch#requireFinite()} on {@code batch}, or null. */
  private static TrainingDivergedException nonFinite(TransitionBatch batch) {
    try {
      batch.requireFinite();
      return null;
    } catch (TrainingDivergedException failure) {
      return failure;
    }
  }

  private RoundFigures runRound(
      JavaRDD<TransitionBatch> data, Inputs inputs, Fits fits, int round, int rounds) {
    long start = System.nanoTime();
    List<INDArray> before = step.networks().parameters();
    try {
      double[] criticLosses = fitCritics(data, fits);
      ActorFigures actorFigures = fitActors(data, fits);
      TrainingDivergedException.requireWithin(
          "max |Q|", actorFigures.maxAbsQ, step.config().qBound());
      step.softUpdateTargets(inputs.roundTau(step.config().tau(), workers));
      step.networks().requireFiniteParameters();
      double[] gradientNorms = step.gradientNorms(inputs.probe);
      long transitions = inputs.transitions;
      return new RoundFigures(
          round,
          criticLosses[0],
          criticLosses[1],
          actorFigures.lossSum / actorFigures.rows,
          actorFigures.qSum / actorFigures.rows,
          actorFigures.maxQ,
          actorFigures.behaviourSum / actorFigures.rows,
          gradientNorms[0],
          gradientNorms[1],
          gradientNorms[2],
          transitions,
          secondsSince(start));
    } catch (RuntimeException failure) {
      TrainingDivergedException diverged = divergence(failure);
      if (diverged == null) {
        throw failure;
      }
      step.networks().restore(before);
      LOG.error(
          "round {}/{} stopped on {}; networks restored to their state before the round",
          round,
          rounds,
          diverged.quantity());
      throw diverged.inRound(round, rounds);
    }
  }

  /**
   * Fits both critics to the round's TD targets and returns their losses: the mean squared TD error
   * over every transition before the fit (the local trainer's figure is the same error averaged
   * over its batches, each before its own update), computed exactly here rather than taken from
   * dl4j-spark's score of each worker's last minibatch, which heavy-tailed rewards make noisy.
   */
  private double[] fitCritics(JavaRDD<TransitionBatch> data, Fits fits) {
    Broadcast<NetworkSnapshot> snapshot = sc.broadcast(NetworkSnapshot.of(step));
    JavaRDD<CriticShard> shards = data.map(batch -> criticShard(snapshot.value(), batch));
    shards.persist(StorageLevel.MEMORY_ONLY());
    try {
      double[] sums =
          shards
              .map(shard -> new double[] {shard.squaredError1, shard.squaredError2, shard.rows})
              .reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
      double loss1 = sums[0] / sums[2];
      double loss2 = sums[1] / sums[2];
      TrainingDivergedException.requireFinite("critic_1 loss", loss1, LOSS_HINT);
      TrainingDivergedException.requireFinite("critic_2 loss", loss2, LOSS_HINT);
      JavaRDD<MultiDataSet> criticData = shards.map(shard -> shard.data);
      fits.critic1.fitMultiDataSet(criticData);
      TrainingDivergedException.requireFinite("critic_1 loss", fits.critic1.getScore(), LOSS_HINT);
      fits.critic2.fitMultiDataSet(criticData);
      TrainingDivergedException.requireFinite("critic_2 loss", fits.critic2.getScore(), LOSS_HINT);
      return new double[] {loss1, loss2};
    } finally {
      shards.unpersist(false);
      snapshot.destroy();
    }
  }

  private static CriticShard criticShard(NetworkSnapshot snapshot, TransitionBatch batch) {
    LocalTd3BcStep local = snapshot.step();
    INDArray targets = local.tdTargets(batch);
    INDArray q1 =
        Networks.q(
            local.critic1(),
            batch.history(),
            batch.observation(),
            batch.action(),
            batch.agent(),
            batch.encoderStep());
    INDArray q2 =
        Networks.q(
            local.critic2(),
            batch.history(),
            batch.observation(),
            batch.action(),
            batch.agent(),
            batch.encoderStep());
    return new CriticShard(
        LocalTd3BcStep.criticData(batch, targets),
        q1.squaredDistance(targets),
        q2.squaredDistance(targets),
        batch.size());
  }

  private ActorFigures fitActors(JavaRDD<TransitionBatch> data, Fits fits) {
    Broadcast<NetworkSnapshot> snapshot = sc.broadcast(NetworkSnapshot.of(step));
    JavaRDD<ActorShard> shards = data.flatMap(batch -> actorShards(snapshot.value(), batch));
    shards.persist(StorageLevel.MEMORY_ONLY());
    try {
      List<ActorShard> figuresOnly = shards.map(ActorShard::withoutData).collect();
      ActorFigures figures = new ActorFigures();
      long[] rowsByAgent = new long[step.shape().agents()];
      for (ActorShard shard : figuresOnly) {
        figures.add(shard);
        rowsByAgent[shard.agent] += shard.rows;
      }
      for (int agent = 0; agent < step.shape().agents(); agent++) {
        if (rowsByAgent[agent] == 0) {
          continue;
        }
        int own = agent;
        JavaRDD<MultiDataSet> actorData =
            shards.filter(shard -> shard.agent == own).map(shard -> shard.data);
        SparkComputationGraph fit = fits.actor(agent);
        fit.fitMultiDataSet(actorData);
        double loss = fit.getScore();
        TrainingDivergedException.requireFinite("actor_" + agent + " loss", loss, LOSS_HINT);
        Networks.copyActorFrom(step.actorTraining(agent), step.actor(agent));
        figures.lossSum += loss * rowsByAgent[agent];
      }
      return figures;
    } finally {
      shards.unpersist(false);
      snapshot.destroy();
    }
  }

  private static Iterator<ActorShard> actorShards(NetworkSnapshot snapshot, TransitionBatch batch) {
    LocalTd3BcStep local = snapshot.step();
    List<long[]> rowsByAgent = local.rowsByAgent(batch.agent());
    List<ActorShard> shards = new ArrayList<>();
    for (int agent = 0; agent < rowsByAgent.size(); agent++) {
      long[] rows = rowsByAgent.get(agent);
      if (rows.length == 0) {
        continue;
      }
      TransitionBatch own = rows.length == batch.size() ? batch : batch.rows(rows);
      LocalTd3BcStep.ActorBatch actorBatch = local.actorBatch(agent, own);
      shards.add(
          new ActorShard(
              agent,
              actorBatch.data(),
              rows.length,
              actorBatch.qSum(),
              actorBatch.maxQ(),
              actorBatch.maxAbsQ(),
              actorBatch.behaviourSum()));
    }
    return shards.iterator();
  }

  /**
   * The {@link TrainingDivergedException} behind a failure, whether thrown on the driver or inside
   * a Spark task (then wrapped in a {@link SparkException}); null when there is none.
   */
  private static TrainingDivergedException divergence(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof TrainingDivergedException diverged) {
        return diverged;
      }
    }
    return null;
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / NANOS_PER_SECOND;
  }

  /** The run's fixed facts about its input. */
  private record Inputs(long batches, long transitions, int maxRows, TransitionBatch probe) {

    /** τ_round = 1 − (1 − τ)^k, k = the batches each of {@code workers} fits in a round. */
    double roundTau(double tau, int workers) {
      long perWorker = (batches + workers - 1) / workers;
      return 1.0 - Math.pow(1.0 - tau, perWorker);
    }
  }

  /**
   * The dl4j-spark wrappers of the fitted graphs: both critics and each scenario's actor-training
   * graph, all live networks of the step, with one parameter-averaging master each. A worker trains
   * on every batch of its partition between averagings: no repartitioning ({@link
   * Repartition#Never}), minibatches of the largest batch's rows, and an averaging frequency of the
   * run's batch count, so that no partition is cut short and each fit is one split (one count and
   * one training job).
   */
  private final class Fits {
    private final SparkComputationGraph critic1;
    private final SparkComputationGraph critic2;
    private final List<SparkComputationGraph> actors = new ArrayList<>();

    Fits(Inputs inputs, long seed) {
      critic1 = new SparkComputationGraph(sc, step.critic1(), master(inputs, seed));
      critic2 = new SparkComputationGraph(sc, step.critic2(), master(inputs, seed));
      for (int agent = 0; agent < step.shape().agents(); agent++) {
        ComputationGraph training = step.actorTraining(agent);
        Networks.copyCriticInto(step.critic1(), training);
        Networks.copyActorInto(step.actor(agent), training);
        actors.add(new SparkComputationGraph(sc, training, master(inputs, seed)));
      }
    }

    SparkComputationGraph actor(int agent) {
      SparkComputationGraph fit = actors.get(agent);
      Networks.copyCriticInto(step.critic1(), fit.getNetwork());
      Networks.copyActorInto(step.actor(agent), fit.getNetwork());
      return fit;
    }
  }

  private ParameterAveragingTrainingMaster master(Inputs inputs, long seed) {
    return new ParameterAveragingTrainingMaster.Builder(workers, inputs.maxRows)
        .batchSizePerWorker(inputs.maxRows)
        .averagingFrequency((int) Math.min(Integer.MAX_VALUE, inputs.batches))
        .workerPrefetchNumBatches(0)
        .saveUpdater(true)
        .repartionData(Repartition.Never)
        .storageLevel(null)
        .rddTrainingApproach(RDDTrainingApproach.Direct)
        .rngSeed(seed)
        .build();
  }

  /** Row-weighted sums of one round's actor figures. */
  private static final class ActorFigures {
    private long rows;
    private double lossSum;
    private double qSum;
    private double maxQ = Double.NEGATIVE_INFINITY;
    private double maxAbsQ;
    private double behaviourSum;

    void add(ActorShard shard) {
      rows += shard.rows;
      qSum += shard.qSum;
      maxQ = Math.max(maxQ, shard.maxQ);
      maxAbsQ = Math.max(maxAbsQ, shard.maxAbsQ);
      behaviourSum += shard.behaviourSum;
    }
  }

  /** The critics' training data of one batch, with each critic's squared TD error on it. */
  private record CriticShard(
      MultiDataSet data, double squaredError1, double squaredError2, long rows)
      implements Serializable {}

  /** One scenario's actor-training data from one batch, with its figures. */
  private static final class ActorShard implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int agent;
    private final MultiDataSet data;
    private final long rows;
    private final double qSum;
    private final double maxQ;
    private final double maxAbsQ;
    private final double behaviourSum;

    ActorShard(
        int agent,
        MultiDataSet data,
        long rows,
        double qSum,
        double maxQ,
        double maxAbsQ,
        double behaviourSum) {
      this.agent = agent;
      this.data = data;
      this.rows = rows;
      this.qSum = qSum;
      this.maxQ = maxQ;
      this.maxAbsQ = maxAbsQ;
      this.behaviourSum = behaviourSum;
    }

    ActorShard withoutData() {
      return new ActorShard(agent, null, rows, qSum, maxQ, maxAbsQ, behaviourSum);
    }
  }
}
