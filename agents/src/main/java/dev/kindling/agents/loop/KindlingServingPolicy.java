package dev.kindling.agents.loop;

import dev.kindling.agents.serving.Action;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.sim.RequestContext;
import dev.kindling.agents.sim.ServingDecision;
import dev.kindling.agents.sim.ServingPolicy;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A published Kindling policy serving the simulator: each request's raw observation and recent
 * steps are built by {@link LoopObservations} from the user's start-of-day state and the day so
 * far, and the scenario's actor answers through {@link PolicyClient#act}; its weights and
 * exploration probability are the decision, unchanged. A policy whose actors read the
 * behaviour-sequence encoder is also given the user's interactions ({@link LoopInteractions}).
 *
 * <p>Thread-safe and deterministic (the client, the states and the builder are only read); the
 * optional observer is called from the simulator's threads and must be thread-safe itself.
 */
public final class KindlingServingPolicy implements ServingPolicy {

  private final PolicyClient client;
  private final LoopObservations observations;
  private final Map<String, StartOfDayState> states;
  private final Consumer<Served> observer;
  private final LoopInteractions interactions;

  /**
   * A policy serving {@code client}'s actors.
   *
   * @param states the start-of-day state per user ID; a user not in it has none
   * @param interactions the users' interactions the encoder reads, for a policy whose actors read
   *     the behaviour-sequence encoder; {@code null} for a policy without one
   * @param observer receives every request's inputs and decision; {@code null} for none
   * @throws IllegalArgumentException when the artifact's feature spec does not list the
   *     observation's features in order, or the policy reads the encoder and no interactions are
   *     given
   */
  public KindlingServingPolicy(
      PolicyClient client,
      LoopObservations observations,
      Map<String, StartOfDayState> states,
      LoopInteractions interactions,
      Consumer<Served> observer) {
    if (!client.manifest().normalisation().names().equals(observations.featureNames())) {
      throw new IllegalArgumentException(
          "the policy in "
              + client.directory()
              + " reads the features "
              + client.manifest().normalisation().names()
              + " but the loop builds "
              + observations.featureNames()
              + "; the scenarios and the replay layout of the policy and the loop must agree");
    }
    if (client.shape().hasEncoder() && interactions == null) {
      throw new IllegalArgumentException(
          "the policy in "
              + client.directory()
              + " reads the behaviour-sequence encoder, so it must be given the users'"
              + " interactions");
    }
    this.client = client;
    this.interactions = client.shape().hasEncoder() ? interactions : null;
    this.observations = observations;
    this.states = Map.copyOf(states);
    this.observer = observer;
  }

  @Override
  public ServingDecision decide(RequestContext context) {
    StartOfDayState state = states.get(context.userId());
    float[] obs = observations.observation(state, context);
    float[][] steps = observations.recentSteps(state, context);
    Action action =
        interactions == null
            ? client.act(context.scenario().logName(), obs, steps)
            : client.act(context.scenario().logName(), obs, steps, interactions.before(context));
    ServingDecision decision =
        new ServingDecision(action.weights(), action.explorationProbability());
    if (observer != null) {
      observer.accept(new Served(context.requestId(), obs, steps, decision));
    }
    return decision;
  }

  /**
   * What the policy saw and answered for one request.
   *
   * @param requestId the request
   * @param observation the raw observation it built
   * @param recentSteps the raw recent steps it built, oldest first
   * @param decision its answer
   */
  public record Served(
      String requestId, float[] observation, float[][] recentSteps, ServingDecision decision) {}
}
