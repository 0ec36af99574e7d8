/**
 * The MA-RDPG networks and the offline TD3+BC update: {@link dev.kindling.agents.nets.Networks}
 * builds the communication encoder, the centralized twin critics and the per-scenario actors as
 * pure static factories; {@link dev.kindling.agents.nets.LocalTd3BcStep} runs one round of the
 * update on in-memory arrays in a single JVM. Nothing here knows Spark or a table schema.
 */
package dev.kindling.agents.nets;
