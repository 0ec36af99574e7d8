package dev.kindling.agents.nets;

import java.io.Serializable;

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
 */
public record Td3BcConfig(
    double gamma, double tau, double alpha, double entropyWeight, double minQScale, double qBound)
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
  }

  /** The defaults: γ 0.9, τ 0.005, α 2.5, β 0.001, mean|Q| floor 1, |Q| bound 1e6. */
  public static Td3BcConfig defaults() {
    return new Td3BcConfig(
        DEFAULT_GAMMA,
        DEFAULT_TAU,
        DEFAULT_ALPHA,
        DEFAULT_ENTROPY_WEIGHT,
        DEFAULT_MIN_Q_SCALE,
        DEFAULT_Q_BOUND);
  }

  /** The same config with another τ. */
  public Td3BcConfig withTau(double newTau) {
    return new Td3BcConfig(gamma, newTau, alpha, entropyWeight, minQScale, qBound);
  }

  /** The same config with another floor of mean|Q|. */
  public Td3BcConfig withMinQScale(double newMinQScale) {
    return new Td3BcConfig(gamma, tau, alpha, entropyWeight, newMinQScale, qBound);
  }

  /** The same config with another α. */
  public Td3BcConfig withAlpha(double newAlpha) {
    return new Td3BcConfig(gamma, tau, newAlpha, entropyWeight, minQScale, qBound);
  }
}
