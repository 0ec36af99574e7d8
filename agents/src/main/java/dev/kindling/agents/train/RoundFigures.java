package dev.kindling.agents.train;

import java.util.Locale;

/**
 * The figures of one training round, one {@code training_runs} row: losses, Q statistics, the
 * distance to the logged behaviour and throughput. Averages are over the round's transitions
 * (batches weighted by their rows).
 *
 * @param round the round, counted from 1
 * @param criticLoss1 MSE of the first critic against the TD targets, each transition's error taken
 *     before the update that uses it (averaged over the round's transitions)
 * @param criticLoss2 MSE of the second critic against the TD targets
 * @param actorLoss the actor-training loss, −λ·Q + ‖π − a_logged‖² − β·H
 * @param meanQ mean Q₁ of the policy's actions
 * @param maxQ largest Q₁ of the policy's actions over the round
 * @param behaviourDistance mean ‖π(h, o) − a_logged‖² over the round's transitions
 * @param criticGradientNorm1 L2 norm of the first critic's loss gradient on a probe batch at the
 *     round's end parameters ({@link dev.kindling.agents.nets.LocalTd3BcStep#gradientNorms})
 * @param criticGradientNorm2 the same for the second critic
 * @param actorGradientNorm the same over the actors' layers of every scenario in the probe
 * @param transitions transitions the round trained on
 * @param seconds wall-clock seconds of the round, reading the batches included
 */
public record RoundFigures(
    int round,
    double criticLoss1,
    double criticLoss2,
    double actorLoss,
    double meanQ,
    double maxQ,
    double behaviourDistance,
    double criticGradientNorm1,
    double criticGradientNorm2,
    double actorGradientNorm,
    long transitions,
    double seconds) {

  /** Transitions per second of the round; infinite when the clock measured no time. */
  public double transitionsPerSecond() {
    return seconds > 0.0 ? transitions / seconds : Double.POSITIVE_INFINITY;
  }

  /**
   * The round's progress line for the trainers' logs: every figure with four significant digits,
   * and the ETA of the run extrapolated from the time per round so far.
   *
   * @param rounds the rounds the run planned
   * @param elapsedSeconds the run's seconds up to the end of this round
   */
  public String progressLine(int rounds, double elapsedSeconds) {
    double eta = elapsedSeconds / round * (rounds - round);
    return String.format(
        Locale.ROOT,
        "round %d/%d: critic loss %.4g / %.4g, actor loss %.4g, mean Q %.4g, max Q %.4g, behaviour"
            + " distance %.4g, gradient norms %.4g / %.4g / %.4g, %d transitions in %.4g s (%d"
            + " transitions/s), ETA %d s",
        round,
        rounds,
        criticLoss1,
        criticLoss2,
        actorLoss,
        meanQ,
        maxQ,
        behaviourDistance,
        criticGradientNorm1,
        criticGradientNorm2,
        actorGradientNorm,
        transitions,
        seconds,
        Math.round(transitionsPerSecond()),
        Math.round(eta));
  }
}
