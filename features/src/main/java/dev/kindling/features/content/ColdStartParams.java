package dev.kindling.features.content;

import dev.kindling.features.ParamChecks;

/**
 * Every constant of the content agent (the cold-start scorer), validated when built: a value
 * outside its range fails with a message naming the field, the bad value and the allowed range.
 *
 * @param windowDays content-state days D-windowDays..D whose consecutive pairs are the learner's
 *     item-day transitions; the click-concentration signal reads the events of D-windowDays+1..D
 * @param completionWeight true-engagement value of one completed impression
 * @param shareWeight true-engagement value of one shared impression
 * @param purchaseWeight true-engagement value of one unit of purchase amount (GMV)
 * @param heatingCost cost of one heated impression, in true-engagement units
 * @param explorationBonus multiple of the uncertainty added to the predicted value in the bid
 * @param engagementPriorStrength pseudo-impressions that shrink an item's engagement per impression
 *     toward its category's
 * @param clickInflationOnset click inflation at which the fraud penalty starts to grow from 0
 * @param clickInflationThreshold click inflation at or above which an item is fraud-zeroed
 * @param concentrationTopUsers k: the click-concentration signal is the top k users' share of the
 *     item's clicks
 * @param concentrationOnset top-k click share at which the fraud penalty starts to grow from 0
 * @param concentrationThreshold top-k click share at or above which an item is fraud-zeroed
 * @param fraudMinClicks clicks an item needs (lifetime for inflation, in the window for
 *     concentration) before that signal can penalise it
 * @param minTransitions transitions the learner needs; with fewer, the bid comes from the category
 *     prior
 * @param numTrees trees of the random forest
 * @param maxDepth depth limit of each tree
 * @param seed seed of the forest's bootstrap and feature subsets
 */
public record ColdStartParams(
    int windowDays,
    double completionWeight,
    double shareWeight,
    double purchaseWeight,
    double heatingCost,
    double explorationBonus,
    double engagementPriorStrength,
    double clickInflationOnset,
    double clickInflationThreshold,
    int concentrationTopUsers,
    double concentrationOnset,
    double concentrationThreshold,
    long fraudMinClicks,
    long minTransitions,
    int numTrees,
    int maxDepth,
    long seed) {

  public static final int DEFAULT_WINDOW_DAYS = 7;
  public static final double DEFAULT_COMPLETION_WEIGHT = 1.0;
  public static final double DEFAULT_SHARE_WEIGHT = 2.0;
  public static final double DEFAULT_PURCHASE_WEIGHT = 0.01;
  public static final double DEFAULT_HEATING_COST = 0.005;
  public static final double DEFAULT_EXPLORATION_BONUS = 1.0;
  public static final double DEFAULT_ENGAGEMENT_PRIOR_STRENGTH = 100.0;
  public static final double DEFAULT_CLICK_INFLATION_ONSET = 1.25;
  public static final double DEFAULT_CLICK_INFLATION_THRESHOLD = 2.0;
  public static final int DEFAULT_CONCENTRATION_TOP_USERS = 2;
  public static final double DEFAULT_CONCENTRATION_ONSET = 0.25;
  public static final double DEFAULT_CONCENTRATION_THRESHOLD = 0.5;
  public static final long DEFAULT_FRAUD_MIN_CLICKS = 20L;
  public static final long DEFAULT_MIN_TRANSITIONS = 50L;
  public static final int DEFAULT_NUM_TREES = 30;
  public static final int DEFAULT_MAX_DEPTH = 5;
  public static final long DEFAULT_SEED = 7L;

  /** Longest window accepted, in days: ten years. */
  public static final int MAX_DAYS = 3650;

  /** Largest forest accepted. */
  public static final int MAX_TREES = 1000;

  /** Deepest tree MLlib accepts. */
  public static final int MAX_DEPTH = 30;

  /** Largest weight, cost or strength accepted. */
  public static final double MAX_WEIGHT = 1e9;

  /** Validates every field; see {@link #requireInRange}. */
  public ColdStartParams {
    requireInRange("windowDays", windowDays, 1, true, MAX_DAYS, true);
    requireInRange("completionWeight", completionWeight, 0, true, MAX_WEIGHT, true);
    requireInRange("shareWeight", shareWeight, 0, true, MAX_WEIGHT, true);
    requireInRange("purchaseWeight", purchaseWeight, 0, true, MAX_WEIGHT, true);
    requireInRange("heatingCost", heatingCost, 0, true, MAX_WEIGHT, true);
    requireInRange("explorationBonus", explorationBonus, 0, true, MAX_WEIGHT, true);
    requireInRange("engagementPriorStrength", engagementPriorStrength, 0, false, MAX_WEIGHT, true);
    requireInRange("clickInflationOnset", clickInflationOnset, 0, true, MAX_WEIGHT, true);
    requireInRange(
        "clickInflationThreshold",
        clickInflationThreshold,
        clickInflationOnset,
        false,
        MAX_WEIGHT,
        true);
    requireInRange("concentrationTopUsers", concentrationTopUsers, 1, true, MAX_TREES, true);
    requireInRange("concentrationOnset", concentrationOnset, 0, true, 1, false);
    requireInRange(
        "concentrationThreshold", concentrationThreshold, concentrationOnset, false, 1, true);
    requireInRange("fraudMinClicks", fraudMinClicks, 0, true, Long.MAX_VALUE, true);
    requireInRange("minTransitions", minTransitions, 1, true, Long.MAX_VALUE, true);
    requireInRange("numTrees", numTrees, 2, true, MAX_TREES, true);
    requireInRange("maxDepth", maxDepth, 1, true, MAX_DEPTH, true);
  }

  /** The defaults, every field at its {@code DEFAULT_*} value. */
  public static ColdStartParams defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.windowDays = windowDays;
    b.completionWeight = completionWeight;
    b.shareWeight = shareWeight;
    b.purchaseWeight = purchaseWeight;
    b.heatingCost = heatingCost;
    b.explorationBonus = explorationBonus;
    b.engagementPriorStrength = engagementPriorStrength;
    b.clickInflationOnset = clickInflationOnset;
    b.clickInflationThreshold = clickInflationThreshold;
    b.concentrationTopUsers = concentrationTopUsers;
    b.concentrationOnset = concentrationOnset;
    b.concentrationThreshold = concentrationThreshold;
    b.fraudMinClicks = fraudMinClicks;
    b.minTransitions = minTransitions;
    b.numTrees = numTrees;
    b.maxDepth = maxDepth;
    b.seed = seed;
    return b;
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
        "Cold-start parameter", field, value, min, minInclusive, max, maxInclusive);
  }

  /** Mutable holder of the fields, validated by {@link #build()}. */
  public static final class Builder {
    private int windowDays = DEFAULT_WINDOW_DAYS;
    private double completionWeight = DEFAULT_COMPLETION_WEIGHT;
    private double shareWeight = DEFAULT_SHARE_WEIGHT;
    private double purchaseWeight = DEFAULT_PURCHASE_WEIGHT;
    private double heatingCost = DEFAULT_HEATING_COST;
    private double explorationBonus = DEFAULT_EXPLORATION_BONUS;
    private double engagementPriorStrength = DEFAULT_ENGAGEMENT_PRIOR_STRENGTH;
    private double clickInflationOnset = DEFAULT_CLICK_INFLATION_ONSET;
    private double clickInflationThreshold = DEFAULT_CLICK_INFLATION_THRESHOLD;
    private int concentrationTopUsers = DEFAULT_CONCENTRATION_TOP_USERS;
    private double concentrationOnset = DEFAULT_CONCENTRATION_ONSET;
    private double concentrationThreshold = DEFAULT_CONCENTRATION_THRESHOLD;
    private long fraudMinClicks = DEFAULT_FRAUD_MIN_CLICKS;
    private long minTransitions = DEFAULT_MIN_TRANSITIONS;
    private int numTrees = DEFAULT_NUM_TREES;
    private int maxDepth = DEFAULT_MAX_DEPTH;
    private long seed = DEFAULT_SEED;

    private Builder() {}

    public Builder windowDays(int value) {
      windowDays = value;
      return this;
    }

    public Builder completionWeight(double value) {
      completionWeight = value;
      return this;
    }

    public Builder shareWeight(double value) {
      shareWeight = value;
      return this;
    }

    public Builder purchaseWeight(double value) {
      purchaseWeight = value;
      return this;
    }

    public Builder heatingCost(double value) {
      heatingCost = value;
      return this;
    }

    public Builder explorationBonus(double value) {
      explorationBonus = value;
      return this;
    }

    public Builder engagementPriorStrength(double value) {
      engagementPriorStrength = value;
      return this;
    }

    public Builder clickInflationOnset(double value) {
      clickInflationOnset = value;
      return this;
    }

    public Builder clickInflationThreshold(double value) {
      clickInflationThreshold = value;
      return this;
    }

    public Builder concentrationTopUsers(int value) {
      concentrationTopUsers = value;
      return this;
    }

    public Builder concentrationOnset(double value) {
      concentrationOnset = value;
      return this;
    }

    public Builder concentrationThreshold(double value) {
      concentrationThreshold = value;
      return this;
    }

    public Builder fraudMinClicks(long value) {
      fraudMinClicks = value;
      return this;
    }

    public Builder minTransitions(long value) {
      minTransitions = value;
      return this;
    }

    public Builder numTrees(int value) {
      numTrees = value;
      return this;
    }

    public Builder maxDepth(int value) {
      maxDepth = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /** The validated parameters. */
    public ColdStartParams build() {
      return new ColdStartParams(
          windowDays,
          completionWeight,
          shareWeight,
          purchaseWeight,
          heatingCost,
          explorationBonus,
          engagementPriorStrength,
          clickInflationOnset,
          clickInflationThreshold,
          concentrationTopUsers,
          concentrationOnset,
          concentrationThreshold,
          fraudMinClicks,
          minTransitions,
          numTrees,
          maxDepth,
          seed);
    }
  }
}
