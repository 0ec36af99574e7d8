/**
 * The closed loop's serving side: a published Kindling policy serving the simulator through {@link
 * dev.kindling.agents.serving.PolicyClient}, with observations built exactly as the replay stage
 * builds them ({@link dev.kindling.agents.loop.LoopObservations}) and heating from the artifact's
 * quotas ({@link dev.kindling.agents.loop.QuotaHeatingPolicy}).
 */
package dev.kindling.agents.loop;
