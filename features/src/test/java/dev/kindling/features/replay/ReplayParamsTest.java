package dev.kindling.features.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ReplayParams} and {@link RewardWeights}: defaults, and messages for bad values. */
class ReplayParamsTest {

  @Test
  void defaults() {
    ReplayParams p = ReplayParams.defaults();
    assertThat(p.historySteps()).as("T").isEqualTo(4);
    assertThat(p.buckets()).as("N").isEqualTo(8);
    assertThat(p.actionLength()).as("action length").isEqualTo(6);
    assertThat(p.scenarios()).as("scenarios").containsExactly("feed", "search", "detail");
    assertThat(p.rewardWeights()).as("reward weights").isEqualTo(RewardWeights.defaults());
  }

  @Test
  void negativeOrNonFiniteWeightNamesFieldValueAndRange() {
    assertThatThrownBy(() -> new RewardWeights(0.5, -1.0, 0.5, 0.5))
        .as("negative")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rewardWeights.newContent")
        .hasMessageContaining("-1")
        .hasMessageContaining("[0, inf)");
    assertThatThrownBy(() -> new RewardWeights(0.5, 0.5, 0.5, Double.NaN))
        .as("NaN")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rewardWeights.fatigue")
        .hasMessageContaining("NaN");
    assertThatThrownBy(() -> new RewardWeights(Double.POSITIVE_INFINITY, 0.5, 0.5, 0.5))
        .as("infinite")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rewardWeights.engagement");
  }

  @Test
  void badParamsNameTheField() {
    assertThatThrownBy(() -> ReplayParams.builder().historySteps(0).build())
        .as("T")
        .hasMessageContaining("historySteps = 0")
        .hasMessageContaining("[1, " + ReplayParams.MAX_HISTORY_STEPS + "]");
    assertThatThrownBy(() -> ReplayParams.builder().buckets(-3).build())
        .as("N")
        .hasMessageContaining("buckets = -3");
    assertThatThrownBy(() -> ReplayParams.builder().scenarios(List.of("feed", "feed")).build())
        .as("duplicate scenario")
        .hasMessageContaining("scenarios");
    assertThatThrownBy(() -> ReplayParams.builder().curiosityPrior(1.5).build())
        .as("prior")
        .hasMessageContaining("curiosityPrior = 1.5");
  }
}
