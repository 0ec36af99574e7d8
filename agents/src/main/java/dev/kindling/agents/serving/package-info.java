/**
 * What the serving tier loads: the published policy artifact ({@link
 * dev.kindling.agents.serving.PolicyArtifacts} writes it, {@link
 * dev.kindling.agents.serving.PolicyClient} verifies and serves it, {@link
 * dev.kindling.agents.serving.ArtifactManifest} describes it), the observation normalisation shared
 * with training ({@link dev.kindling.agents.serving.FeatureNormalisation}) and the compact
 * heating-quota file ({@link dev.kindling.agents.serving.QuotaFile}). Nothing here may use Spark;
 * the serving client runs with no Spark on its class path (DL4J only restores the actors at load
 * time).
 */
package dev.kindling.agents.serving;
