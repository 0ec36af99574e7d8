package dev.kindling.agents.nets;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The multi-agent TD3+BC update in one JVM: twin centralized critics with target copies, one
 * private actor per scenario with a target copy, and {@link #round(TransitionBatch)}, which runs
 * one round on an in-memory batch:
 *
 * <ol>
 *   <li>TD targets y = r + γ·(1−done)·min(Q'₁, Q'₂)(h', o', π'(h', o'), agent'), where π' is the
 *       target actor of the scenario that serves the next step (clipped double-Q);
 *   <li>one fit of each critic to y (MSE);
 *   <li>one fit of each scenario's actor on that scenario's rows, through the frozen first critic
 *       ({@link Networks#actorTraining}), minimising −λ·Q + ‖π − a_target‖² − β·H with λ = α /
 *       max(mean|Q|, {@link Td3BcConfig#minQScale()}) over the rows (TD3+BC's normalisation with a
 *       floor; λ is held constant within the fit) and a_target = (1 − κ)·a_logged + κ·a_reference
 *       when the config carries reference actions ({@link Td3BcConfig#anchored()}), else a_logged;
 *   <li>soft updates of the four kinds of target networks with τ.
 * </ol>
 *
 * <p>Guards: every input array, the TD targets, the losses and the parameters after the round must
 * be finite, and |Q| must stay within {@link Td3BcConfig#qBound()}; otherwise the round throws
 * {@link TrainingDivergedException}. Inputs are checked before any network changes, so a bad batch
 * (e.g. a NaN reward) leaves every network as it was.
 *
 * <p>Costs per round: {@code agents} target-actor passes and two target-critic passes over the
 * whole batch, two critic fits, one actor-training fit per scenario present in the batch (each
 * running two LSTMs over the history), and parameter copies of a few thousand floats. The recurrent
 * layers dominate; use batches of several hundred rows or more. Not thread-safe: one round at a
 * time. Spark-free and schema-free, so a distributed trainer can reuse the same networks and
 * pieces.
 */
public final class LocalTd3BcStep {

  private static final double NANOS_PER_SECOND = 1e9;

  private static final String TARGET_HINT =
      "the target networks produced non-finite values; the previous round diverged or the"
          + " replay batch holds extreme values";

  private static final String LOSS_HINT =
      "the fit diverged; lower the learning rates, check reward scale and the replay batch";

  private final NetworkShape shape;
  private final Td3BcConfig config;
  private final Td3BcNetworks networks;
  private final List<ComputationGraph> actorTrainings;

  /**
   * A step over given networks (a warm start from a published policy, a resumed checkpoint, or
   * fresh ones). The networks are used live, not copied.
   *
   * @param shape the shape every network was built from
   * @param config the update's hyperparameters
   * @param networks critics, actors and their targets; one actor per agent of {@code shape}
   */
  public LocalTd3BcStep(NetworkShape shape, Td3BcConfig config, Td3BcNetworks networks) {
    if (networks.agents() != shape.agents()) {
      throw new IllegalArgumentException(
          "expected one actor per agent (" + shape.agents() + "), got " + networks.agents());
    }
    if (!config.referenceActions().isEmpty()
        && (config.referenceActions().size() != shape.agents()
            || config.referenceActions().get(0).size() != shape.jointActionSize())) {
      throw new IllegalArgumentException(
          "expected one reference action of "
              + shape.jointActionSize()
              + " values per agent ("
              + shape.agents()
              + "), got "
              + config.referenceActions());
    }
    this.shape = shape;
    this.config = config;
    this.networks = networks;
    List<ComputationGraph> trainings = new ArrayList<>();
    for (int agent = 0; agent < shape.agents(); agent++) {
      trainings.add(Networks.actorTraining(shape, config.entropyWeight()));
    }
    this.actorTrainings = List.copyOf(trainings);
  }

  /**
   * A step over given critics and actors (used live) whose target networks start as clones of them.
   *
   * @param shape the shape every network was built from
   * @param config the update's hyperparameters
   * @param critic1 the first critic, from {@link Networks#critic}
   * @param critic2 the second critic, from {@link Networks#critic} with another seed
   * @param actors one actor per scenario, from {@link Networks#actor}, index = agent index
   */
  public LocalTd3BcStep(
      NetworkShape shape,
      Td3BcConfig config,
      ComputationGraph critic1,
      ComputationGraph critic2,
      List<ComputationGraph> actors) {
    this(shape, config, Td3BcNetworks.withTargetsClonedFrom(critic1, critic2, actors));
  }

  /**
   * A step over freshly initialised networks ({@link Td3BcNetworks#fresh}): critics seeded {@code
   * seed} and {@code seed + 1}, actor k seeded {@code seed + 2 + k}.
   */
  public static LocalTd3BcStep create(NetworkShape shape, Td3BcConfig config) {
    return new LocalTd3BcStep(shape, config, Td3BcNetworks.fresh(shape));
  }

  /**
   * One TD3+BC round on {@code batch}; see the class comment for the steps, costs and guards.
   *
   * @param batch transitions whose arrays match {@link #shape()}
   * @return losses, Q statistics, behaviour distance and timing of the round
   * @throws IllegalArgumentException when an array's shape does not match
   * @throws TrainingDivergedException when an input, target, loss or parameter is not finite, or
   *     |Q| exceeds the bound
   */
  public Td3BcRoundResult round(TransitionBatch batch) {
    long start = System.nanoTime();
    batch.requireShape(shape);
    batch.requireFinite();

    INDArray targets = tdTargets(batch);
    MultiDataSet criticData = criticData(batch, targets);
    ComputationGraph critic1 = networks.critic1();
    ComputationGraph critic2 = networks.critic2();
    critic1.fit(criticData);
    double criticLoss1 = critic1.score();
    critic2.fit(criticData);
    double criticLoss2 = critic2.score();
    TrainingDivergedException.requireFinite("critic_1 loss", criticLoss1, LOSS_HINT);
    TrainingDivergedException.requireFinite("critic_2 loss", criticLoss2, LOSS_HINT);

    double lossSum = 0.0;
    double qSum = 0.0;
    double maxQ = Double.NEGATIVE_INFINITY;
    double maxAbsQ = 0.0;
    double behaviourSum = 0.0;
    List<long[]> rowsByAgent = rowsByAgent(batch.agent());
    for (int agent = 0; agent < shape.agents(); agent++) {
      long[] rows = rowsByAgent.get(agent);
      if (rows.length == 0) {
        continue;
      }
      TransitionBatch own = rows.length == batch.size() ? batch : batch.rows(rows);
      ActorBatch actorBatch = actorBatch(agent, own);
      ComputationGraph training = actorTrainings.get(agent);
      training.fit(actorBatch.data());
      double loss = training.score();
      TrainingDivergedException.requireFinite("actor_" + agent + " loss", loss, LOSS_HINT);
      Networks.copyActorFrom(training, networks.actors().get(agent));
      lossSum += loss * own.size();
      qSum += actorBatch.qSum();
      maxQ = Math.max(maxQ, actorBatch.maxQ());
      maxAbsQ = Math.max(maxAbsQ, actorBatch.maxAbsQ());
      behaviourSum += actorBatch.behaviourSum();
    }
    TrainingDivergedException.requireWithin("max |Q|", maxAbsQ, config.qBound());

    softUpdateTargets();
    networks.requireFiniteParameters();

    long rowsTotal = batch.size();
    return new Td3BcRoundResult(
        rowsTotal,
        criticLoss1,
        criticLoss2,
        lossSum / rowsTotal,
        qSum / rowsTotal,
        maxQ,
        targets.meanNumber().doubleValue(),
        behaviourSum / rowsTotal,
        (System.nanoTime() - start) / NANOS_PER_SECOND);
  }

  /**
   * The TD targets y = r + γ·(1−done)·min(Q'₁, Q'₂)(h', o', π'(h', o'), agent') of a batch, {@code
   * [batch, 1]}, from the target networks, checked finite and within {@link Td3BcConfig#qBound()}.
   * Cost: {@code agents} target-actor passes and two target-critic passes over the batch.
   *
   * @throws TrainingDivergedException when a target is not finite or beyond the bound
   */
  public INDArray tdTargets(TransitionBatch batch) {
    INDArray nextAction = Nd4j.zeros(DataType.FLOAT, batch.size(), shape.jointActionSize());
    for (int agent = 0; agent < shape.agents(); agent++) {
      INDArray servesNext = batch.nextAgent().getColumn(agent, true);
      if (servesNext.sumNumber().doubleValue() == 0.0) {
        continue;
      }
      INDArray proposed =
          Networks.act(
              networks.targetActors().get(agent),
              batch.nextHistory(),
              batch.nextObservation(),
              batch.encoderNext());
      nextAction.addi(proposed.muliColumnVector(servesNext));
    }
    INDArray nextQ1 =
        Networks.q(
            networks.targetCritic1(),
            batch.nextHistory(),
            batch.nextObservation(),
            nextAction,
            batch.nextAgent(),
            batch.encoderNext());
    INDArray nextQ2 =
        Networks.q(
            networks.targetCritic2(),
            batch.nextHistory(),
            batch.nextObservation(),
            nextAction,
            batch.nextAgent(),
            batch.encoderNext());
    INDArray continues = batch.done().rsub(1.0);
    INDArray targets =
        Transforms.min(nextQ1, nextQ2, true)
            .muli(continues)
            .muli(config.gamma())
            .addi(batch.reward());
    TrainingDivergedException.requireFinite("td_target", targets, TARGET_HINT);
    TrainingDivergedException.requireWithin(
        "max |td_target|", targets.amaxNumber().doubleValue(), config.qBound());
    return targets;
  }

  /**
   * The critics' training data of a batch: inputs (h, o, a_logged, agent) and, with an encoder, its
   * inputs and mask; label the TD targets.
   */
  public static MultiDataSet criticData(TransitionBatch batch, INDArray targets) {
    INDArray[] base = {batch.history(), batch.observation(), batch.action(), batch.agent()};
    return new MultiDataSet(
        Networks.inputs(base, batch.encoderStep()),
        new INDArray[] {targets},
        Networks.inputMasks(base.length, batch.encoderStep()),
        null);
  }

  /**
   * The actor-training data of one scenario's rows with the current first critic and actor: inputs
   * (h, o, agent) and, with an encoder, its inputs and mask; labels (λ, target weights, target
   * exploration: the logged ones, mixed with the agent's reference action when the config is {@link
   * Td3BcConfig#anchored()}) with λ = α / max(mean|Q|, {@link Td3BcConfig#minQScale()}) over the
   * rows, the behaviour heads' per-row weights {@code 1 − ρ·explore_prob} as label masks, and the Q
   * figures of the policy's actions. Copies the critic and the actor into the scenario's
   * actor-training graph ({@link #actorTraining}) and runs one inference pass of it; nothing is
   * fitted.
   *
   * @param agent the scenario every row of {@code own} belongs to
   * @param own that scenario's rows, at least one
   * @throws TrainingDivergedException when the policy's Q is not finite
   */
  public ActorBatch actorBatch(int agent, TransitionBatch own) {
    ComputationGraph training = actorTrainings.get(agent);
    Networks.copyCriticInto(networks.critic1(), training);
    Networks.copyActorInto(networks.actors().get(agent), training);

    INDArray[] base = {own.history(), own.observation(), own.agent()};
    INDArray[] inputs = Networks.inputs(base, own.encoderStep());
    INDArray[] inputMasks = Networks.inputMasks(base.length, own.encoderStep());
    INDArray[] outputs = training.output(false, inputs, inputMasks);
    INDArray q = outputs[0];
    INDArray policy = Nd4j.hstack(outputs[1], outputs[2]);
    long rows = own.size();
    double meanAbsQ = Transforms.abs(q, true).meanNumber().doubleValue();
    TrainingDivergedException.requireFinite("Q of the policy", meanAbsQ, LOSS_HINT);
    double lambda = config.alpha() / Math.max(meanAbsQ, config.minQScale());

    INDArray loggedWeights =
        own.action().get(NDArrayIndex.all(), NDArrayIndex.interval(0, shape.actionSize())).dup();
    INDArray loggedExploration =
        own.action()
            .get(
                NDArrayIndex.all(),
                NDArrayIndex.interval(shape.actionSize(), shape.jointActionSize()))
            .dup();
    INDArray behaviourWeight = behaviourWeights(loggedExploration);
    INDArray[] labels = {
      Nd4j.valueArrayOf(new long[] {rows, 1}, lambda, DataType.FLOAT),
      anchoredTarget(agent, loggedWeights, 0),
      anchoredTarget(agent, loggedExploration, shape.actionSize())
    };
    INDArray[] labelMasks = {null, behaviourWeight, behaviourWeight.dup()};
    return new ActorBatch(
        new MultiDataSet(inputs, labels, inputMasks, labelMasks),
        q.sumNumber().doubleValue(),
        q.maxNumber().doubleValue(),
        q.amaxNumber().doubleValue(),
        policy.squaredDistance(own.action()));
  }

  /**
   * The behaviour target of one head: {@code logged} itself, or {@code (1 − κ)·logged +
   * κ·reference} with the agent's reference action's values from {@code offset} on when the config
   * is {@link Td3BcConfig#anchored()}. Modifies and returns {@code logged} (a copy of the batch).
   */
  private INDArray anchoredTarget(int agent, INDArray logged, int offset) {
    if (!config.anchored()) {
      return logged;
    }
    List<Double> action = config.referenceActions().get(agent);
    float[] reference = new float[(int) logged.columns()];
    for (int i = 0; i < reference.length; i++) {
      reference[i] = (float) (config.referenceWeight() * action.get(offset + i));
    }
    return logged
        .muli(1.0 - config.referenceWeight())
        .addiRowVector(Nd4j.createFromArray(reference).reshape(1, reference.length));
  }

  /**
   * The per-row weights {@code 1 − ρ·explore_prob} of the behaviour regulariser ({@code [rows, 1]},
   * in [0, 1]), applied as label masks of the two behaviour heads: DL4J multiplies each row's score
   * and gradient by its mask value, so a row whose logged action the logging policy was unsure of
   * pulls the actor less (ρ = {@link Td3BcConfig#behaviourRelaxation()}).
   */
  private INDArray behaviourWeights(INDArray loggedExploration) {
    return loggedExploration.mul(-config.behaviourRelaxation()).addi(1.0);
  }

  /**
   * The L2 norms of the gradients of the critics' and the actors' losses on {@code probe} at the
   * current parameters, before any optimiser step: {@code [critic_1, critic_2, actors]}, the last
   * over the actor layers of every scenario present in the probe (the frozen critic layers carry no
   * gradient). Nothing is updated. Cost: one backward pass per critic and per scenario.
   *
   * @throws TrainingDivergedException when the probe's targets or the policy's Q are not finite
   */
  public double[] gradientNorms(TransitionBatch probe) {
    probe.requireShape(shape);
    MultiDataSet criticData = criticData(probe, tdTargets(probe));
    double critic1 = gradientNorm(networks.critic1(), criticData);
    double critic2 = gradientNorm(networks.critic2(), criticData);
    double actorSquares = 0.0;
    List<long[]> rowsByAgent = rowsByAgent(probe.agent());
    for (int agent = 0; agent < shape.agents(); agent++) {
      long[] rows = rowsByAgent.get(agent);
      if (rows.length == 0) {
        continue;
      }
      TransitionBatch own = rows.length == probe.size() ? probe : probe.rows(rows);
      double norm = gradientNorm(actorTrainings.get(agent), actorBatch(agent, own).data());
      actorSquares += norm * norm;
    }
    return new double[] {critic1, critic2, Math.sqrt(actorSquares)};
  }

  private static double gradientNorm(ComputationGraph network, MultiDataSet data) {
    network.setInputs(data.getFeatures());
    network.setLabels(data.getLabels());
    network.setLayerMaskArrays(data.getFeaturesMaskArrays(), data.getLabelsMaskArrays());
    try {
      network.computeGradientAndScore();
      return network.gradient().gradient().norm2Number().doubleValue();
    } finally {
      network.clearLayerMaskArrays();
      network.clear();
    }
  }

  /** θ' ← τθ + (1−τ)θ' for the two target critics and every target actor, τ from the config. */
  public void softUpdateTargets() {
    softUpdateTargets(config.tau());
  }

  /**
   * θ' ← τθ + (1−τ)θ' for the two target critics and every target actor with a given τ (a
   * distributed trainer's per-round equivalent of several steps' updates).
   *
   * @param tau τ in [0, 1]
   */
  public void softUpdateTargets(double tau) {
    Networks.softUpdate(networks.targetCritic1(), networks.critic1(), tau);
    Networks.softUpdate(networks.targetCritic2(), networks.critic2(), tau);
    for (int agent = 0; agent < shape.agents(); agent++) {
      Networks.softUpdate(networks.targetActors().get(agent), networks.actors().get(agent), tau);
    }
  }

  /** The shape every network of this step was built from. */
  public NetworkShape shape() {
    return shape;
  }

  /** The update's hyperparameters. */
  public Td3BcConfig config() {
    return config;
  }

  /** Every network of the step (live; clone before handing one to Spark or another thread). */
  public Td3BcNetworks networks() {
    return networks;
  }

  /** The first critic (live; clone it before handing it to Spark or another thread). */
  public ComputationGraph critic1() {
    return networks.critic1();
  }

  /** The second critic (live). */
  public ComputationGraph critic2() {
    return networks.critic2();
  }

  /** The first target critic (live). */
  public ComputationGraph targetCritic1() {
    return networks.targetCritic1();
  }

  /** The second target critic (live). */
  public ComputationGraph targetCritic2() {
    return networks.targetCritic2();
  }

  /** The private actor of scenario {@code agent} (live). */
  public ComputationGraph actor(int agent) {
    return networks.actors().get(agent);
  }

  /** The target actor of scenario {@code agent} (live). */
  public ComputationGraph targetActor(int agent) {
    return networks.targetActors().get(agent);
  }

  /**
   * The actor-training graph of scenario {@code agent} ({@link Networks#actorTraining}); it holds
   * the actor's Adam state between rounds.
   */
  public ComputationGraph actorTraining(int agent) {
    return actorTrainings.get(agent);
  }

  /**
   * The rows of each scenario in a one-hot agent array: element k lists the row indices whose agent
   * is k, in order.
   */
  public List<long[]> rowsByAgent(INDArray agentOneHot) {
    int[] agentOfRow = agentOneHot.argMax(1).toIntVector();
    int[] counts = new int[shape.agents()];
    for (int agent : agentOfRow) {
      counts[agent]++;
    }
    List<long[]> rows = new ArrayList<>();
    for (int agent = 0; agent < shape.agents(); agent++) {
      rows.add(new long[counts[agent]]);
    }
    int[] filled = new int[shape.agents()];
    for (int row = 0; row < agentOfRow.length; row++) {
      int agent = agentOfRow[row];
      rows.get(agent)[filled[agent]++] = row;
    }
    return rows;
  }

  /**
   * One scenario's actor-training data and the figures of the policy's actions on it, before the
   * actor's update.
   *
   * @param data inputs (h, o, agent) and labels (λ, logged weights, logged exploration)
   * @param qSum sum over rows of Q₁(h, o, π(h, o), agent)
   * @param maxQ largest such Q
   * @param maxAbsQ largest |Q|
   * @param behaviourSum sum over rows of ‖π(h, o) − a_logged‖²
   */
  public record ActorBatch(
      MultiDataSet data, double qSum, double maxQ, double maxAbsQ, double behaviourSum) {}
}
