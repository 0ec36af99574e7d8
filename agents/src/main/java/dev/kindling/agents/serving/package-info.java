/**
 * What the serving tier loads: the compact heating-quota file ({@link
 * dev.kindling.agents.serving.QuotaFile}). Nothing here may use Spark; the serving client runs with
 * no Spark on its class path.
 */
package dev.kindling.agents.serving;
