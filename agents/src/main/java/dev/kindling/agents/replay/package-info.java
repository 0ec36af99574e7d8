/**
 * From replay rows to training arrays: {@link dev.kindling.agents.replay.ObservationNormaliser}
 * holds the feature spec's statistics and {@link dev.kindling.agents.replay.ReplayBatches} turns
 * rows of {@code ReplaySchema} into the {@link dev.kindling.agents.nets.TransitionBatch} the
 * networks consume. Rows come from Spark, but nothing here runs a Spark job.
 */
package dev.kindling.agents.replay;
