package dev.kindling.pipelines.jobs;

import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_ACTION_LENGTH;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_BUCKETS;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_HISTORY_STEPS;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_REWARD_DIVERSITY;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_REWARD_ENGAGEMENT;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_REWARD_FATIGUE;
import static dev.kindling.pipelines.config.ConfigKeys.REPLAY_REWARD_NEW_CONTENT;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.features.replay.ReplayParams;
import dev.kindling.features.replay.RewardWeights;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link ReplayJob} needs: the lakehouse, the run date, the replay parameters and, when the
 * encoder columns are filled, the encoder's inputs.
 *
 * @param encoder the encoder inputs' settings; empty leaves the encoder columns null
 */
public record ReplayConfig(
    String lakehouseRoot, LocalDate runDate, ReplayParams params, Optional<Encoder> encoder) {

  /**
   * How the encoder columns are built.
   *
   * @param shape E (the embedding table's vector length) and N (recent steps) are what the replay
   *     uses; the rest is the defaults'
   * @param windowDays days of validated events, the run date included, the impressions come from
   */
  public record Encoder(EncoderShape shape, int windowDays) {

    /** Checks the window. */
    public Encoder {
      Objects.requireNonNull(shape, "shape");
      if (windowDays < 1) {
        throw new IllegalArgumentException("windowDays must be positive, got " + windowDays);
      }
    }
  }

  public ReplayConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(encoder, "encoder");
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
    Optional<Encoder> encoder =
        config.get(ConfigKeys.REPLAY_ENCODER_ENABLED)
            ? Optional.of(
                new Encoder(
                    EncoderShape.of(
                        config.get(ConfigKeys.EMBEDDINGS_DIMENSION),
                        config.get(ConfigKeys.REPLAY_ENCODER_RECENT_STEPS)),
                    config.get(ConfigKeys.REPLAY_ENCODER_WINDOW_DAYS)))
            : Optional.empty();
    return new ReplayConfig(config.get(ConfigKeys.LAKEHOUSE_ROOT), runDate, params, encoder);
  }
}
