package dev.kindling.agents.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LocalTd3BcStepTest {

  private static final Logger LOG = LoggerFactory.getLogger(LocalTd3BcStepTest.class);

  private static final int OBSERVATION_SIZE = 4;
  private static final int ACTION_SIZE = SyntheticBandit.BEST.length;
  private static final int HISTORY_STEPS = 3;
  private static final int AGENTS = 2;
  private static final long SEED = 42L;
  private static final int REPLAY_ROWS = 2048;
  private static final int BATCH = 256;
  private static final int ROUNDS = 150;
  private static final int RELAXATION_ROUNDS = 40;
  private static final double ACTOR_LEARNING_RATE = 1e-3;
  private static final double CRITIC_LEARNING_RATE = 1e-2;

  /**
   * α of TD3+BC for this problem. With the default 2.5 the actor left the behaviour support here (Q
   * of the policy over-estimated at 1.46 against a true maximum of 1.0, behaviour distance 0.76):
   * ranking weights live on the simplex, where ||π − a||² is far smaller than over TD3+BC's [−1,
   * 1]^d actions, so the same α weighs Q much more.
   */
  private static final double ALPHA = 0.5;

  private static final double NANOS_PER_SECOND = 1e9;
  private static final int EVALUATION_ROWS = 256;
  private static final double FLOAT_TOLERANCE = 1e-5;

  private static final NetworkShape SHAPE =
      NetworkShape.of(OBSERVATION_SIZE, ACTION_SIZE, HISTORY_STEPS, AGENTS, SEED)
          .withLearningRates(ACTOR_LEARNING_RATE, CRITIC_LEARNING_RATE);

  @BeforeAll
  static void float32() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  private static INDArray meanWeights(INDArray jointActions) {
    return jointActions.get(NDArrayIndex.all(), NDArrayIndex.interval(0, ACTION_SIZE)).mean(0);
  }

  private static double distance(INDArray a, double[] b) {
    return a.distance2(Nd4j.createFromArray(b).castTo(DataType.FLOAT));
  }

  private static INDArray actions(LocalTd3BcStep step, TransitionBatch batch) {
    INDArray all = Nd4j.zeros(DataType.FLOAT, batch.size(), SHAPE.jointActionSize());
    for (int agent = 0; agent < AGENTS; agent++) {
      all.addi(
          Networks.act(step.actor(agent), batch.history(), batch.observation())
              .muliColumnVector(batch.agent().getColumn(agent, true)));
    }
    return all;
  }

  @Test
  void learnsTowardsTheKnownBestActionWithinTheBehaviourSupport() {
    TransitionBatch replay = SyntheticBandit.replay(SHAPE, REPLAY_ROWS, SEED);
    TransitionBatch evaluation = SyntheticBandit.replay(SHAPE, EVALUATION_ROWS, SEED + 1);
    BanditCheck check = new BanditCheck(SHAPE, replay, evaluation);
    LocalTd3BcStep step =
        new LocalTd3BcStep(
            SHAPE,
            Td3BcConfig.defaults().withAlpha(ALPHA),
            Networks.critic(SHAPE),
            Networks.critic(SHAPE.withSeed(SEED + 1)),
            check.behaviourClonedActors());
    check.before(step.networks());
    long start = System.nanoTime();

    Td3BcRoundResult first = null;
    Td3BcRoundResult last = null;
    int batches = REPLAY_ROWS / BATCH;
    for (int round = 0; round < ROUNDS; round++) {
      int offset = (round % batches) * BATCH;
      long[] rows = new long[BATCH];
      for (int row = 0; row < BATCH; row++) {
        rows[row] = offset + row;
      }
      last = step.round(replay.rows(rows));
      if (first == null) {
        first = last;
      }
    }
    double seconds = (System.nanoTime() - start) / NANOS_PER_SECOND;
    LOG.info(
        "bandit: {} rounds x {} rows in {} s; critic loss {} -> {}; last round: {}",
        ROUNDS,
        BATCH,
        String.format("%.1f", seconds),
        first.criticLoss1(),
        last.criticLoss1(),
        last);
    check.after("one LocalTd3BcStep round per batch", step.networks());
  }

  /**
   * Where the logging policy says it explored every step (explore_prob 1), full relaxation (ρ = 1)
   * weighs the behaviour regulariser by 0, so the actor drifts further from the logged actions than
   * a fully held one (ρ = 0) trained from the same networks on the same batches.
   */
  @Test
  void relaxationLoosensTheBehaviourPullWhereTheLoggingPolicyExplored() {
    TransitionBatch replay = SyntheticBandit.replay(SHAPE, BATCH * 4, SEED);
    replay.action().get(NDArrayIndex.all(), NDArrayIndex.point(ACTION_SIZE)).assign(1.0f);
    Td3BcConfig held = Td3BcConfig.defaults().withAlpha(ALPHA).withBehaviourRelaxation(0.0);
    double heldDistance = behaviourDistanceAfter(held, replay);
    double relaxedDistance = behaviourDistanceAfter(held.withBehaviourRelaxation(1.0), replay);

    LOG.info("behaviour distance: held {}, relaxed {}", heldDistance, relaxedDistance);
    assertThat(relaxedDistance)
        .as("the relaxed actor ends further from the logged actions than the held one")
        .isGreaterThan(heldDistance * 1.5);
  }

  /**
   * With reference actions, each behaviour head's label is {@code (1 − κ)·a_logged + κ·a_reference}
   * of the row's scenario; without them, the logged action itself.
   */
  @Test
  void behaviourTargetMixesTheLoggedActionWithTheScenariosReference() {
    TransitionBatch batch = SyntheticBandit.replay(SHAPE, BATCH, SEED);
    List<List<Double>> reference =
        List.of(
            List.of(0.1, 0.2, 0.3, 0.2, 0.1, 0.1, 0.05),
            List.of(0.4, 0.3, 0.1, 0.1, 0.05, 0.05, 0.5));
    double kappa = 0.25;
    Td3BcConfig anchored =
        Td3BcConfig.defaults().withReferenceWeight(kappa).withReferenceActions(reference);
    LocalTd3BcStep plain = LocalTd3BcStep.create(SHAPE, Td3BcConfig.defaults());
    LocalTd3BcStep step = LocalTd3BcStep.create(SHAPE, anchored);
    for (int agent = 0; agent < AGENTS; agent++) {
      long[] rows = step.rowsByAgent(batch.agent()).get(agent);
      TransitionBatch own = batch.rows(rows);
      INDArray[] labels = step.actorBatch(agent, own).data().getLabels();
      INDArray[] logged = plain.actorBatch(agent, own).data().getLabels();
      INDArray loggedJoint = own.action();
      assertThat(Nd4j.hstack(logged[1], logged[2]).equalsWithEps(loggedJoint, FLOAT_TOLERANCE))
          .as("without reference actions the targets are the logged actions")
          .isTrue();
      float[] mix = new float[SHAPE.jointActionSize()];
      for (int i = 0; i < mix.length; i++) {
        mix[i] = (float) (kappa * reference.get(agent).get(i));
      }
      INDArray expected =
          loggedJoint.mul(1.0 - kappa).addiRowVector(Nd4j.createFromArray(mix).reshape(1, -1));
      assertThat(Nd4j.hstack(labels[1], labels[2]).equalsWithEps(expected, FLOAT_TOLERANCE))
          .as("agent %d: targets (1 - kappa) logged + kappa reference", agent)
          .isTrue();
    }
    assertThatThrownBy(
            () ->
                LocalTd3BcStep.create(
                    SHAPE, anchored.withReferenceActions(List.of(reference.get(0)))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("one reference action");
  }

  /**
   * Anchored fully to a reference exploration rate (κ = 1), the actors' exploration ends near the
   * reference, not near the logged rate the unanchored actors learn from the same batches.
   */
  @Test
  void fullAnchorHoldsTheExplorationHeadAtTheReference() {
    TransitionBatch replay = SyntheticBandit.replay(SHAPE, BATCH * 4, SEED);
    replay.action().get(NDArrayIndex.all(), NDArrayIndex.point(ACTION_SIZE)).assign(0.3f);
    List<Double> reference = new java.util.ArrayList<>();
    for (int i = 0; i < ACTION_SIZE; i++) {
      reference.add(1.0 / ACTION_SIZE);
    }
    reference.add(0.02);
    Td3BcConfig logged = Td3BcConfig.defaults().withAlpha(ALPHA).withBehaviourRelaxation(0.0);
    Td3BcConfig anchored =
        logged.withReferenceWeight(1.0).withReferenceActions(List.of(reference, reference));
    double loggedRate = explorationAfter(logged, replay);
    double anchoredRate = explorationAfter(anchored, replay);

    LOG.info("mean exploration: logged target {}, anchored target {}", loggedRate, anchoredRate);
    assertThat(loggedRate).as("towards the logged 0.3").isBetween(0.2, 0.45);
    assertThat(anchoredRate).as("towards the reference 0.02").isLessThan(0.12);
  }

  private static double explorationAfter(Td3BcConfig config, TransitionBatch replay) {
    LocalTd3BcStep step = trained(config, replay, RELAXATION_ROUNDS * 2).step();
    return actions(step, replay)
        .get(NDArrayIndex.all(), NDArrayIndex.point(ACTION_SIZE))
        .meanNumber()
        .doubleValue();
  }

  private static double behaviourDistanceAfter(Td3BcConfig config, TransitionBatch replay) {
    return trained(config, replay, RELAXATION_ROUNDS).last().behaviourDistance();
  }

  /** The step and its last round after {@code rounds} rounds from fixed fresh networks. */
  private record Trained(LocalTd3BcStep step, Td3BcRoundResult last) {}

  private static Trained trained(Td3BcConfig config, TransitionBatch replay, int rounds) {
    LocalTd3BcStep step =
        new LocalTd3BcStep(
            SHAPE,
            config,
            Networks.critic(SHAPE),
            Networks.critic(SHAPE.withSeed(SEED + 1)),
            List.of(Networks.actor(SHAPE), Networks.actor(SHAPE.withSeed(SEED + 1))));
    int batches = (int) replay.size() / BATCH;
    Td3BcRoundResult last = null;
    for (int round = 0; round < rounds; round++) {
      long[] rows = new long[BATCH];
      for (int row = 0; row < BATCH; row++) {
        rows[row] = (long) (round % batches) * BATCH + row;
      }
      last = step.round(replay.rows(rows));
    }
    return new Trained(step, last);
  }

  @Test
  void tdTargetIsRewardPlusDiscountedMinimumOfTheTargetCritics() {
    TransitionBatch batch = SyntheticBandit.replay(SHAPE, BATCH, SEED);
    float[][] done = new float[BATCH][1];
    for (int row = 0; row < BATCH; row += 2) {
      done[row][0] = 1f;
    }
    TransitionBatch continuing =
        new TransitionBatch(
            batch.history(),
            batch.observation(),
            batch.action(),
            batch.agent(),
            batch.reward(),
            Nd4j.createFromArray(done),
            batch.nextHistory(),
            batch.nextObservation(),
            batch.nextAgent());
    LocalTd3BcStep step = LocalTd3BcStep.create(SHAPE, Td3BcConfig.defaults());

    INDArray targets = step.tdTargets(continuing);

    INDArray nextAction = actions(step, nextStepOf(continuing));
    INDArray q1 =
        Networks.q(
            step.targetCritic1(),
            continuing.nextHistory(),
            continuing.nextObservation(),
            nextAction,
            continuing.nextAgent());
    INDArray q2 =
        Networks.q(
            step.targetCritic2(),
            continuing.nextHistory(),
            continuing.nextObservation(),
            nextAction,
            continuing.nextAgent());
    for (int row = 0; row < 2; row++) {
      double expected =
          continuing.reward().getDouble(row, 0)
              + Td3BcConfig.DEFAULT_GAMMA
                  * (1.0 - done[row][0])
                  * Math.min(q1.getDouble(row, 0), q2.getDouble(row, 0));
      assertThat(targets.getDouble(row, 0))
          .as("y = r + γ(1−done)min(Q'1, Q'2) at row %d", row)
          .isCloseTo(expected, within(FLOAT_TOLERANCE));
    }
  }

  private static TransitionBatch nextStepOf(TransitionBatch batch) {
    return new TransitionBatch(
        batch.nextHistory(),
        batch.nextObservation(),
        batch.action(),
        batch.nextAgent(),
        batch.reward(),
        batch.done(),
        batch.nextHistory(),
        batch.nextObservation(),
        batch.nextAgent());
  }

  @Test
  void aNanRewardStopsTheRoundBeforeAnyNetworkChanges() {
    TransitionBatch batch = SyntheticBandit.replay(SHAPE, BATCH, SEED);
    batch.reward().putScalar(BATCH / 2, 0, Double.NaN);
    LocalTd3BcStep step = LocalTd3BcStep.create(SHAPE, Td3BcConfig.defaults());
    INDArray criticBefore = step.critic1().params().dup();
    INDArray actorBefore = step.actor(0).params().dup();

    assertThatThrownBy(() -> step.round(batch))
        .as("a NaN reward fails the round with a clear message")
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("reward holds 1 NaN")
        .satisfies(
            failure ->
                assertThat(((TrainingDivergedException) failure).quantity())
                    .as("the failing quantity")
                    .isEqualTo("reward"));
    assertThat(step.critic1().params()).as("critic untouched").isEqualTo(criticBefore);
    assertThat(step.actor(0).params()).as("actor untouched").isEqualTo(actorBefore);
    assertThat(
            Transforms.abs(step.targetCritic1().params().sub(criticBefore))
                .maxNumber()
                .doubleValue())
        .as("target critic untouched")
        .isEqualTo(0.0);
  }
}
