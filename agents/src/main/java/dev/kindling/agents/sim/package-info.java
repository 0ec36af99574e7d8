/**
 * The user-behaviour simulator: a seeded, plain-Java world of users with latent interests and a
 * mind state, heavy-tailed creators, daily new items and clickbait, served across the {@code feed},
 * {@code search} and {@code detail} scenarios by a pluggable {@link
 * dev.kindling.agents.sim.ServingPolicy} and {@link dev.kindling.agents.sim.HeatingPolicy}, and
 * logging impressions in the raw log contract.
 */
package dev.kindling.agents.sim;
