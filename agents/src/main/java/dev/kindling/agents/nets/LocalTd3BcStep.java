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
 *       ({@link Networks#actorTraining}), minimising −λ·Q + ‖π − a_logged‖² − β·H with λ = α /
 *       max(mean|Q|, {@link Td3BcConfig#minQScale()}) over the rows (TD3+BC's normalisation with a
 *       floor; λ is held constant within the fit);
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
  private final ComputationGraph critic1;
  private final ComputationGraph critic2;
  private final ComputationGraph targetCritic1;
  private final ComputationGraph targetCritic2;
  private final List<ComputationGraph> actors;
  private final List<ComputationGraph> targetActors;
  private final List<ComputationGraph> actorTrainings;

  /**
   * A step over given networks (a warm start from a published policy, or fresh ones); target
   * networks start as clones of them. The networks are used live, not copied.
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
    if (actors.size() != shape.agents()) {
      throw new IllegalArgumentException(
          "expected one actor per agent (" + shape.agents() + "), got " + actors.size());
    }
    this.shape = shape;
    this.config = config;
    this.critic1 = critic1;
    this.critic2 = critic2;
    this.targetCritic1 = critic1.clone();
    this.targetCritic2 = critic2.clone();
    this.actors = List.copyOf(actors);
    List<ComputationGraph> targets = new ArrayList<>();
    List<ComputationGraph> trainings = new ArrayList<>();
    for (ComputationGraph actor : actors) {
      targets.add(actor.clone());
      trainings.add(Networks.actorTraining(shape, config.entropyWeight()));
    }
    this.targetActors = List.copyOf(targets);
    this.actorTrainings = List.copyOf(trainings);
  }

  /**
   * A step over freshly initialised networks: critics seeded {@code seed} and {@code seed + 1},
   * actor k seeded {@code seed + 2 + k}.
   */
  public static LocalTd3BcStep create(NetworkShape shape, Td3BcConfig config) {
    List<ComputationGraph> actors = new ArrayList<>();
    for (int agent = 0; agent < shape.agents(); agent++) {
      actors.add(Networks.actor(shape.withSeed(shape.seed() + 2 + agent)));
    }
    return new LocalTd3BcStep(
        shape,
        config,
        Networks.critic(shape),
        Networks.critic(shape.withSeed(shape.seed() + 1)),
        actors);
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
    TrainingDivergedException.requireFinite("td_target", targets, TARGET_HINT);
    TrainingDivergedException.requireWithin(
        "max |td_target|", targets.amaxNumber().doubleValue(), config.qBound());

    MultiDataSet criticData =
        new MultiDataSet(
            new INDArray[] {batch.history(), batch.observation(), batch.action(), batch.agent()},
            new INDArray[] {targets});
    critic1.fit(criticData);
    double criticLoss1 = critic1.score();
    critic2.fit(criticData);
    double criticLoss2 = critic2.score();
    TrainingDivergedException.requireFinite("critic_1 loss", criticLoss1, LOSS_HINT);
    TrainingDivergedException.requireFinite("critic_2 loss", criticLoss2, LOSS_HINT);

    ActorFigures figures = new ActorFigures();
    List<long[]> rowsByAgent = rowsByAgent(batch.agent());
    for (int agent = 0; agent < shape.agents(); agent++) {
      long[] rows = rowsByAgent.get(agent);
      if (rows.length == 0) {
        continue;
      }
      TransitionBatch own = rows.length == batch.size() ? batch : batch.rows(rows);
      updateActor(agent, own, figures);
    }
    TrainingDivergedException.requireWithin("max |Q|", figures.maxAbsQ, config.qBound());

    Networks.softUpdate(targetCritic1, critic1, config.tau());
    Networks.softUpdate(targetCritic2, critic2, config.tau());
    for (int agent = 0; agent < shape.agents(); agent++) {
      Networks.softUpdate(targetActors.get(agent), actors.get(agent), config.tau());
    }
    requireFiniteParameters();

    long rowsTotal = batch.size();
    return new Td3BcRoundResult(
        rowsTotal,
        criticLoss1,
        criticLoss2,
        figures.lossSum / rowsTotal,
        figures.qSum / rowsTotal,
        figures.maxQ,
        targets.meanNumber().doubleValue(),
        figures.behaviourSum / rowsTotal,
        (System.nanoTime() - start) / NANOS_PER_SECOND);
  }

  /**
   * The TD targets y = r + γ·(1−done)·min(Q'₁, Q'₂)(h', o', π'(h', o'), agent') of a batch, {@code
   * [batch, 1]}, from the target networks. Cost: {@code agents} target-actor passes and two
   * target-critic passes over the batch.
   */
  public INDArray tdTargets(TransitionBatch batch) {
    INDArray nextAction = Nd4j.zeros(DataType.FLOAT, batch.size(), shape.jointActionSize());
    for (int agent = 0; agent < shape.agents(); agent++) {
      INDArray servesNext = batch.nextAgent().getColumn(agent, true);
      if (servesNext.sumNumber().doubleValue() == 0.0) {
        continue;
      }
      INDArray proposed =
          Networks.act(targetActors.get(agent), batch.nextHistory(), batch.nextObservation());
      nextAction.addi(proposed.muliColumnVector(servesNext));
    }
    INDArray nextQ1 =
        Networks.q(
            targetCritic1,
            batch.nextHistory(),
            batch.nextObservation(),
            nextAction,
            batch.nextAgent());
    INDArray nextQ2 =
        Networks.q(
            targetCritic2,
            batch.nextHistory(),
            batch.nextObservation(),
            nextAction,
            batch.nextAgent());
    INDArray continues = batch.done().rsub(1.0);
    return Transforms.min(nextQ1, nextQ2, true)
        .muli(continues)
        .muli(config.gamma())
        .addi(batch.reward());
  }

  /** The shape every network of this step was built from. */
  public NetworkShape shape() {
    return shape;
  }

  /** The update's hyperparameters. */
  public Td3BcConfig config() {
    return config;
  }

  /** The first critic (live; clone it before handing it to Spark or another thread). */
  public ComputationGraph critic1() {
    return critic1;
  }

  /** The second critic (live). */
  public ComputationGraph critic2() {
    return critic2;
  }

  /** The first target critic (live). */
  public ComputationGraph targetCritic1() {
    return targetCritic1;
  }

  /** The second target critic (live). */
  public ComputationGraph targetCritic2() {
    return targetCritic2;
  }

  /** The private actor of scenario {@code agent} (live). */
  public ComputationGraph actor(int agent) {
    return actors.get(agent);
  }

  /** The target actor of scenario {@code agent} (live). */
  public ComputationGraph targetActor(int agent) {
    return targetActors.get(agent);
  }

  private void updateActor(int agent, TransitionBatch own, ActorFigures figures) {
    ComputationGraph training = actorTrainings.get(agent);
    Networks.copyCriticInto(critic1, training);
    Networks.copyActorInto(actors.get(agent), training);

    INDArray[] inputs = {own.history(), own.observation(), own.agent()};
    INDArray[] outputs = training.output(false, inputs);
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
    INDArray[] labels = {
      Nd4j.valueArrayOf(new long[] {rows, 1}, lambda, DataType.FLOAT),
      loggedWeights,
      loggedExploration
    };
    training.fit(new MultiDataSet(inputs, labels));
    double loss = training.score();
    TrainingDivergedException.requireFinite("actor_" + agent + " loss", loss, LOSS_HINT);
    Networks.copyActorFrom(training, actors.get(agent));

    figures.lossSum += loss * rows;
    figures.qSum += q.sumNumber().doubleValue();
    figures.maxQ = Math.max(figures.maxQ, q.maxNumber().doubleValue());
    figures.maxAbsQ = Math.max(figures.maxAbsQ, q.amaxNumber().doubleValue());
    figures.behaviourSum += policy.squaredDistance(own.action());
  }

  private List<long[]> rowsByAgent(INDArray agentOneHot) {
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

  private void requireFiniteParameters() {
    String hint = "the round produced non-finite weights; do not publish or checkpoint them";
    TrainingDivergedException.requireFinite("critic_1 params", critic1.params(), hint);
    TrainingDivergedException.requireFinite("critic_2 params", critic2.params(), hint);
    for (int agent = 0; agent < shape.agents(); agent++) {
      TrainingDivergedException.requireFinite(
          "actor_" + agent + " params", actors.get(agent).params(), hint);
    }
  }

  /** Sums over the scenarios' actor updates within one round. */
  private static final class ActorFigures {
    private double lossSum;
    private double qSum;
    private double maxQ = Double.NEGATIVE_INFINITY;
    private double maxAbsQ;
    private double behaviourSum;
  }
}
