package dev.kindling.features.replay;

import dev.kindling.features.state.FeatureParams;
import java.util.HashSet;
import java.util.List;

/**
 * Every constant of the replay transitions, validated when built: a value outside its range fails
 * with a message naming the field, the bad value and the allowed range.
 *
 * @param historySteps T, the previous steps of the episode the history carries
 * @param buckets N, the number of {@code bucket} values, {@code pmod(hash(user_id), N)}
 * @param scenarios the ranking scenarios (the agents) in the order of the observation's one-hot
 *     block; distinct, non-blank, at least one
 * @param rewardWeights weights of the shaped reward terms
 * @param actionLength the length every logged {@code action} must have; a step whose action has
 *     another length is left out and counted
 * @param curiosityPrior start-of-day curiosity of a user without a previous state (the features
 *     stage's {@code curiosityPrior})
 * @param satisfactionPrior start-of-day satisfaction of a user without a previous state (the
 *     features stage's {@code satisfactionPrior})
 */
public record ReplayParams(
    int historySteps,
    int buckets,
    List<String> scenarios,
    RewardWeights rewardWeights,
    int actionLength,
    double curiosityPrior,
    double satisfactionPrior) {

  public static final int DEFAULT_HISTORY_STEPS = 4;
  public static final int DEFAULT_BUCKETS = 8;
  public static final List<String> DEFAULT_SCENARIOS = List.of("feed", "search", "detail");
  public static final int DEFAULT_ACTION_LENGTH = 6;

  /** Longest history accepted, in steps. */
  public static final int MAX_HISTORY_STEPS = 64;

  /** Most buckets accepted. */
  public static final int MAX_BUCKETS = 4096;

  /** Longest action accepted. */
  public static final int MAX_ACTION_LENGTH = 1024;

  /** Validates every field and copies the scenario list. */
  public ReplayParams {
    ParamRanges.requireIntInRange("historySteps", historySteps, 1, MAX_HISTORY_STEPS);
    ParamRanges.requireIntInRange("buckets", buckets, 1, MAX_BUCKETS);
    ParamRanges.requireIntInRange("actionLength", actionLength, 1, MAX_ACTION_LENGTH);
    ParamRanges.requireFiniteInRange("curiosityPrior", curiosityPrior, 0, 1);
    ParamRanges.requireFiniteInRange("satisfactionPrior", satisfactionPrior, 0, 1);
    if (rewardWeights == null) {
      throw ParamRanges.invalid("rewardWeights", "null", "a RewardWeights value");
    }
    if (scenarios == null
        || scenarios.isEmpty()
        || scenarios.stream().anyMatch(s -> s == null || s.isBlank())
        || new HashSet<>(scenarios).size() != scenarios.size()) {
      throw ParamRanges.invalid(
          "scenarios", String.valueOf(scenarios), "a non-empty list of distinct, non-blank names");
    }
    scenarios = List.copyOf(scenarios);
  }

  /** The defaults, every field at its {@code DEFAULT_*} value (priors as {@link FeatureParams}). */
  public static ReplayParams defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ReplayParams} from the defaults, field by field. */
  public static final class Builder {
    private int historySteps = DEFAULT_HISTORY_STEPS;
    private int buckets = DEFAULT_BUCKETS;
    private List<String> scenarios = DEFAULT_SCENARIOS;
    private RewardWeights rewardWeights = RewardWeights.defaults();
    private int actionLength = DEFAULT_ACTION_LENGTH;
    private double curiosityPrior = FeatureParams.DEFAULT_CURIOSITY_PRIOR;
    private double satisfactionPrior = FeatureParams.DEFAULT_SATISFACTION_PRIOR;

    private Builder() {}

    public Builder historySteps(int value) {
      historySteps = value;
      return this;
    }

    public Builder buckets(int value) {
      buckets = value;
      return this;
    }

    public Builder scenarios(List<String> value) {
      scenarios = value;
      return this;
    }

    public Builder rewardWeights(RewardWeights value) {
      rewardWeights = value;
      return this;
    }

    public Builder actionLength(int value) {
      actionLength = value;
      return this;
    }

    public Builder curiosityPrior(double value) {
      curiosityPrior = value;
      return this;
    }

    public Builder satisfactionPrior(double value) {
      satisfactionPrior = value;
      return this;
    }

    /** The validated parameters. */
    public ReplayParams build() {
      return new ReplayParams(
          historySteps,
          buckets,
          scenarios,
          rewardWeights,
          actionLength,
          curiosityPrior,
          satisfactionPrior);
    }
  }
}
