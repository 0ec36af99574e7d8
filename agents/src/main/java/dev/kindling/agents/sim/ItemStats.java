package dev.kindling.agents.sim;

/**
 * The platform's cumulative counters for one item, as its nightly job sees them.
 *
 * @param itemId the item
 * @param impressions impressions so far
 * @param clicks clicks so far
 * @param completions completed views so far
 */
public record ItemStats(String itemId, long impressions, long clicks, long completions) {}
