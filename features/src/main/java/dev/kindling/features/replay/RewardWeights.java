package dev.kindling.features.replay;

/**
 * Weights of the shaped reward terms a replay step adds to MA-RDPG's base reward, validated when
 * built: each is a finite number {@code >= 0}. The step's reward is {@code reward_base + engagement
 * * E + newContent * N + diversity * G - fatigue * F}, with the counts of the step's slate (one
 * ranking request):
 *
 * <ul>
 *   <li>{@code E}, true engagement: impressions with {@code completed} true plus impressions with
 *       {@code shared} true;
 *   <li>{@code N}, engagement with new content: clicked impressions of an item that was cold the
 *       day before ({@code is_cold} in the latest {@code content_state} before the run date) or is
 *       absent from that content state (brand new);
 *   <li>{@code G}, diversity gain: distinct categories clicked in the step that the user had
 *       clicked neither in an earlier step of the day nor in the start-of-day {@code
 *       category_affinity};
 *   <li>{@code F}, same-category repetition in [0, 1]: the share of the slate's impressions whose
 *       category equals the previous step's primary category (the category of its lowest-position
 *       clicked impression, or of its lowest-position impression when nothing was clicked); 0 on
 *       the first step of the day.
 * </ul>
 *
 * <p>Weights are plain numbers from typed config; no text is ever evaluated.
 *
 * @param engagement weight of {@code E}
 * @param newContent weight of {@code N}
 * @param diversity weight of {@code G}
 * @param fatigue weight of the penalty {@code F} (subtracted)
 */
public record RewardWeights(
    double engagement, double newContent, double diversity, double fatigue) {

  public static final double DEFAULT_ENGAGEMENT = 0.5;
  public static final double DEFAULT_NEW_CONTENT = 1.0;
  public static final double DEFAULT_DIVERSITY = 0.5;
  public static final double DEFAULT_FATIGUE = 0.5;

  /** Validates every weight: finite and {@code >= 0}. */
  public RewardWeights {
    ParamRanges.requireFiniteInRange("rewardWeights.engagement", engagement, 0, Double.MAX_VALUE);
    ParamRanges.requireFiniteInRange("rewardWeights.newContent", newContent, 0, Double.MAX_VALUE);
    ParamRanges.requireFiniteInRange("rewardWeights.diversity", diversity, 0, Double.MAX_VALUE);
    ParamRanges.requireFiniteInRange("rewardWeights.fatigue", fatigue, 0, Double.MAX_VALUE);
  }

  /** Every weight at its {@code DEFAULT_*} value. */
  public static RewardWeights defaults() {
    return new RewardWeights(
        DEFAULT_ENGAGEMENT, DEFAULT_NEW_CONTENT, DEFAULT_DIVERSITY, DEFAULT_FATIGUE);
  }

  /** MA-RDPG's reward alone: every shaped term weighted 0. */
  public static RewardWeights baseOnly() {
    return new RewardWeights(0, 0, 0, 0);
  }
}
