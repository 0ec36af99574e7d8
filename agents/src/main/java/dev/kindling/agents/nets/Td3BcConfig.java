package dev.kindling.agents.nets;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The hyperparameters of one TD3+BC round: discount, target smoothing, the behaviour-regularisation
 * balance, the entropy bonus and the divergence guard. Validated on construction.
 *
 * @param gamma γ in [0, 1), the discount of the TD target
 * @param tau τ in (0, 1], the soft-update rate of the target networks
 * @param alpha α > 0 in λ = α / mean|Q|, the weight of Q against the behaviour regulariser
 * @param entropyWeight β ≥ 0, the entropy bonus on the actor's ranking weights
 * @param minQScale the floor of mean|Q| in λ = α / mean|Q|: λ never exceeds α / minQScale
 * @param qBound the largest |Q| or |TD target| a round accepts before it stops as diverged
 * @param behaviourRelaxation ρ in [0, 1]: each row's behaviour regulariser is weighted by {@code 1
 *     − ρ·explore_prob}, the logged probability that the logging policy explored at that step, so
 *     the actor is held less to logged actions the logging policy was itself unsure of
 * @param referenceWeight κ in [0, 1]: the behaviour regulariser's target is {@code (1 − κ)·a_logged
 *     + κ·a_reference}, where a_reference is the scenario's row of {@code referenceActions}; with κ
 *     &gt; 0 a policy retrained nightly on logs it served itself stays anchored to the status quo
 *     instead of to yesterday's own actions (whose small steps would otherwise add up night after
 *     night); ignored while {@code referenceActions} is empty
 * @param referenceActions the reference (status-quo) joint action of each agent, in agent order:
 *     the ranking weights then the exploration probability; empty for none
 */
public record Td3BcConfig(
    double gamma,
    double tau,
    double alpha,
    double entropyWeight,
    double minQScale,
    double qBound,
    double behaviourRelaxation,
    double referenceWeight,
    List<List<Double>> referenceActions)
    implements Serializable {

  /** γ of MA-RDPG. */
  public static final double DEFAULT_GAMMA = 0.9;

  /** τ of TD3. */
  public static final double DEFAULT_TAU = 0.005;

  /** α of TD3+BC. */
  public static final double DEFAULT_ALPHA = 2.5;

  /** A small entropy bonus: keeps the softmax weights off the simplex corners. */
  public static final double DEFAULT_ENTROPY_WEIGHT = 1e-3;

  /**
   * The floor of mean|Q| by default: the magnitude of one step's base reward (1 for a click, −1 for
   * neither). TD3+BC's λ = α / mean|Q| assumes Q away from zero; where Q of the policy crosses
   * zero, λ explodes and the actor leaves the behaviour support (seen on the synthetic bandit: the
   * mean action ran to a corner of the simplex within 50 rounds), so λ is capped at α / this.
   */
  public static final double DEFAULT_MIN_Q_SCALE = 1.0;

  /** |Q| beyond this is taken as divergence (rewards are O(1) to O(100) per step). */
  public static final double DEFAULT_Q_BOUND = 1e6;

  /**
   * Full relaxation by default: a logged action counts in the behaviour regulariser with the
   * probability that the logging policy meant it rather than explored. A policy held to every
   * logged action inherits the logging policy's popularity bias (DORL, Gao et al., SIGIR 2023).
   */
  public static final double DEFAULT_BEHAVIOUR_RELAXATION = 1.0;

  /**
   * Half the behaviour pull goes to the status quo by default: a night's target is the mean of what
   * was logged and the reference, so the policy can move from the status quo by at most about twice
   * one night's step (the fixed point of a ← (a + a_reference)/2 + δ) and no further.
   */
  public static final double DEFAULT_REFERENCE_WEIGHT = 0.5;

  /** Validates every field; throws {@link IllegalArgumentException} naming the bad value. */
  public Td3BcConfig {
    if (!(gamma >= 0.0 && gamma < 1.0)) {
      throw new IllegalArgumentException("Td3BcConfig.gamma must lie in [0, 1), got " + gamma);
    }
    if (!(tau > 0.0 && tau <= 1.0)) {
      throw new IllegalArgumentException("Td3BcConfig.tau must lie in (0, 1], got " + tau);
    }
    if (!(alpha > 0.0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "Td3BcConfig.alpha must be finite and positive, got " + alpha);
    }
    if (!(entropyWeight >= 0.0) || Double.isInfinite(entropyWeight)) {
      throw new IllegalArgumentException(
          "Td3BcConfig.entropyWeight must be finite and >= 0, got " + entropyWeight);
    }
    if (!(minQScale > 0.0) || Double.isInfinite(minQScale)) {
      throw new IllegalArgumentException(
          "Td3BcConfig.minQScale must be finite and positive, got " + minQScale);
    }
    if (!(qBound > 0.0)) {
      throw new IllegalArgumentException("Td3BcConfig.qBound must be positive, got " + qBound);
    }
    if (!(behaviourRelaxation >= 0.0 && behaviourRelaxation <= 1.0)) {
      throw new IllegalArgumentException(
          "Td3BcConfig.behaviourRelaxation must lie in [0, 1], got " + behaviourRelaxation);
    }
    if (!(referenceWeight >= 0.0 && referenceWeight <= 1.0)) {
      throw new IllegalArgumentException(
          "Td3BcConfig.referenceWeight must lie in [0, 1], got " + referenceWeight);
    }
    referenceActions = copyOf(referenceActions);
  }

  private static List<List<Double>> copyOf(List<List<Double>> actions) {
    if (actions == null) {
      return List.of(); // metadata written before the reference existed
    }
    List<List<Double>> copy = new ArrayList<>();
    for (int agent = 0; agent < actions.size(); agent++) {
      List<Double> action = List.copyOf(actions.get(agent));
      if (action.isEmpty() || (!copy.isEmpty() && action.size() != copy.get(0).size())) {
        throw new IllegalArgumentException(
            "Td3BcConfig.referenceActions must hold one action of the same length per agent, got "
                + actions);
      }
      for (double value : action) {
        if (!Double.isFinite(value)) {
          throw new IllegalArgumentException(
              "Td3BcConfig.referenceActions of agent " + agent + " is not finite: " + action);
        }
      }
      copy.add(action);
    }
    return List.copyOf(copy);
  }

  /**
   * The defaults: γ 0.9, τ 0.005, α 2.5, β 0.001, mean|Q| floor 1, |Q| bound 1e6, relaxation 1,
   * reference weight 0.5 and no reference actions (so the behaviour target is the logged action
   * until {@link #withReferenceActions} sets them).
   */
  public static Td3BcConfig defaults() {
    return new Td3BcConfig(
        DEFAULT_GAMMA,
        DEFAULT_TAU,
        DEFAULT_ALPHA,
        DEFAULT_ENTROPY_WEIGHT,
        DEFAULT_MIN_Q_SCALE,
        DEFAULT_Q_BOUND,
        DEFAULT_BEHAVIOUR_RELAXATION,
        DEFAULT_REFERENCE_WEIGHT,
        List.of());
  }

  /** Whether the behaviour target mixes in a reference action (κ &gt; 0 and references set). */
  public boolean anchored() {
    return referenceWeight > 0.0 && !referenceActions.isEmpty();
  }

  /** The same config with another τ. */
  public Td3BcConfig withTau(double newTau) {
    return new Td3BcConfig(
        gamma,
        newTau,
        alpha,
        entropyWeight,
        minQScale,
        qBound,
        behaviourRelaxation,
        referenceWeight,
        referenceActions);
  }

  /** The same config with another floor of mean|Q|. */
  public Td3BcConfig withMinQScale(double newMinQScale) {
    return new Td3BcConfig(
        gamma,
        tau,
        alpha,
        entropyWeight,
        newMinQScale,
        qBound,
        behaviourRelaxation,
        referenceWeight,
        referenceActions);
  }

  /** The same config with another α. */
  public Td3BcConfig withAlpha(double newAlpha) {
    return new Td3BcConfig(
        gamma,
        tau,
        newAlpha,
        entropyWeight,
        minQScale,
        qBound,
        behaviourRelaxation,
        referenceWeight,
        referenceActions);
  }

  /** The same config with another behaviour relaxation ρ. */
  public Td3BcConfig withBehaviourRelaxation(double newRelaxation) {
    return new Td3BcConfig(
        gamma,
        tau,
        alpha,
        entropyWeight,
        minQScale,
        qBound,
        newRelaxation,
        referenceWeight,
        referenceActions);
  }

  /** The same config with another reference weight κ. */
  public Td3BcConfig withReferenceWeight(double newWeight) {
    return new Td3BcConfig(
        gamma,
        tau,
        alpha,
        entropyWeight,
        minQScale,
        qBound,
        behaviourRelaxation,
        newWeight,
        referenceActions);
  }

  /** The same config with other reference actions (one joint action per agent; empty for none). */
  public Td3BcConfig withReferenceActions(List<List<Double>> newActions) {
    return new Td3BcConfig(
        gamma,
        tau,
        alpha,
        entropyWeight,
        minQScale,
        qBound,
        behaviourRelaxation,
        referenceWeight,
        newActions);
  }
}
