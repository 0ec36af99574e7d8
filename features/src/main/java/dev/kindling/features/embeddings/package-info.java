/**
 * Item and category vectors learned nightly from users' behaviour sequences with Spark MLlib
 * (Word2Vec or implicit ALS), for the agents' behaviour-sequence encoder: pure Dataset functions,
 * their parameters and the measure of how well they separate categories.
 */
package dev.kindling.features.embeddings;
