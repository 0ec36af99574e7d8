package dev.kindling.agents.nets;

/**
 * The figures of one TD3+BC round, for the {@code training_runs} table and the progress line.
 *
 * @param transitions rows in the round's batch
 * @param criticLoss1 MSE of the first critic against the TD targets (before its update)
 * @param criticLoss2 MSE of the second critic against the TD targets (before its update)
 * @param actorLoss the actor-training loss, −λ·Q + ‖π − a_logged‖² − β·H, averaged over rows
 * @param meanQ mean of Q₁(h, o, π(h, o), agent) over the batch, before the actor update
 * @param maxQ largest Q₁(h, o, π(h, o), agent) over the batch, before the actor update
 * @param meanTarget mean TD target y
 * @param behaviourDistance mean over rows of ‖π(h, o) − a_logged‖² (joint action), before the actor
 *     update
 * @param seconds wall-clock seconds of the round
 */
public record Td3BcRoundResult(
    long transitions,
    double criticLoss1,
    double criticLoss2,
    double actorLoss,
    double meanQ,
    double maxQ,
    double meanTarget,
    double behaviourDistance,
    double seconds) {

  /** Transitions per second of the round. */
  public double transitionsPerSecond() {
    return seconds > 0.0 ? transitions / seconds : Double.POSITIVE_INFINITY;
  }
}
