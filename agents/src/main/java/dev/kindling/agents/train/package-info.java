/**
 * Training runs: {@link dev.kindling.agents.train.Trainer} is Kindling's own interface for running
 * rounds of the TD3+BC update over a {@link dev.kindling.agents.train.BatchSource} and reporting
 * {@link dev.kindling.agents.train.RoundFigures} per round, so that a single-JVM trainer ({@link
 * dev.kindling.agents.train.LocalTrainer}) and a distributed one are interchangeable. Nothing here
 * knows a table schema or a storage path.
 */
package dev.kindling.agents.train;
