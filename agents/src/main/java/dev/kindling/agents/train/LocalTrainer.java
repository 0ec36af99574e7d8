package dev.kindling.agents.train;

import dev.kindling.agents.nets.LocalTd3BcStep;
import dev.kindling.agents.nets.Td3BcRoundResult;
import dev.kindling.agents.nets.TrainingDivergedException;
import dev.kindling.agents.nets.TransitionBatch;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-JVM {@link Trainer}: each batch is one {@link LocalTd3BcStep#round} on the step's live
 * networks, and each round logs one progress line with an ETA.
 *
 * <p>Guards: when a batch fails with {@link TrainingDivergedException} (a non-finite input, target,
 * loss or parameter, or |Q| beyond the bound), the run stops, the parameters of every network
 * (critics, target critics, actors, target actors) are restored to their values at the start of the
 * failing round, and the exception propagates with the round named in its message. The optimisers'
 * (Adam) moments are not restored: continue from a checkpoint, not from this instance.
 *
 * <p>Costs: those of the step per batch, plus one copy of every network's parameters per round (a
 * few thousand to a few hundred thousand floats). Not thread-safe: one run at a time.
 */
public final class LocalTrainer implements Trainer {

  private static final Logger LOG = LoggerFactory.getLogger(LocalTrainer.class);

  private static final double NANOS_PER_SECOND = 1e9;

  private final LocalTd3BcStep step;

  /**
   * A trainer over {@code step}'s networks (fresh or warm-started); they are updated in place.
   *
   * @param step the TD3+BC update and its networks
   */
  public LocalTrainer(LocalTd3BcStep step) {
    this.step = step;
  }

  /** The step whose networks this trainer updates (live). */
  public LocalTd3BcStep step() {
    return step;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Seeds ND4J's global random generator with {@code plan.seed()} before the first round.
   */
  @Override
  public TrainingReport train(BatchSource source, TrainingPlan plan, RoundListener listener) {
    Nd4j.getRandom().setSeed(plan.seed());
    long runStart = System.nanoTime();
    List<RoundFigures> rounds = new ArrayList<>();
    for (int round = 1; round <= plan.rounds(); round++) {
      RoundFigures figures = runRound(source, plan, round);
      rounds.add(figures);
      LOG.info("{}", figures.progressLine(plan.rounds(), secondsSince(runStart)));
      listener.onRound(figures);
    }
    TrainingReport report = new TrainingReport(rounds, secondsSince(runStart));
    LOG.info("{}", report.summaryLine());
    return report;
  }

  private RoundFigures runRound(BatchSource source, TrainingPlan plan, int round) {
    long start = System.nanoTime();
    List<INDArray> before = step.networks().parameters();
    RoundSums sums = new RoundSums();
    TransitionBatch last = null;
    double[] gradientNorms;
    try {
      for (int index = 0; index < plan.batchesPerRound(); index++) {
        last = source.batch(round, index);
        sums.add(step.round(last));
      }
      gradientNorms = step.gradientNorms(last);
    } catch (TrainingDivergedException failure) {
      step.networks().restore(before);
      LOG.error(
          "round {}/{} stopped on {}; networks restored to their state before the round",
          round,
          plan.rounds(),
          failure.quantity());
      throw failure.inRound(round, plan.rounds());
    }
    return sums.figures(round, gradientNorms, secondsSince(start));
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / NANOS_PER_SECOND;
  }

  /** Row-weighted sums over the batches of one round. */
  private static final class RoundSums {
    private long transitions;
    private double criticLoss1;
    private double criticLoss2;
    private double actorLoss;
    private double meanQ;
    private double maxQ = Double.NEGATIVE_INFINITY;
    private double behaviourDistance;

    void add(Td3BcRoundResult result) {
      long rows = result.transitions();
      transitions += rows;
      criticLoss1 += result.criticLoss1() * rows;
      criticLoss2 += result.criticLoss2() * rows;
      actorLoss += result.actorLoss() * rows;
      meanQ += result.meanQ() * rows;
      maxQ = Math.max(maxQ, result.maxQ());
      behaviourDistance += result.behaviourDistance() * rows;
    }

    RoundFigures figures(int round, double[] gradientNorms, double seconds) {
      return new RoundFigures(
          round,
          criticLoss1 / transitions,
          criticLoss2 / transitions,
          actorLoss / transitions,
          meanQ / transitions,
          maxQ,
          behaviourDistance / transitions,
          gradientNorms[0],
          gradientNorms[1],
          gradientNorms[2],
          transitions,
          seconds);
    }
  }
}
