/**
 * Off-policy estimators of a target policy's value from logged bandit feedback: IPS, SNIPS, the
 * direct method (DM) and doubly robust (DR), each with a Poisson-bootstrap percentile interval; a
 * cross-fitted reward model for DM and DR; the Monte Carlo action distribution of a top-k Bernoulli
 * Thompson sampling policy.
 *
 * <p>Setup and notation follow Saito et al., "Open Bandit Dataset and Pipeline: Towards Realistic
 * and Reproducible Off-Policy Evaluation" (NeurIPS Datasets and Benchmarks 2021): each logged row
 * carries a context {@code x}, the logged action {@code a}, its reward {@code r}, the probability
 * {@code p = pi_0(a|x)} that the logging policy took {@code a}, and the probability {@code pi(a|x)}
 * that the target policy would take it. Pure functions over Datasets: no paths, no writes.
 */
package dev.kindling.features.ope;
