package dev.kindling.agents.nets;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Every network of the multi-agent TD3+BC update: the twin centralized critics and their targets,
 * and one private actor per scenario with its target. The networks are held live, not copied; the
 * record is what a checkpoint saves and what a warm start or a resumed run restores.
 *
 * @param critic1 the first critic, from {@link Networks#critic}
 * @param critic2 the second critic
 * @param targetCritic1 the first critic's target copy
 * @param targetCritic2 the second critic's target copy
 * @param actors one actor per scenario, index = agent index, from {@link Networks#actor}
 * @param targetActors the actors' target copies, in the same order
 */
public record Td3BcNetworks(
    ComputationGraph critic1,
    ComputationGraph critic2,
    ComputationGraph targetCritic1,
    ComputationGraph targetCritic2,
    List<ComputationGraph> actors,
    List<ComputationGraph> targetActors) {

  /** Name of the first critic in {@link #named()} (and of its checkpoint file). */
  public static final String CRITIC_1 = "critic_1";

  /** Name of the second critic. */
  public static final String CRITIC_2 = "critic_2";

  /** Name of the first target critic. */
  public static final String TARGET_CRITIC_1 = "target_critic_1";

  /** Name of the second target critic. */
  public static final String TARGET_CRITIC_2 = "target_critic_2";

  /** Prefix of an actor's name, followed by its agent index. */
  public static final String ACTOR_PREFIX = "actor_";

  /** Prefix of a target actor's name, followed by its agent index. */
  public static final String TARGET_ACTOR_PREFIX = "target_actor_";

  /** Copies the two lists and checks they have one network per agent each. */
  public Td3BcNetworks {
    actors = List.copyOf(actors);
    targetActors = List.copyOf(targetActors);
    if (actors.size() != targetActors.size()) {
      throw new IllegalArgumentException(
          "expected one target actor per actor, got "
              + targetActors.size()
              + " target actors for "
              + actors.size()
              + " actors");
    }
  }

  /**
   * Freshly initialised networks: critics seeded {@code seed} and {@code seed + 1}, actor k seeded
   * {@code seed + 2 + k}; every target starts as a clone of its network.
   */
  public static Td3BcNetworks fresh(NetworkShape shape) {
    List<ComputationGraph> actors = new ArrayList<>();
    for (int agent = 0; agent < shape.agents(); agent++) {
      actors.add(Networks.actor(shape.withSeed(shape.seed() + 2 + agent)));
    }
    return withTargetsClonedFrom(
        Networks.critic(shape), Networks.critic(shape.withSeed(shape.seed() + 1)), actors);
  }

  /** The given networks (used live) with target networks cloned from them. */
  public static Td3BcNetworks withTargetsClonedFrom(
      ComputationGraph critic1, ComputationGraph critic2, List<ComputationGraph> actors) {
    List<ComputationGraph> targets = new ArrayList<>();
    for (ComputationGraph actor : actors) {
      targets.add(actor.clone());
    }
    return new Td3BcNetworks(critic1, critic2, critic1.clone(), critic2.clone(), actors, targets);
  }

  /** The number of agents (actors). */
  public int agents() {
    return actors.size();
  }

  /**
   * Every network with its name ({@link #CRITIC_1}, …, {@code actor_0}, {@code target_actor_0}, …),
   * critics first, in a fixed order.
   */
  public List<Named> named() {
    List<Named> all = new ArrayList<>();
    all.add(new Named(CRITIC_1, critic1));
    all.add(new Named(CRITIC_2, critic2));
    all.add(new Named(TARGET_CRITIC_1, targetCritic1));
    all.add(new Named(TARGET_CRITIC_2, targetCritic2));
    for (int agent = 0; agent < actors.size(); agent++) {
      all.add(new Named(ACTOR_PREFIX + agent, actors.get(agent)));
      all.add(new Named(TARGET_ACTOR_PREFIX + agent, targetActors.get(agent)));
    }
    return all;
  }

  /** A copy of every network's parameters, in the order of {@link #named()}. */
  public List<INDArray> parameters() {
    List<INDArray> copies = new ArrayList<>();
    for (Named network : named()) {
      copies.add(network.graph().params().dup());
    }
    return copies;
  }

  /**
   * Sets every network's parameters from {@code parameters}, in the order of {@link #named()} (as
   * {@link #parameters()} returned them).
   */
  public void restore(List<INDArray> parameters) {
    List<Named> all = named();
    if (parameters.size() != all.size()) {
      throw new IllegalArgumentException(
          "expected " + all.size() + " parameter arrays, got " + parameters.size());
    }
    for (int i = 0; i < all.size(); i++) {
      all.get(i).graph().setParams(parameters.get(i));
    }
  }

  /**
   * Throws {@link TrainingDivergedException} naming the first network whose parameters are not
   * finite.
   */
  public void requireFiniteParameters() {
    String hint = "the round produced non-finite weights; do not publish or checkpoint them";
    for (Named network : named()) {
      TrainingDivergedException.requireFinite(
          network.name() + " params", network.graph().params(), hint);
    }
  }

  /**
   * A network and its name.
   *
   * @param name the name, also its checkpoint file's stem
   * @param graph the network (live)
   */
  public record Named(String name, ComputationGraph graph) {}
}
