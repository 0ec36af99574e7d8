package dev.kindling.pipelines.jobs;

import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_CLICK_ONLY_SATISFACTION;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_COLD_MAX_AGE_DAYS;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_COLD_MIN_EXPOSURE;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_COMPLETION_PRIOR_STRENGTH;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_CONTENT_HORIZON_DAYS;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_CTR_PRIOR_STRENGTH;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_CURIOSITY_PRIOR;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_CURIOSITY_RATE;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_EXPLOITATION_TOP;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_FATIGUE_RATE;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_FATIGUE_RECOVERY;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_FRAUD_INFLATION;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_FRAUD_MIN_CLICKS;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_LOOKBACK_DAYS;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_NOVELTY_PRIOR_STRENGTH;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_PROTECTION_DAYS;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_RECENT_LENGTH;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_SATISFACTION_PRIOR;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_SATISFACTION_RATE;
import static dev.kindling.pipelines.config.ConfigKeys.FEATURES_WINDOW_DAYS;

import dev.kindling.features.state.FeatureParams;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.Objects;

/** What {@link FeaturesJob} needs: the lakehouse, the run date and the feature parameters. */
public record FeaturesConfig(String lakehouseRoot, LocalDate runDate, FeatureParams params) {

  public FeaturesConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(params, "params");
  }

  public static FeaturesConfig from(KindlingConfig config, LocalDate runDate) {
    FeatureParams params;
    try {
      params =
          FeatureParams.builder()
              .windowDays(config.get(FEATURES_WINDOW_DAYS))
              .lookbackDays(config.get(FEATURES_LOOKBACK_DAYS))
              .recentSequenceLength(config.get(FEATURES_RECENT_LENGTH))
              .fatigueRate(config.get(FEATURES_FATIGUE_RATE))
              .satisfactionRate(config.get(FEATURES_SATISFACTION_RATE))
              .curiosityRate(config.get(FEATURES_CURIOSITY_RATE))
              .satisfactionPrior(config.get(FEATURES_SATISFACTION_PRIOR))
              .curiosityPrior(config.get(FEATURES_CURIOSITY_PRIOR))
              .noveltyPriorStrength(config.get(FEATURES_NOVELTY_PRIOR_STRENGTH))
              .clickOnlySatisfaction(config.get(FEATURES_CLICK_ONLY_SATISFACTION))
              .fatigueRecovery(config.get(FEATURES_FATIGUE_RECOVERY))
              .exploitationTopCategories(config.get(FEATURES_EXPLOITATION_TOP))
              .protectionDays(config.get(FEATURES_PROTECTION_DAYS))
              .ctrPriorStrength(config.get(FEATURES_CTR_PRIOR_STRENGTH))
              .completionPriorStrength(config.get(FEATURES_COMPLETION_PRIOR_STRENGTH))
              .coldMaxAgeDays(config.get(FEATURES_COLD_MAX_AGE_DAYS))
              .coldMinExposure(config.get(FEATURES_COLD_MIN_EXPOSURE))
              .clickInflationThreshold(config.get(FEATURES_FRAUD_INFLATION))
              .fraudMinClicks(config.get(FEATURES_FRAUD_MIN_CLICKS))
              .contentHorizonDays(config.get(FEATURES_CONTENT_HORIZON_DAYS))
              .build();
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Invalid features configuration: " + e.getMessage() + ".",
          "The features.* keys must agree with each other.",
          "Fix the keys under 'features' (bin/kindling config lists them).");
    }
    return new FeaturesConfig(config.get(ConfigKeys.LAKEHOUSE_ROOT), runDate, params);
  }
}
