package dev.kindling.agents.serving;

import java.util.Arrays;

/**
 * One scenario's decision for one request: the ranking weights (the actor's softmax, summing to 1)
 * and the probability of exploring. Immutable: the weights are copied in and out.
 */
public final class Action {

  private final String scenario;
  private final float[] weights;
  private final float explorationProbability;

  /** An action of {@code scenario}; {@code weights} is copied. */
  public Action(String scenario, float[] weights, float explorationProbability) {
    this.scenario = scenario;
    this.weights = weights.clone();
    this.explorationProbability = explorationProbability;
  }

  /** The scenario (agent) that acted. */
  public String scenario() {
    return scenario;
  }

  /** A copy of the ranking weights, in the order of the logged {@code action}. */
  public float[] weights() {
    return weights.clone();
  }

  /** Ranking weight {@code index}. */
  public float weight(int index) {
    return weights[index];
  }

  /** The number of ranking weights. */
  public int size() {
    return weights.length;
  }

  /**
   * The probability of exploring for this request, in (0, 1); exactly 0 for a user in the
   * exploration protection period ({@link PolicyClient#act}).
   */
  public float explorationProbability() {
    return explorationProbability;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Action that
        && scenario.equals(that.scenario)
        && Arrays.equals(weights, that.weights)
        && Float.compare(explorationProbability, that.explorationProbability) == 0;
  }

  @Override
  public int hashCode() {
    return scenario.hashCode() * 31
        + Arrays.hashCode(weights) * 17
        + Float.hashCode(explorationProbability);
  }

  @Override
  public String toString() {
    return "Action["
        + scenario
        + ", weights="
        + Arrays.toString(weights)
        + ", explore="
        + explorationProbability
        + "]";
  }
}
