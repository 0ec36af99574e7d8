package dev.kindling.features.state;

import dev.kindling.features.ParamChecks;

/**
 * Every constant of the mind-state and content-state features, validated when built: a value
 * outside its range fails with a message naming the field, the bad value and the allowed range.
 *
 * @param windowDays days of events the user features look back over, D included
 * @param lookbackDays how many days before D a user's latest carried state may be
 * @param recentSequenceLength N, the length of the recent clicked-item sequence
 * @param fatigueRate EWMA weight of one impression in fatigue
 * @param satisfactionRate EWMA weight of one impression in satisfaction
 * @param curiosityRate EWMA weight of one active day in curiosity
 * @param satisfactionPrior satisfaction of a user with no carried state
 * @param curiosityPrior curiosity of a user with no carried state
 * @param noveltyPriorStrength pseudo-clicks that smooth a day's novelty share toward the carried
 *     curiosity
 * @param clickOnlySatisfaction outcome of an impression that was clicked but not completed, shared
 *     or purchased
 * @param fatigueRecovery factor applied to the carried fatigue once per day since the carried state
 * @param exploitationTopCategories how many of the user's most-clicked categories count as
 *     exploitation
 * @param protectionDays days after sign-up during which a user is in the exploration protection
 *     period
 * @param ctrPriorStrength m, pseudo-impressions that smooth an item's CTR toward its category's
 * @param completionPriorStrength pseudo-clicks that smooth an item's completion-per-click toward
 *     its category's
 * @param coldMaxAgeDays an item younger than this is cold
 * @param coldMinExposure an item with fewer lifetime impressions than this is cold
 * @param clickInflationThreshold click inflation at or above which an item is a fraud suspect
 * @param fraudMinClicks lifetime clicks an item needs before it can be a fraud suspect
 * @param contentHorizonDays days an item that was never exposed stays in content state
 */
public record FeatureParams(
    int windowDays,
    int lookbackDays,
    int recentSequenceLength,
    double fatigueRate,
    double satisfactionRate,
    double curiosityRate,
    double satisfactionPrior,
    double curiosityPrior,
    double noveltyPriorStrength,
    double clickOnlySatisfaction,
    double fatigueRecovery,
    int exploitationTopCategories,
    int protectionDays,
    double ctrPriorStrength,
    double completionPriorStrength,
    double coldMaxAgeDays,
    long coldMinExposure,
    double clickInflationThreshold,
    long fraudMinClicks,
    int contentHorizonDays) {

  public static final int DEFAULT_WINDOW_DAYS = 7;
  public static final int DEFAULT_LOOKBACK_DAYS = 30;
  public static final int DEFAULT_RECENT_SEQUENCE_LENGTH = 20;
  public static final double DEFAULT_FATIGUE_RATE = 0.1;
  public static final double DEFAULT_SATISFACTION_RATE = 0.1;
  public static final double DEFAULT_CURIOSITY_RATE = 0.3;
  public static final double DEFAULT_SATISFACTION_PRIOR = 0.5;
  public static final double DEFAULT_CURIOSITY_PRIOR = 0.5;
  public static final double DEFAULT_NOVELTY_PRIOR_STRENGTH = 2.0;
  public static final double DEFAULT_CLICK_ONLY_SATISFACTION = 0.6;
  public static final double DEFAULT_FATIGUE_RECOVERY = 0.5;
  public static final int DEFAULT_EXPLOITATION_TOP_CATEGORIES = 3;
  public static final int DEFAULT_PROTECTION_DAYS = 3;
  public static final double DEFAULT_CTR_PRIOR_STRENGTH = 100.0;
  public static final double DEFAULT_COMPLETION_PRIOR_STRENGTH = 10.0;
  public static final double DEFAULT_COLD_MAX_AGE_DAYS = 7.0;
  public static final long DEFAULT_COLD_MIN_EXPOSURE = 1000L;
  public static final double DEFAULT_CLICK_INFLATION_THRESHOLD = 2.0;
  public static final long DEFAULT_FRAUD_MIN_CLICKS = 50L;
  public static final int DEFAULT_CONTENT_HORIZON_DAYS = 30;

  /** Longest window, look-back or horizon accepted, in days: ten years. */
  public static final int MAX_DAYS = 3650;

  /** Longest recent sequence accepted. */
  public static final int MAX_RECENT_SEQUENCE_LENGTH = 1000;

  /** Validates every field; see {@link #requireInRange}. */
  public FeatureParams {
    requireInRange("windowDays", windowDays, 1, true, MAX_DAYS, true);
    requireInRange("lookbackDays", lookbackDays, 1, true, MAX_DAYS, true);
    requireInRange(
        "recentSequenceLength", recentSequenceLength, 1, true, MAX_RECENT_SEQUENCE_LENGTH, true);
    requireInRange("fatigueRate", fatigueRate, 0, false, 1, true);
    requireInRange("satisfactionRate", satisfactionRate, 0, false, 1, true);
    requireInRange("curiosityRate", curiosityRate, 0, false, 1, true);
    requireInRange("satisfactionPrior", satisfactionPrior, 0, true, 1, true);
    requireInRange("curiosityPrior", curiosityPrior, 0, true, 1, true);
    requireInRange("noveltyPriorStrength", noveltyPriorStrength, 0, false, Double.MAX_VALUE, true);
    requireInRange("clickOnlySatisfaction", clickOnlySatisfaction, 0, true, 1, true);
    requireInRange("fatigueRecovery", fatigueRecovery, 0, true, 1, true);
    requireInRange(
        "exploitationTopCategories", exploitationTopCategories, 1, true, Integer.MAX_VALUE, true);
    requireInRange("protectionDays", protectionDays, 0, true, MAX_DAYS, true);
    requireInRange("ctrPriorStrength", ctrPriorStrength, 0, false, Double.MAX_VALUE, true);
    requireInRange(
        "completionPriorStrength", completionPriorStrength, 0, false, Double.MAX_VALUE, true);
    requireInRange("coldMaxAgeDays", coldMaxAgeDays, 0, true, MAX_DAYS, true);
    requireInRange("coldMinExposure", coldMinExposure, 0, true, Long.MAX_VALUE, true);
    requireInRange(
        "clickInflationThreshold", clickInflationThreshold, 0, false, Double.MAX_VALUE, true);
    requireInRange("fraudMinClicks", fraudMinClicks, 0, true, Long.MAX_VALUE, true);
    requireInRange("contentHorizonDays", contentHorizonDays, 1, true, MAX_DAYS, true);
  }

  /** The defaults, every field at its {@code DEFAULT_*} value. */
  public static FeatureParams defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    return new Builder()
        .windowDays(windowDays)
        .lookbackDays(lookbackDays)
        .recentSequenceLength(recentSequenceLength)
        .fatigueRate(fatigueRate)
        .satisfactionRate(satisfactionRate)
        .curiosityRate(curiosityRate)
        .satisfactionPrior(satisfactionPrior)
        .curiosityPrior(curiosityPrior)
        .noveltyPriorStrength(noveltyPriorStrength)
        .clickOnlySatisfaction(clickOnlySatisfaction)
        .fatigueRecovery(fatigueRecovery)
        .exploitationTopCategories(exploitationTopCategories)
        .protectionDays(protectionDays)
        .ctrPriorStrength(ctrPriorStrength)
        .completionPriorStrength(completionPriorStrength)
        .coldMaxAgeDays(coldMaxAgeDays)
        .coldMinExposure(coldMinExposure)
        .clickInflationThreshold(clickInflationThreshold)
        .fraudMinClicks(fraudMinClicks)
        .contentHorizonDays(contentHorizonDays);
  }

  /**
   * Fails unless {@code value} lies in the range; the one place that words a bad parameter.
   *
   * @throws IllegalArgumentException naming the field, the bad value and the allowed range
   */
  private static void requireInRange(
      String field,
      double value,
      double min,
      boolean minInclusive,
      double max,
      boolean maxInclusive) {
    ParamChecks.requireInRange(
        "Feature parameter", field, value, min, minInclusive, max, maxInclusive);
  }

  /** Builds a {@link FeatureParams} from the defaults, field by field. */
  public static final class Builder {
    private int windowDays = DEFAULT_WINDOW_DAYS;
    private int lookbackDays = DEFAULT_LOOKBACK_DAYS;
    private int recentSequenceLength = DEFAULT_RECENT_SEQUENCE_LENGTH;
    private double fatigueRate = DEFAULT_FATIGUE_RATE;
    private double satisfactionRate = DEFAULT_SATISFACTION_RATE;
    private double curiosityRate = DEFAULT_CURIOSITY_RATE;
    private double satisfactionPrior = DEFAULT_SATISFACTION_PRIOR;
    private double curiosityPrior = DEFAULT_CURIOSITY_PRIOR;
    private double noveltyPriorStrength = DEFAULT_NOVELTY_PRIOR_STRENGTH;
    private double clickOnlySatisfaction = DEFAULT_CLICK_ONLY_SATISFACTION;
    private double fatigueRecovery = DEFAULT_FATIGUE_RECOVERY;
    private int exploitationTopCategories = DEFAULT_EXPLOITATION_TOP_CATEGORIES;
    private int protectionDays = DEFAULT_PROTECTION_DAYS;
    private double ctrPriorStrength = DEFAULT_CTR_PRIOR_STRENGTH;
    private double completionPriorStrength = DEFAULT_COMPLETION_PRIOR_STRENGTH;
    private double coldMaxAgeDays = DEFAULT_COLD_MAX_AGE_DAYS;
    private long coldMinExposure = DEFAULT_COLD_MIN_EXPOSURE;
    private double clickInflationThreshold = DEFAULT_CLICK_INFLATION_THRESHOLD;
    private long fraudMinClicks = DEFAULT_FRAUD_MIN_CLICKS;
    private int contentHorizonDays = DEFAULT_CONTENT_HORIZON_DAYS;

    private Builder() {}

    public Builder windowDays(int value) {
      windowDays = value;
      return this;
    }

    public Builder lookbackDays(int value) {
      lookbackDays = value;
      return this;
    }

    public Builder recentSequenceLength(int value) {
      recentSequenceLength = value;
      return this;
    }

    public Builder fatigueRate(double value) {
      fatigueRate = value;
      return this;
    }

    public Builder satisfactionRate(double value) {
      satisfactionRate = value;
      return this;
    }

    public Builder curiosityRate(double value) {
      curiosityRate = value;
      return this;
    }

    public Builder satisfactionPrior(double value) {
      satisfactionPrior = value;
      return this;
    }

    public Builder curiosityPrior(double value) {
      curiosityPrior = value;
      return this;
    }

    public Builder noveltyPriorStrength(double value) {
      noveltyPriorStrength = value;
      return this;
    }

    public Builder clickOnlySatisfaction(double value) {
      clickOnlySatisfaction = value;
      return this;
    }

    public Builder fatigueRecovery(double value) {
      fatigueRecovery = value;
      return this;
    }

    public Builder exploitationTopCategories(int value) {
      exploitationTopCategories = value;
      return this;
    }

    public Builder protectionDays(int value) {
      protectionDays = value;
      return this;
    }

    public Builder ctrPriorStrength(double value) {
      ctrPriorStrength = value;
      return this;
    }

    public Builder completionPriorStrength(double value) {
      completionPriorStrength = value;
      return this;
    }

    public Builder coldMaxAgeDays(double value) {
      coldMaxAgeDays = value;
      return this;
    }

    public Builder coldMinExposure(long value) {
      coldMinExposure = value;
      return this;
    }

    public Builder clickInflationThreshold(double value) {
      clickInflationThreshold = value;
      return this;
    }

    public Builder fraudMinClicks(long value) {
      fraudMinClicks = value;
      return this;
    }

    public Builder contentHorizonDays(int value) {
      contentHorizonDays = value;
      return this;
    }

    /** The validated parameters. */
    public FeatureParams build() {
      return new FeatureParams(
          windowDays,
          lookbackDays,
          recentSequenceLength,
          fatigueRate,
          satisfactionRate,
          curiosityRate,
          satisfactionPrior,
          curiosityPrior,
          noveltyPriorStrength,
          clickOnlySatisfaction,
          fatigueRecovery,
          exploitationTopCategories,
          protectionDays,
          ctrPriorStrength,
          completionPriorStrength,
          coldMaxAgeDays,
          coldMinExposure,
          clickInflationThreshold,
          fraudMinClicks,
          contentHorizonDays);
    }
  }
}
