package dev.kindling.agents.system;

/**
 * A source of business weights outside Kindling (for example an LLM), consulted after the KPI-gap
 * controller. Its answer is only data: {@link WeightResolver} validates and clamps it, and falls
 * back to the controller's weights on any failure.
 */
public interface OutsideWeightSource {

  /**
   * The weights the source proposes for a day with {@code kpis}, given the controller's.
   *
   * @throws WeightSourceException with the reason when there is no usable answer
   */
  BusinessWeights propose(Kpis kpis, BusinessWeights controllerWeights)
      throws WeightSourceException;
}
