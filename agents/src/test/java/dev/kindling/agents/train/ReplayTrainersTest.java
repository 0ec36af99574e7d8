package dev.kindling.agents.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.nets.BanditCheck;
import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Networks;
import dev.kindling.agents.nets.SequenceBandit;
import dev.kindling.agents.nets.SyntheticBandit;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.nets.TrainingDivergedException;
import dev.kindling.agents.nets.TransitionBatch;
import dev.kindling.features.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two {@link ReplayTrainer}s on the same Spark-held replay: each learns the known best action
 * of a {@link SyntheticBandit} within the behaviour support, and each stops on a NaN reward without
 * changing any network.
 */
class ReplayTrainersTest {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayTrainersTest.class);

  private static final int OBSERVATION_SIZE = 4;
  private static final int ACTION_SIZE = SyntheticBandit.BEST.length;
  private static final int HISTORY_STEPS = 3;
  private static final int AGENTS = 2;
  private static final long SEED = 42L;
  private static final int REPLAY_ROWS = 2048;
  private static final int EVALUATION_ROWS = 256;
  private static final int BATCH = 256;
  private static final int WORKERS = 2;
  private static final int LOCAL_ROUNDS = 19;
  private static final int SPARK_ROUNDS = 40;
  private static final int NAN_ROUNDS = 3;
  private static final int ENCODER_ROUNDS = 6;
  private static final double ACTOR_LEARNING_RATE = 1e-3;
  private static final double CRITIC_LEARNING_RATE = 1e-2;

  /** α for actions on the simplex; see LocalTd3BcStepTest for why 0.5 rather than 2.5. */
  private static final double ALPHA = 0.5;

  private static final NetworkShape SHAPE =
      NetworkShape.of(OBSERVATION_SIZE, ACTION_SIZE, HISTORY_STEPS, AGENTS, SEED)
          .withLearningRates(ACTOR_LEARNING_RATE, CRITIC_LEARNING_RATE);

  private static JavaSparkContext sc;

  @BeforeAll
  static void spark() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    sc = JavaSparkContext.fromSparkContext(SparkTestSession.get().sparkContext());
  }

  /** The replay in batches of {@value #BATCH} rows, over {@value #WORKERS} partitions. */
  private static JavaRDD<TransitionBatch> batches(TransitionBatch replay) {
    List<TransitionBatch> batches = new ArrayList<>();
    for (int offset = 0; offset < replay.size(); offset += BATCH) {
      long[] rows = new long[BATCH];
      for (int row = 0; row < BATCH; row++) {
        rows[row] = offset + row;
      }
      batches.add(replay.rows(rows));
    }
    return sc.parallelize(batches, WORKERS);
  }

  private static void learnsTheBestAction(
      String label, int rounds, Function<LocalTd3BcStep, ReplayTrainer> trainerOf) {
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
    ReplayTrainer trainer = trainerOf.apply(step);

    List<RoundFigures> seen = new ArrayList<>();
    TrainingReport report = trainer.train(batches(replay), rounds, SEED, seen::add);

    assertThat(seen).as("one figure per round").hasSize(rounds);
    assertThat(report.transitions()).isEqualTo((long) REPLAY_ROWS * rounds);
    assertThat(seen)
        .as("finite losses, Q and gradient norms in every round")
        .allMatch(
            figures ->
                Double.isFinite(figures.criticLoss1())
                    && Double.isFinite(figures.actorLoss())
                    && Double.isFinite(figures.meanQ())
                    && figures.criticGradientNorm1() > 0.0
                    && figures.actorGradientNorm() > 0.0);
    assertThat(seen.get(rounds - 1).criticLoss1())
        .as("critic loss falls from the first round to the last")
        .isLessThan(seen.get(0).criticLoss1());
    assertThat(trainer.networks()).isSameAs(step.networks());
    check.after(label, step.networks());
  }

  @Test
  void localTrainerLearnsTheBestActionWithinTheBehaviourSupport() {
    learnsTheBestAction("LocalReplayTrainer", LOCAL_ROUNDS, LocalReplayTrainer::new);
  }

  @Test
  void sparkTrainerLearnsTheBestActionWithinTheBehaviourSupport() {
    learnsTheBestAction(
        "SparkReplayTrainer", SPARK_ROUNDS, step -> new SparkReplayTrainer(sc, step, WORKERS));
  }

  /**
   * dl4j-spark fits the critics and the actors through the encoder, its recent steps masked: every
   * encoder layer of the critics and the actors moves, the critic loss falls and every figure is
   * finite. (That the update learns what only the sequence tells is EncoderNetworksTest's, on the
   * same LocalTd3BcStep pieces the Spark trainer fits with.)
   */
  @Test
  void sparkTrainerFitsThroughTheBehaviourSequenceEncoder() {
    NetworkShape shape = SHAPE.withEncoder(EncoderShape.of(4, 5));
    TransitionBatch replay = SequenceBandit.replay(shape, REPLAY_ROWS, SEED);
    TransitionBatch evaluation = SequenceBandit.replay(shape, EVALUATION_ROWS, SEED + 1);
    LocalTd3BcStep step = LocalTd3BcStep.create(shape, Td3BcConfig.defaults().withAlpha(2.5));
    List<INDArray> criticBefore = encoderParams(step.critic1(), Networks.CRITIC_ENCODER);
    List<INDArray> actorBefore = encoderParams(step.actor(1), Networks.ACTOR_ENCODER);
    double before = SequenceBandit.popularityGap(actions(step, evaluation), evaluation);
    List<RoundFigures> seen = new ArrayList<>();
    new SparkReplayTrainer(sc, step, WORKERS)
        .train(batches(replay), ENCODER_ROUNDS, SEED, seen::add);
    double after = SequenceBandit.popularityGap(actions(step, evaluation), evaluation);
    LOG.info(
        "SparkReplayTrainer with the encoder: popularity weight of group B minus group A {} -> {}"
            + " in {} rounds; first round {}; last round {}",
        String.format("%.4f", before),
        String.format("%.4f", after),
        ENCODER_ROUNDS,
        seen.get(0),
        seen.get(seen.size() - 1));
    assertThat(seen).hasSize(ENCODER_ROUNDS);
    assertThat(seen)
        .as("finite losses and Q in every round")
        .allMatch(
            figures ->
                Double.isFinite(figures.criticLoss1())
                    && Double.isFinite(figures.actorLoss())
                    && Double.isFinite(figures.meanQ()));
    assertThat(seen.get(ENCODER_ROUNDS - 1).criticLoss1())
        .as("critic loss falls from the first round to the last")
        .isLessThan(seen.get(0).criticLoss1());
    List<INDArray> criticAfter = encoderParams(step.critic1(), Networks.CRITIC_ENCODER);
    List<INDArray> actorAfter = encoderParams(step.actor(1), Networks.ACTOR_ENCODER);
    for (int layer = 0; layer < criticBefore.size(); layer++) {
      assertThat(criticAfter.get(layer))
          .as("critic encoder layer %d moves", layer)
          .isNotEqualTo(criticBefore.get(layer));
      assertThat(actorAfter.get(layer))
          .as("actor encoder layer %d moves", layer)
          .isNotEqualTo(actorBefore.get(layer));
    }
  }

  private static List<INDArray> encoderParams(ComputationGraph network, String prefix) {
    List<INDArray> copies = new ArrayList<>();
    for (String layer : Networks.encoderLayers(prefix)) {
      copies.add(network.getLayer(layer).params().dup());
    }
    return copies;
  }

  private static INDArray actions(LocalTd3BcStep step, TransitionBatch batch) {
    INDArray all = Nd4j.zeros(DataType.FLOAT, batch.size(), step.shape().jointActionSize());
    for (int agent = 0; agent < AGENTS; agent++) {
      all.addi(
          Networks.act(step.actor(agent), batch.history(), batch.observation(), batch.encoderStep())
              .muliColumnVector(batch.agent().getColumn(agent, true)));
    }
    return all;
  }

  @Test
  void sparkTrainerStopsOnANanRewardBeforeAnyNetworkChanges() {
    TransitionBatch replay = SyntheticBandit.replay(SHAPE, REPLAY_ROWS, SEED);
    replay.reward().putScalar(REPLAY_ROWS - 3, 0, Double.NaN);
    LocalTd3BcStep step = LocalTd3BcStep.create(SHAPE, Td3BcConfig.defaults());
    List<INDArray> before = step.networks().parameters();
    List<RoundFigures> seen = new ArrayList<>();

    assertThatThrownBy(
            () ->
                new SparkReplayTrainer(sc, step, WORKERS)
                    .train(batches(replay), NAN_ROUNDS, SEED, seen::add))
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageContaining("round 1 of " + NAN_ROUNDS)
        .hasMessageContaining("reward holds 1 NaN")
        .satisfies(
            failure ->
                assertThat(((TrainingDivergedException) failure).quantity()).isEqualTo("reward"));

    assertThat(seen).as("no round reported").isEmpty();
    List<Td3BcNetworks.Named> named = step.networks().named();
    for (int i = 0; i < named.size(); i++) {
      assertThat(named.get(i).graph().params())
          .as("%s untouched", named.get(i).name())
          .isEqualTo(before.get(i));
    }
  }
}
