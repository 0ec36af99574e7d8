package dev.kindling.agents.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.SyntheticBandit;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.TrainingDivergedException;
import dev.kindling.agents.nets.TransitionBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class LocalTrainerTest {

  private static final int OBSERVATION_SIZE = 4;
  private static final int ACTION_SIZE = SyntheticBandit.BEST.length;
  private static final int HISTORY_STEPS = 3;
  private static final int AGENTS = 2;
  private static final long SEED = 42L;
  private static final int BATCH = 128;
  private static final int POOL_BATCHES = 4;
  private static final int BATCHES_PER_ROUND = 2;
  private static final int FEW_ROUNDS = 3;
  private static final int LEARNING_ROUNDS = 15;
  private static final int NAN_ROUND = 3;
  private static final int NAN_PLAN_ROUNDS = 5;
  private static final double ACTOR_LEARNING_RATE = 1e-3;
  private static final double CRITIC_LEARNING_RATE = 1e-2;

  private static final NetworkShape SHAPE =
      NetworkShape.of(OBSERVATION_SIZE, ACTION_SIZE, HISTORY_STEPS, AGENTS, SEED)
          .withLearningRates(ACTOR_LEARNING_RATE, CRITIC_LEARNING_RATE);

  private static List<TransitionBatch> pool;

  @BeforeAll
  static void replayPool() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
    pool = new ArrayList<>();
    for (int batch = 0; batch < POOL_BATCHES; batch++) {
      pool.add(SyntheticBandit.replay(SHAPE, BATCH, SEED + batch));
    }
  }

  /** Epochs over the fixed pool: consecutive batches, wrapping around. */
  private static TransitionBatch fromPool(int round, int index) {
    return pool.get(((round - 1) * BATCHES_PER_ROUND + index) % POOL_BATCHES);
  }

  private static LocalTrainer freshTrainer() {
    return new LocalTrainer(LocalTd3BcStep.create(SHAPE, Td3BcConfig.defaults()));
  }

  @Test
  void everyRoundIsReportedOnceWithFiniteFiguresAndThroughput() {
    List<RoundFigures> seen = new ArrayList<>();
    TrainingReport report =
        freshTrainer()
            .train(
                LocalTrainerTest::fromPool,
                new TrainingPlan(FEW_ROUNDS, BATCHES_PER_ROUND, SEED),
                seen::add);

    assertThat(seen).as("one figure per round, in order").hasSize(FEW_ROUNDS);
    assertThat(report.rounds()).as("the report holds what the listener saw").isEqualTo(seen);
    for (int i = 0; i < FEW_ROUNDS; i++) {
      RoundFigures figures = seen.get(i);
      assertThat(figures.round()).as("round number, from 1").isEqualTo(i + 1);
      assertThat(
              List.of(
                  figures.criticLoss1(),
                  figures.criticLoss2(),
                  figures.actorLoss(),
                  figures.meanQ(),
                  figures.maxQ(),
                  figures.behaviourDistance(),
                  figures.seconds(),
                  figures.transitionsPerSecond()))
          .as("finite figures of round %d", figures.round())
          .allMatch(Double::isFinite);
      assertThat(figures.transitions())
          .as("transitions of a round")
          .isEqualTo((long) BATCH * BATCHES_PER_ROUND);
      assertThat(figures.transitionsPerSecond()).as("throughput").isPositive();
      assertThat(
              List.of(
                  figures.criticGradientNorm1(),
                  figures.criticGradientNorm2(),
                  figures.actorGradientNorm()))
          .as("gradient norms of round %d: finite and non-zero (the losses still move)", i + 1)
          .allMatch(norm -> Double.isFinite(norm) && norm > 0.0);
    }
    assertThat(report.transitions())
        .as("transitions of the run")
        .isEqualTo((long) BATCH * BATCHES_PER_ROUND * FEW_ROUNDS);
    assertThat(report.transitionsPerSecond()).as("throughput of the run").isPositive();
  }

  @Test
  void criticLossFallsFromTheFirstToTheLastRound() {
    TrainingReport report =
        freshTrainer()
            .train(
                LocalTrainerTest::fromPool,
                new TrainingPlan(LEARNING_ROUNDS, BATCHES_PER_ROUND, SEED),
                RoundListener.NONE);

    RoundFigures first = report.rounds().get(0);
    RoundFigures last = report.rounds().get(LEARNING_ROUNDS - 1);
    assertThat(last.criticLoss1())
        .as("first critic's loss falls over the run")
        .isLessThan(first.criticLoss1());
    assertThat(last.criticLoss2())
        .as("second critic's loss falls over the run")
        .isLessThan(first.criticLoss2());
  }

  @Test
  void aNanRewardStopsTheRunInItsRoundAndRestoresTheNetworks() {
    TransitionBatch poisoned = SyntheticBandit.replay(SHAPE, BATCH, SEED + POOL_BATCHES);
    poisoned.reward().putScalar(BATCH / 2, 0, Double.NaN);
    int poisonedIndex = BATCHES_PER_ROUND - 1;
    BatchSource source =
        (round, index) ->
            round == NAN_ROUND && index == poisonedIndex ? poisoned : fromPool(round, index);
    LocalTrainer trainer = freshTrainer();
    LocalTd3BcStep step = trainer.step();
    List<RoundFigures> seen = new ArrayList<>();
    Map<String, INDArray> beforeNanRound = new TreeMap<>();
    RoundListener listener =
        figures -> {
          seen.add(figures);
          if (figures.round() == NAN_ROUND - 1) {
            beforeNanRound.put("critic_1", step.critic1().params().dup());
            beforeNanRound.put("target critic_2", step.targetCritic2().params().dup());
            beforeNanRound.put("actor_0", step.actor(0).params().dup());
            beforeNanRound.put("target actor_1", step.targetActor(1).params().dup());
          }
        };

    assertThatThrownBy(
            () ->
                trainer.train(
                    source, new TrainingPlan(NAN_PLAN_ROUNDS, BATCHES_PER_ROUND, SEED), listener))
        .as("a NaN reward stops the run with the round and the quantity named")
        .isInstanceOf(TrainingDivergedException.class)
        .hasMessageStartingWith("round " + NAN_ROUND + " of " + NAN_PLAN_ROUNDS + ": ")
        .hasMessageContaining("reward holds 1 NaN")
        .satisfies(
            failure ->
                assertThat(((TrainingDivergedException) failure).quantity())
                    .as("the failing quantity")
                    .isEqualTo("reward"));
    assertThat(seen).as("the listener saw only the rounds before").hasSize(NAN_ROUND - 1);
    assertThat(step.critic1().params())
        .as("critic_1 as before the round, though the round's first batch had updated it")
        .isEqualTo(beforeNanRound.get("critic_1"));
    assertThat(step.targetCritic2().params())
        .as("target critic_2 as before the round")
        .isEqualTo(beforeNanRound.get("target critic_2"));
    assertThat(step.actor(0).params())
        .as("actor_0 as before the round")
        .isEqualTo(beforeNanRound.get("actor_0"));
    assertThat(step.targetActor(1).params())
        .as("target actor_1 as before the round")
        .isEqualTo(beforeNanRound.get("target actor_1"));
  }

  @Test
  void aPlanWithoutRoundsOrBatchesIsRejected() {
    assertThatThrownBy(() -> new TrainingPlan(0, BATCHES_PER_ROUND, SEED))
        .as("zero rounds")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TrainingPlan.rounds must be at least 1, got 0");
    assertThatThrownBy(() -> new TrainingPlan(FEW_ROUNDS, 0, SEED))
        .as("zero batches per round")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TrainingPlan.batchesPerRound must be at least 1, got 0");
  }
}
