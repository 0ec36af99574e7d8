package dev.kindling.agents.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The actors, the critics and the TD3+BC update with the behaviour-sequence encoder: what they
 * read, what the actor-training graph freezes, and that the update learns an action that only the
 * behaviour sequence tells.
 */
class EncoderNetworksTest {

  private static final Logger LOG = LoggerFactory.getLogger(EncoderNetworksTest.class);

  private static final int OBSERVATION_SIZE = 4;
  private static final int ACTION_SIZE = SyntheticBandit.BEST.length;
  private static final int HISTORY_STEPS = 2;
  private static final int AGENTS = 2;
  private static final long SEED = 7L;
  private static final int ITEM_DIMENSION = 4;
  private static final int RECENT_STEPS = 5;
  private static final int BATCH = 64;
  private static final double FLOAT_TOLERANCE = 1e-5;

  private static final EncoderShape ENCODER = EncoderShape.of(ITEM_DIMENSION, RECENT_STEPS);
  private static final NetworkShape SHAPE =
      NetworkShape.of(OBSERVATION_SIZE, ACTION_SIZE, HISTORY_STEPS, AGENTS, SEED)
          .withEncoder(ENCODER);

  @BeforeAll
  static void float32() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Nd4j.getRandom().setSeed(SEED);
  }

  @Test
  void criticAndActorReadTheRealRecentStepsAndIgnoreThePadding() {
    TransitionBatch batch = SequenceBandit.replay(SHAPE, BATCH, SEED);
    EncoderInputs inputs = batch.encoderStep();
    ComputationGraph critic = Networks.critic(SHAPE);
    ComputationGraph actor = Networks.actor(SHAPE.withSeed(SEED + 2));

    INDArray q = q(critic, batch, inputs);
    INDArray action = act(actor, batch, inputs);
    assertThat(q.shape()).containsExactly(BATCH, 1);
    assertThat(action.shape()).containsExactly(BATCH, SHAPE.jointActionSize());
    assertThat(Transforms.abs(action.sum(1).sub(2.0)).maxNumber().doubleValue())
        .as("softmax weights sum to 1, plus an exploration probability below 1")
        .isLessThan(1.0);

    // Padding: every row of this batch has fewer real steps than N; change what lies beyond them.
    INDArray paddingChanged = inputs.recent().dup();
    INDArray padding = inputs.recentMask().rsub(1.0);
    for (int feature = 0; feature < ENCODER.stepFeatures(); feature++) {
      INDArray slice = paddingChanged.get(NDArrayIndex.all(), NDArrayIndex.point(feature));
      slice.addi(padding.mul(3.0));
    }
    EncoderInputs padded = new EncoderInputs(paddingChanged, inputs.recentMask(), inputs.older());
    assertThat(maxGap(q(critic, batch, padded), q))
        .as("Q ignores the masked steps")
        .isLessThan(FLOAT_TOLERANCE);
    assertThat(maxGap(act(actor, batch, padded), action))
        .as("the action ignores the masked steps")
        .isLessThan(FLOAT_TOLERANCE);

    // The real steps: flip the item vectors of every row.
    EncoderInputs flipped =
        new EncoderInputs(inputs.recent().neg(), inputs.recentMask(), inputs.older());
    assertThat(maxGap(q(critic, batch, flipped), q))
        .as("Q reads the real steps")
        .isGreaterThan(1e-3);
    assertThat(maxGap(act(actor, batch, flipped), action))
        .as("the action reads the real steps")
        .isGreaterThan(1e-3);
  }

  @Test
  void networksWithAnEncoderRefuseABatchWithoutOneAndTheOtherWayRound() {
    TransitionBatch batch = SequenceBandit.replay(SHAPE, BATCH, SEED);
    ComputationGraph critic = Networks.critic(SHAPE);
    assertThatThrownBy(
            () ->
                Networks.q(
                    critic, batch.history(), batch.observation(), batch.action(), batch.agent()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replay.encoder.enabled=true");
    NetworkShape plain = SHAPE.withEncoder(null);
    ComputationGraph plainActor = Networks.actor(plain);
    assertThatThrownBy(
            () ->
                Networks.act(plainActor, batch.history(), batch.observation(), batch.encoderStep()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("without a behaviour-sequence encoder");
    assertThatThrownBy(() -> batch.requireShape(plain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TransitionBatch.encoder is set");
    TransitionBatch bare = batch.withEncoder(null);
    assertThatThrownBy(() -> bare.requireShape(SHAPE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replay.encoder.enabled=true");
    assertThatThrownBy(() -> Networks.copyCriticInto(critic, Networks.actorTraining(plain, 0.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same NetworkShape");
  }

  @Test
  void actorTrainingReproducesActorAndCriticAndFreezesTheCriticsEncoder() {
    TransitionBatch batch = SequenceBandit.replay(SHAPE, BATCH, SEED);
    EncoderInputs inputs = batch.encoderStep();
    ComputationGraph critic = Networks.critic(SHAPE);
    ComputationGraph actor = Networks.actor(SHAPE.withSeed(SEED + 2));
    ComputationGraph training = Networks.actorTraining(SHAPE, Td3BcConfig.DEFAULT_ENTROPY_WEIGHT);
    Networks.copyCriticInto(critic, training);
    Networks.copyActorInto(actor, training);

    INDArray[] base = {batch.history(), batch.observation(), batch.agent()};
    INDArray[] features = Networks.inputs(base, inputs);
    INDArray[] masks = Networks.inputMasks(base.length, inputs);
    INDArray[] outputs = training.output(false, features, masks);
    INDArray action = act(actor, batch, inputs);
    INDArray q =
        Networks.q(critic, batch.history(), batch.observation(), action, batch.agent(), inputs);
    assertThat(maxGap(outputs[0], q))
        .as("Q head equals critic(h, o, actor(h, o, sequence), agent, sequence)")
        .isLessThan(FLOAT_TOLERANCE);
    assertThat(maxGap(Nd4j.hstack(outputs[1], outputs[2]), action))
        .as("behaviour heads equal the actor's joint action")
        .isLessThan(FLOAT_TOLERANCE);

    List<String> criticEncoder = Networks.encoderLayers(Networks.CRITIC_ENCODER);
    List<String> actorEncoder = Networks.encoderLayers(Networks.ACTOR_ENCODER);
    List<INDArray> criticBefore = params(training, criticEncoder);
    List<INDArray> actorBefore = params(training, actorEncoder);
    INDArray[] labels = {
      Nd4j.ones(DataType.FLOAT, BATCH, 1),
      action.get(NDArrayIndex.all(), NDArrayIndex.interval(0, ACTION_SIZE)).dup(),
      action.get(NDArrayIndex.all(), NDArrayIndex.point(ACTION_SIZE)).reshape(BATCH, 1).dup()
    };
    training.fit(new MultiDataSet(features, labels, masks, null));

    assertThat(params(training, criticEncoder))
        .as("the critic's encoder stays frozen in the actor fit")
        .isEqualTo(criticBefore);
    assertThat(params(training, actorEncoder))
        .as("the actor's encoder moves")
        .isNotEqualTo(actorBefore);
    Networks.copyActorFrom(training, actor);
    INDArray[] after = training.output(false, features, masks);
    assertThat(maxGap(Nd4j.hstack(after[1], after[2]), act(actor, batch, inputs)))
        .as("the copied-out actor, encoder included, equals the trained actor part")
        .isLessThan(FLOAT_TOLERANCE);
  }

  /**
   * Half the users have recently watched items of one kind, half of the other; the best ranking
   * weights differ between the halves, and nothing but the behaviour sequence tells them apart (the
   * observation and the history are noise). After the TD3+BC rounds the actors give group B, whose
   * best leans on popularity, more popularity weight than group A (0.02 more before, about 0.2
   * after; 0.2 is the best weights' difference). The critic's preference of each half's own best is
   * logged: it comes late for group B, whose best lies nearer the logged actions.
   */
  @Test
  void theUpdateLearnsWhatOnlyTheBehaviourSequenceTells() {
    int rows = 2048;
    int batchRows = 256;
    int rounds = 120;
    TransitionBatch replay = SequenceBandit.replay(SHAPE, rows, SEED);
    TransitionBatch evaluation = SequenceBandit.replay(SHAPE, 512, SEED + 1);
    LocalTd3BcStep step =
        LocalTd3BcStep.create(
            SHAPE.withLearningRates(1e-3, 1e-2), Td3BcConfig.defaults().withAlpha(2.5));
    double gapBefore = SequenceBandit.popularityGap(actions(step, evaluation), evaluation);
    long start = System.nanoTime();
    Td3BcRoundResult last = null;
    for (int round = 0; round < rounds; round++) {
      int offset = (round % (rows / batchRows)) * batchRows;
      long[] index = new long[batchRows];
      for (int row = 0; row < batchRows; row++) {
        index[row] = offset + row;
      }
      last = step.round(replay.rows(index));
    }
    double gapAfter = SequenceBandit.popularityGap(actions(step, evaluation), evaluation);
    int size = (int) evaluation.size();
    INDArray qOfA =
        q(step.critic1(), evaluation, SyntheticBandit.repeated(SyntheticBandit.BEST, size));
    INDArray qOfB =
        q(step.critic1(), evaluation, SyntheticBandit.repeated(SequenceBandit.BEST_B, size));
    double[] advantageOfOwn = new double[2];
    for (int row = 0; row < size; row++) {
      int group = row % 2;
      double own = group == 0 ? qOfA.getDouble(row, 0) : qOfB.getDouble(row, 0);
      double other = group == 0 ? qOfB.getDouble(row, 0) : qOfA.getDouble(row, 0);
      advantageOfOwn[group] += (own - other) / (size / 2.0);
    }
    LOG.info(
        "sequence bandit: {} rounds x {} rows in {} s; Q of the own best minus the other's: group"
            + " A {}, group B {} (true 0.225); popularity weight of group B minus group A {} -> {}"
            + " (best 0.2); last round: {}",
        rounds,
        batchRows,
        String.format("%.1f", (System.nanoTime() - start) / 1e9),
        String.format("%.4f", advantageOfOwn[0]),
        String.format("%.4f", advantageOfOwn[1]),
        String.format("%.4f", gapBefore),
        String.format("%.4f", gapAfter),
        last);
    assertThat(gapAfter)
        .as("group B gets more popularity weight than group A, as only its sequence tells")
        .isGreaterThan(gapBefore + 0.05);
  }

  private static INDArray q(ComputationGraph critic, TransitionBatch batch, INDArray action) {
    return Networks.q(
        critic, batch.history(), batch.observation(), action, batch.agent(), batch.encoderStep());
  }

  private static INDArray actions(LocalTd3BcStep step, TransitionBatch batch) {
    INDArray all = Nd4j.zeros(DataType.FLOAT, batch.size(), SHAPE.jointActionSize());
    for (int agent = 0; agent < AGENTS; agent++) {
      all.addi(
          act(step.actor(agent), batch, batch.encoderStep())
              .muliColumnVector(batch.agent().getColumn(agent, true)));
    }
    return all;
  }

  private static INDArray q(ComputationGraph critic, TransitionBatch batch, EncoderInputs inputs) {
    return Networks.q(
        critic, batch.history(), batch.observation(), batch.action(), batch.agent(), inputs);
  }

  private static INDArray act(ComputationGraph actor, TransitionBatch batch, EncoderInputs inputs) {
    return Networks.act(actor, batch.history(), batch.observation(), inputs);
  }

  private static double maxGap(INDArray a, INDArray b) {
    return Transforms.abs(a.sub(b)).maxNumber().doubleValue();
  }

  private static List<INDArray> params(ComputationGraph graph, List<String> layers) {
    List<INDArray> copies = new ArrayList<>();
    for (String layer : layers) {
      copies.add(graph.getLayer(layer).params().dup());
    }
    return copies;
  }
}
