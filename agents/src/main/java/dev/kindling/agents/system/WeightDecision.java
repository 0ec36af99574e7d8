package dev.kindling.agents.system;

/**
 * The business weights one allocation runs with, and where they came from.
 *
 * @param weights the weights used
 * @param source {@link WeightResolver#SOURCE_CONFIG}, {@link WeightResolver#SOURCE_CONTROLLER} or
 *     {@link WeightResolver#SOURCE_OUTSIDE}
 * @param fallbackReason why the outside source's answer was not used; null when it was, or when
 *     none was asked
 */
public record WeightDecision(BusinessWeights weights, String source, String fallbackReason) {}
