package dev.kindling.pipelines.jobs;

import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_COMPLETION_WEIGHT;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_CONCENTRATION_ONSET;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_CONCENTRATION_THRESHOLD;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_EXPLORATION_BONUS;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_FRAUD_MIN_CLICKS;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_HEATING_COST;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_INFLATION_ONSET;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_INFLATION_THRESHOLD;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_MAX_DEPTH;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_MIN_TRANSITIONS;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_NUM_TREES;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_PRIOR_STRENGTH;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_PURCHASE_WEIGHT;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_SEED;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_SHARE_WEIGHT;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_TOP_USERS;
import static dev.kindling.pipelines.config.ConfigKeys.SCORE_COLD_START_WINDOW_DAYS;

import dev.kindling.features.content.ColdStartParams;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.Objects;

/**
 * What {@link ScoreColdStartJob} needs: the lakehouse, the run date and the content agent's params.
 */
public record ScoreColdStartConfig(
    String lakehouseRoot, LocalDate runDate, ColdStartParams params) {

  public ScoreColdStartConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(params, "params");
  }

  public static ScoreColdStartConfig from(KindlingConfig config, LocalDate runDate) {
    ColdStartParams params;
    try {
      params =
          ColdStartParams.builder()
              .windowDays(config.get(SCORE_COLD_START_WINDOW_DAYS))
              .completionWeight(config.get(SCORE_COLD_START_COMPLETION_WEIGHT))
              .shareWeight(config.get(SCORE_COLD_START_SHARE_WEIGHT))
              .purchaseWeight(config.get(SCORE_COLD_START_PURCHASE_WEIGHT))
              .heatingCost(config.get(SCORE_COLD_START_HEATING_COST))
              .explorationBonus(config.get(SCORE_COLD_START_EXPLORATION_BONUS))
              .engagementPriorStrength(config.get(SCORE_COLD_START_PRIOR_STRENGTH))
              .clickInflationOnset(config.get(SCORE_COLD_START_INFLATION_ONSET))
              .clickInflationThreshold(config.get(SCORE_COLD_START_INFLATION_THRESHOLD))
              .concentrationTopUsers(config.get(SCORE_COLD_START_TOP_USERS))
              .concentrationOnset(config.get(SCORE_COLD_START_CONCENTRATION_ONSET))
              .concentrationThreshold(config.get(SCORE_COLD_START_CONCENTRATION_THRESHOLD))
              .fraudMinClicks(config.get(SCORE_COLD_START_FRAUD_MIN_CLICKS))
              .minTransitions(config.get(SCORE_COLD_START_MIN_TRANSITIONS))
              .numTrees(config.get(SCORE_COLD_START_NUM_TREES))
              .maxDepth(config.get(SCORE_COLD_START_MAX_DEPTH))
              .seed(config.get(SCORE_COLD_START_SEED))
              .build();
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Invalid score-cold-start configuration: " + e.getMessage() + ".",
          "The score-cold-start.* keys must agree with each other (each threshold above its"
              + " onset).",
          "Fix the keys under 'score-cold-start' (bin/kindling config lists them).");
    }
    return new ScoreColdStartConfig(config.get(ConfigKeys.LAKEHOUSE_ROOT), runDate, params);
  }
}
