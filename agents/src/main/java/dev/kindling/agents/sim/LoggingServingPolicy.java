package dev.kindling.agents.sim;

/**
 * The platform's hand-tuned logging policy: fixed per-scenario weights that lean on popularity
 * (which is what concentrates exposure), a constant exploration rate, and no exploration during a
 * new user's protection period.
 */
public final class LoggingServingPolicy implements ServingPolicy {

  // Weights in RankingFeatures order: relevance, popularity, freshness, novelty, quality, heated.
  private static final float[] FEED_WEIGHTS = {0.35f, 0.40f, 0.05f, 0.00f, 0.20f, 0.00f};
  private static final float[] SEARCH_WEIGHTS = {0.10f, 0.50f, 0.05f, 0.00f, 0.30f, 0.05f};
  private static final float[] DETAIL_WEIGHTS = {0.20f, 0.55f, 0.05f, 0.00f, 0.20f, 0.00f};

  private final double explorationRate;
  private final int protectionDays;

  /**
   * A logging policy exploring with {@code explorationRate} once a user is {@code protectionDays}
   * days past sign-up.
   */
  public LoggingServingPolicy(double explorationRate, int protectionDays) {
    if (!(explorationRate >= 0 && explorationRate <= 1)) {
      throw new IllegalArgumentException(
          "explorationRate must be in [0, 1], got " + explorationRate);
    }
    if (protectionDays < 0) {
      throw new IllegalArgumentException("protectionDays must be >= 0, got " + protectionDays);
    }
    this.explorationRate = explorationRate;
    this.protectionDays = protectionDays;
  }

  /** The logging policy a config describes. */
  public static LoggingServingPolicy fromConfig(SimulatorConfig config) {
    return new LoggingServingPolicy(config.explorationRate(), config.explorationProtectionDays());
  }

  /** The fixed weights of a scenario, in {@link RankingFeatures} order (a copy). */
  public static float[] weightsFor(Scenario scenario) {
    return switch (scenario) {
      case FEED -> FEED_WEIGHTS.clone();
      case SEARCH -> SEARCH_WEIGHTS.clone();
      case DETAIL -> DETAIL_WEIGHTS.clone();
    };
  }

  @Override
  public ServingDecision decide(RequestContext context) {
    double explore = context.daysSinceSignup() < protectionDays ? 0.0 : explorationRate;
    return new ServingDecision(weightsFor(context.scenario()), explore);
  }
}
