package dev.kindling.agents.nets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The known-best-action check on a {@link SyntheticBandit} replay, shared by every trainer's test:
 * behaviour-cloned actors to start from the logging policy, and after training, assertions that
 * both critics rank the best action above the logging policy's worse one and that the actors moved
 * towards the best action while staying within the behaviour support.
 */
public final class BanditCheck {

  private static final Logger LOG = LoggerFactory.getLogger(BanditCheck.class);

  private static final int CLONING_FITS = 150;
  private static final double MIN_Q_GAP = 0.2;
  private static final double CLONED_TOLERANCE = 0.05;
  private static final double MAX_REMAINING_GAP_SHARE = 0.6;
  private static final double SUPPORT_RADIUS = 0.15;

  private final NetworkShape shape;
  private final TransitionBatch replay;
  private final TransitionBatch evaluation;
  private final INDArray loggedMean;
  private INDArray actorMeanBefore;

  /**
   * A check over {@code replay} (the training data) and {@code evaluation} (held-out rows of the
   * same bandit).
   */
  public BanditCheck(NetworkShape shape, TransitionBatch replay, TransitionBatch evaluation) {
    this.shape = shape;
    this.replay = replay;
    this.evaluation = evaluation;
    this.loggedMean = meanWeights(replay.action());
  }

  /**
   * One actor per agent behaviour-cloned onto the logged actions, so that TD3+BC starts from the
   * logging policy (the "before" of the check is the logged mean, not a random initialisation).
   */
  public List<ComputationGraph> behaviourClonedActors() {
    List<ComputationGraph> actors = new ArrayList<>();
    int actionSize = shape.actionSize();
    INDArray weights =
        replay.action().get(NDArrayIndex.all(), NDArrayIndex.interval(0, actionSize));
    INDArray exploration =
        replay.action().get(NDArrayIndex.all(), NDArrayIndex.interval(actionSize, actionSize + 1));
    MultiDataSet cloning =
        new MultiDataSet(
            new INDArray[] {replay.history(), replay.observation()},
            new INDArray[] {weights.dup(), exploration.dup()});
    for (int agent = 0; agent < shape.agents(); agent++) {
      ComputationGraph actor = Networks.actor(shape.withSeed(shape.seed() + 2 + agent));
      for (int fit = 0; fit < CLONING_FITS; fit++) {
        actor.fit(cloning);
      }
      actors.add(actor);
    }
    return actors;
  }

  /** Records the actors' mean action before training and checks it is the logged mean. */
  public void before(Td3BcNetworks networks) {
    actorMeanBefore = meanWeights(actions(networks, evaluation));
    assertThat(actorMeanBefore.distance2(loggedMean))
        .as("behaviour cloning starts the actors at the logged mean")
        .isLessThan(CLONED_TOLERANCE);
  }

  /** Logs the outcome of training and asserts it; {@code label} names the trainer. */
  public void after(String label, Td3BcNetworks networks) {
    double qBest1 = meanQ(networks.critic1(), SyntheticBandit.BEST);
    double qWorse1 = meanQ(networks.critic1(), SyntheticBandit.WORSE);
    double qBest2 = meanQ(networks.critic2(), SyntheticBandit.BEST);
    double qWorse2 = meanQ(networks.critic2(), SyntheticBandit.WORSE);
    INDArray actorActions = actions(networks, evaluation);
    INDArray actorMeanAfter = meanWeights(actorActions);
    double actorBehaviourDistance = behaviourDistance(actorActions);
    int rows = (int) evaluation.size();
    double loggedSpread = behaviourDistance(SyntheticBandit.repeatedRow(loggedMean, rows));
    double bestBehaviourDistance =
        behaviourDistance(SyntheticBandit.repeated(SyntheticBandit.BEST, rows));
    long support = loggedWithin(actorMeanAfter);
    long bestSupport =
        loggedWithin(Nd4j.createFromArray(SyntheticBandit.BEST).castTo(DataType.FLOAT));
    double loggedGap = distance(loggedMean, SyntheticBandit.BEST);
    double actorGap = distance(actorMeanAfter, SyntheticBandit.BEST);
    LOG.info(
        "bandit ({}): Q1(best) {} vs Q1(worse) {}, Q2 {} vs {} (true {} vs {}); logged mean {}"
            + " (dist to best {}); actor mean before {} (dist {}), after {} (dist {}); behaviour"
            + " distance {} (logged mean's {}, best action's {}); logged actions within {} of the"
            + " actor mean: {} (of the best action: {}) of {}",
        label,
        qBest1,
        qWorse1,
        qBest2,
        qWorse2,
        SyntheticBandit.reward(SyntheticBandit.BEST),
        SyntheticBandit.reward(SyntheticBandit.WORSE),
        loggedMean,
        loggedGap,
        actorMeanBefore,
        distance(actorMeanBefore, SyntheticBandit.BEST),
        actorMeanAfter,
        actorGap,
        actorBehaviourDistance,
        loggedSpread,
        bestBehaviourDistance,
        SUPPORT_RADIUS,
        support,
        bestSupport,
        replay.size());

    assertThat(qBest1 - qWorse1)
        .as("critic 1 ranks the best action above the logged worse one")
        .isGreaterThan(MIN_Q_GAP);
    assertThat(qBest2 - qWorse2)
        .as("critic 2 ranks the best action above the logged worse one")
        .isGreaterThan(MIN_Q_GAP);
    assertThat(actorGap)
        .as("the actor's mean action moved from the logged mean towards the best action")
        .isLessThan(MAX_REMAINING_GAP_SHARE * loggedGap);
    assertThat(actorBehaviourDistance)
        .as("the actor is no further from the logged actions than the (covered) best action is")
        .isLessThan(bestBehaviourDistance);
    assertThat(support)
        .as("logged actions within %s of the actor's mean action", SUPPORT_RADIUS)
        .isGreaterThanOrEqualTo(bestSupport);
  }

  private INDArray meanWeights(INDArray jointActions) {
    return jointActions
        .get(NDArrayIndex.all(), NDArrayIndex.interval(0, shape.actionSize()))
        .mean(0);
  }

  private static double distance(INDArray a, double[] b) {
    return a.distance2(Nd4j.createFromArray(b).castTo(DataType.FLOAT));
  }

  private INDArray actions(Td3BcNetworks networks, TransitionBatch batch) {
    INDArray all = Nd4j.zeros(DataType.FLOAT, batch.size(), shape.jointActionSize());
    for (int agent = 0; agent < shape.agents(); agent++) {
      all.addi(
          Networks.act(networks.actors().get(agent), batch.history(), batch.observation())
              .muliColumnVector(batch.agent().getColumn(agent, true)));
    }
    return all;
  }

  private double meanQ(ComputationGraph critic, double[] weights) {
    return Networks.q(
            critic,
            evaluation.history(),
            evaluation.observation(),
            SyntheticBandit.repeated(weights, (int) evaluation.size()),
            evaluation.agent())
        .meanNumber()
        .doubleValue();
  }

  /** Mean over rows of the squared distance between the joint actions and the logged ones. */
  private double behaviourDistance(INDArray jointActions) {
    return jointActions.squaredDistance(evaluation.action()) / evaluation.size();
  }

  private long loggedWithin(INDArray meanWeights) {
    int actionSize = shape.actionSize();
    INDArray weights =
        replay.action().get(NDArrayIndex.all(), NDArrayIndex.interval(0, actionSize));
    INDArray gaps = weights.subRowVector(meanWeights.reshape(1, actionSize));
    INDArray distances = Transforms.sqrt(gaps.muli(gaps).sum(1), false);
    return distances.lt(SUPPORT_RADIUS).castTo(DataType.INT64).sumNumber().longValue();
  }
}
