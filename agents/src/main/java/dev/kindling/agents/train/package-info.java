/**
 * Training runs. {@link dev.kindling.agents.train.ReplayTrainer} is Kindling's own interface for
 * running rounds of the TD3+BC update over a replay held in Spark ({@code JavaRDD} of {@link
 * dev.kindling.agents.nets.TransitionBatch}) and reporting {@link
 * dev.kindling.agents.train.RoundFigures} per round; its two implementations train the same
 * networks with the same update rule: {@link dev.kindling.agents.train.LocalReplayTrainer} in one
 * JVM (over {@link dev.kindling.agents.train.LocalTrainer}, which also takes batches from a driver
 * side {@link dev.kindling.agents.train.BatchSource}) and {@link
 * dev.kindling.agents.train.SparkReplayTrainer}, distributed with dl4j-spark parameter averaging;
 * every dl4j-spark call of Kindling is in that class. Nothing here knows a table schema or a
 * storage path.
 */
package dev.kindling.agents.train;
