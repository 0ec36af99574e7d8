package dev.kindling.agents.sim;

/**
 * Decides, per ranking request, the linear ranking weights and the exploration probability. The
 * default is {@link LoggingServingPolicy}; a trained policy plugs in here.
 *
 * <p>Implementations must be thread-safe and deterministic functions of the context: the simulator
 * calls them from several threads and promises the same output for the same seed.
 */
@FunctionalInterface
public interface ServingPolicy {

  /** The ranking weights and exploration probability for one request. */
  ServingDecision decide(RequestContext context);
}
