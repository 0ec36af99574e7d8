package dev.kindling.pipelines.jobs;

import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_ACTION_LENGTH;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_BUCKETS;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_HISTORY_STEPS;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_REWARD_DIVERSITY;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_REWARD_ENGAGEMENT;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_REWARD_FATIGUE;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_REWARD_NEW_CONTENT;

import dev.kindling.features.replay.ReplayParams;
import dev.kindling.features.replay.RewardWeights;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.Objects;

/** What {@link ReplayJob} needs: the lakehouse, the run date and the replay parameters. */
public record ReplayConfig(String lakehouseRoot, LocalDate runDate, ReplayParams params) {

  public ReplayConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(params, "params");
  }

  public static ReplayConfig from(KindlingConfig config, LocalDate runDate) {
    ReplayParams params;
    try {
      params =
          ReplayParams.builder()
              .historySteps(config.get(REPLAY_HISTORY_STEPS))
              .buckets(config.get(REPLAY_BUCKETS))
              .scenarios(config.get(ConfigKeys.SCENARIOS))
              .actionLength(config.get(REPLAY_ACTION_LENGTH))
              .curiosityPrior(config.get(ConfigKeys.FEATURES_CURIOSITY_PRIOR))
              .satisfactionPrior(config.get(ConfigKeys.FEATURES_SATISFACTION_PRIOR))
              .rewardWeights(
                  new RewardWeights(
                      config.get(REPLAY_REWARD_ENGAGEMENT),
                      config.get(REPLAY_REWARD_NEW_CONTENT),
                      config.get(REPLAY_REWARD_DIVERSITY),
                      config.get(REPLAY_REWARD_FATIGUE)))
              .build();
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Invalid replay configuration: " + e.getMessage() + ".",
          "The replay.* keys and scenarios must agree with each other.",
          "Fix the keys under 'replay' (bin/kindling config lists them).");
    }
    return new ReplayConfig(config.get(ConfigKeys.LAKEHOUSE_ROOT), runDate, params);
  }
}
