package dev.kindling.agents.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

class NetworksTest {

  private static final int OBSERVATION_SIZE = 5;
  private static final int ACTION_SIZE = 6;
  private static final int HISTORY_STEPS = 3;
  private static final int AGENTS = 3;
  private static final long SEED = 11L;
  private static final int BATCH = 200;
  private static final double TAU = 0.25;
  private static final double FLOAT_TOLERANCE = 1e-5;
  private static final double ENTROPY_WEIGHT = 0.01;

  private static final NetworkShape SHAPE =
      NetworkShape.of(OBSERVATION_SIZE, ACTION_SIZE, HISTORY_STEPS, AGENTS, SEED);

  @BeforeAll
  static void float32() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    Nd4j.getRandom().setSeed(SEED);
  }

  private static INDArray history() {
    return Nd4j.randn(DataType.FLOAT, BATCH, SHAPE.historyFeatures(), HISTORY_STEPS);
  }

  private static INDArray observation() {
    return Nd4j.randn(DataType.FLOAT, BATCH, OBSERVATION_SIZE);
  }

  private static INDArray agents() {
    int[] agent = new int[BATCH];
    for (int row = 0; row < BATCH; row++) {
      agent[row] = row % AGENTS;
    }
    return TransitionBatch.oneHot(agent, AGENTS);
  }

  @Test
  void theActorTrainingGraphAndItsCustomLossesSurviveJsonAndJavaSerialization() throws Exception {
    ComputationGraphConfiguration config =
        Networks.actorTraining(SHAPE, ENTROPY_WEIGHT).getConfiguration();

    ComputationGraphConfiguration fromJson =
        ComputationGraphConfiguration.fromJson(config.toJson());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new BehaviourEntropyLoss(ENTROPY_WEIGHT));
      out.writeObject(new MaximiseOutputLoss());
    }
    List<Object> read = new ArrayList<>();
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      read.add(in.readObject());
      read.add(in.readObject());
    }

    assertThat(fromJson).as("the configuration rebuilt from its JSON is equal").isEqualTo(config);
    assertThat(fromJson.toJson())
        .as("the JSON names both custom losses")
        .contains(BehaviourEntropyLoss.class.getName(), MaximiseOutputLoss.class.getName());
    assertThat(read)
        .as("both losses come back equal through Java serialization")
        .containsExactly(new BehaviourEntropyLoss(ENTROPY_WEIGHT), new MaximiseOutputLoss());
  }

  @Test
  void criticOutputsOneQPerRow() {
    ComputationGraph critic = Networks.critic(SHAPE);
    INDArray action = Nd4j.rand(DataType.FLOAT, BATCH, SHAPE.jointActionSize());

    INDArray q = Networks.q(critic, history(), observation(), action, agents());

    assertThat(q.shape()).as("critic output shape").containsExactly(BATCH, 1);
    assertThat(q.dataType()).as("float32 network").isEqualTo(DataType.FLOAT);
  }

  @Test
  void actorOutputsSimplexWeightsAndAnExplorationProbability() {
    ComputationGraph actor = Networks.actor(SHAPE);

    INDArray action = Networks.act(actor, history(), observation());

    assertThat(action.shape()).as("joint action shape").containsExactly(BATCH, ACTION_SIZE + 1);
    INDArray weights = action.getColumns(0, 1, 2, 3, 4, 5);
    INDArray rowSums = weights.sum(1);
    assertThat(rowSums.minNumber().doubleValue())
        .as("softmax rows sum to 1 (min)")
        .isCloseTo(1.0, within(FLOAT_TOLERANCE));
    assertThat(rowSums.maxNumber().doubleValue())
        .as("softmax rows sum to 1 (max)")
        .isCloseTo(1.0, within(FLOAT_TOLERANCE));
    assertThat(weights.minNumber().doubleValue()).as("weights are positive").isGreaterThan(0.0);
    INDArray exploration = action.getColumn(ACTION_SIZE);
    assertThat(exploration.minNumber().doubleValue())
        .as("exploration probability > 0")
        .isGreaterThan(0.0);
    assertThat(exploration.maxNumber().doubleValue())
        .as("exploration probability < 1")
        .isLessThan(1.0);
  }

  @Test
  void twinCriticsDifferAndTargetClonesStartEqual() {
    ComputationGraph critic1 = Networks.critic(SHAPE);
    ComputationGraph critic2 = Networks.critic(SHAPE.withSeed(SEED + 1));
    ComputationGraph target = critic1.clone();

    assertThat(critic1.params()).as("target clone starts equal").isEqualTo(target.params());
    assertThat(critic1.params()).as("twin critics differ by seed").isNotEqualTo(critic2.params());
    assertThat(Networks.critic(SHAPE).params())
        .as("equal shapes give equal networks")
        .isEqualTo(critic1.params());
  }

  @Test
  void softUpdateMovesTheTargetByTau() {
    ComputationGraph critic = Networks.critic(SHAPE);
    ComputationGraph target = critic.clone();
    INDArray action = Nd4j.rand(DataType.FLOAT, BATCH, SHAPE.jointActionSize());
    critic.fit(
        new MultiDataSet(
            new INDArray[] {history(), observation(), action, agents()},
            new INDArray[] {Nd4j.ones(DataType.FLOAT, BATCH, 1)}));
    INDArray before = target.params().dup();
    INDArray trained = critic.params().dup();
    assertThat(trained).as("the fit moved the critic").isNotEqualTo(before);

    Networks.softUpdate(target, critic, TAU);

    INDArray expected = before.mul(1.0 - TAU).addi(trained.mul(TAU));
    assertThat(Transforms.abs(target.params().sub(expected)).maxNumber().doubleValue())
        .as("θ' = τθ + (1−τ)θ' element-wise")
        .isLessThan(FLOAT_TOLERANCE);
    assertThat(critic.params()).as("the source is untouched").isEqualTo(trained);
    assertThatThrownBy(() -> Networks.softUpdate(target, Networks.actor(SHAPE), TAU))
        .as("soft update across architectures")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("differ in size");
  }

  @Test
  void actorTrainingGraphReproducesActorAndCriticAndKeepsTheCriticFrozen() {
    ComputationGraph critic = Networks.critic(SHAPE);
    ComputationGraph actor = Networks.actor(SHAPE.withSeed(SEED + 2));
    ComputationGraph training = Networks.actorTraining(SHAPE, Td3BcConfig.DEFAULT_ENTROPY_WEIGHT);
    Networks.copyCriticInto(critic, training);
    Networks.copyActorInto(actor, training);
    INDArray history = history();
    INDArray observation = observation();
    INDArray agent = agents();

    INDArray[] outputs = training.output(false, history, observation, agent);
    INDArray action = Networks.act(actor, history, observation);
    INDArray q = Networks.q(critic, history, observation, action, agent);

    assertThat(Transforms.abs(outputs[0].sub(q)).maxNumber().doubleValue())
        .as("Q head equals critic(h, o, actor(h, o), agent)")
        .isLessThan(FLOAT_TOLERANCE);
    assertThat(
            Transforms.abs(Nd4j.hstack(outputs[1], outputs[2]).sub(action))
                .maxNumber()
                .doubleValue())
        .as("behaviour heads equal the actor's joint action")
        .isLessThan(FLOAT_TOLERANCE);

    INDArray criticLayersBefore = training.getLayer(Networks.CRITIC_HIDDEN_1).params().dup();
    INDArray lstmBefore = training.getLayer(Networks.CRITIC_LSTM).params().dup();
    INDArray actorBefore = training.getLayer(Networks.ACTOR_HIDDEN_1).params().dup();
    INDArray[] labels = {
      Nd4j.ones(DataType.FLOAT, BATCH, 1),
      action.getColumns(0, 1, 2, 3, 4, 5),
      action.getColumns(ACTION_SIZE)
    };
    training.fit(new MultiDataSet(new INDArray[] {history, observation, agent}, labels));

    assertThat(training.getLayer(Networks.CRITIC_HIDDEN_1).params())
        .as("frozen critic dense layer is unchanged by the actor fit")
        .isEqualTo(criticLayersBefore);
    assertThat(training.getLayer(Networks.CRITIC_LSTM).params())
        .as("frozen critic LSTM is unchanged by the actor fit")
        .isEqualTo(lstmBefore);
    assertThat(training.getLayer(Networks.ACTOR_HIDDEN_1).params())
        .as("the actor's layers move")
        .isNotEqualTo(actorBefore);

    Networks.copyActorFrom(training, actor);
    INDArray[] after = training.output(false, history, observation, agent);
    assertThat(
            Transforms.abs(
                    Nd4j.hstack(after[1], after[2]).sub(Networks.act(actor, history, observation)))
                .maxNumber()
                .doubleValue())
        .as("the copied-out actor equals the trained actor part")
        .isLessThan(FLOAT_TOLERANCE);
  }

  @Test
  void shapeRejectsNonPositiveSizesAndRates() {
    assertThatThrownBy(() -> NetworkShape.of(0, ACTION_SIZE, HISTORY_STEPS, AGENTS, SEED))
        .as("zero observation size")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("observationSize");
    assertThatThrownBy(() -> SHAPE.withLearningRates(0.0, 1e-3))
        .as("zero learning rate")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("actorLearningRate");
  }
}
