package dev.kindling.agents.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** {@link AllocationParams#ctrBudgetedCap}: the heating cap under a CTR cost budget. */
class AllocationParamsTest {

  private static final double CAP = 0.2;
  private static final double BUDGET = 0.015;

  @Test
  void heatingThatClicksAtHalfTheOrganicRateMayTakeTwiceTheBudget() {
    // 400 / 10,000 heated vs 800 / 10,000 organic: each heated impression costs half a click.
    double cap = AllocationParams.ctrBudgetedCap(CAP, BUDGET, 10_000, 400, 10_000, 800);
    assertThat(cap).isCloseTo(0.03, within(1e-12));
    // At that share the overall CTR is 1 - 0.03 x (1 - 0.5) = 98.5% of the organic CTR.
    double organic = 0.08;
    double overall = (1 - cap) * organic + cap * organic / 2;
    assertThat(1 - overall / organic).isCloseTo(BUDGET, within(1e-12));
  }

  @Test
  void theConfiguredCapBindsWhenTheBudgetAllowsMore() {
    // Heated CTR 95% of organic: the budget would allow 30% of traffic.
    assertThat(AllocationParams.ctrBudgetedCap(CAP, BUDGET, 10_000, 760, 10_000, 800))
        .isEqualTo(CAP);
  }

  @Test
  void heatingThatClicksAtLeastAsWellIsNotLimited() {
    assertThat(AllocationParams.ctrBudgetedCap(CAP, BUDGET, 10_000, 900, 10_000, 800))
        .isEqualTo(CAP);
  }

  @Test
  void tooFewHeatedOrNoOrganicClicksLeaveTheCapAsConfigured() {
    long few = AllocationParams.MIN_HEATED_IMPRESSIONS - 1;
    assertThat(AllocationParams.ctrBudgetedCap(CAP, BUDGET, few, 0, 10_000, 800)).isEqualTo(CAP);
    assertThat(AllocationParams.ctrBudgetedCap(CAP, BUDGET, 10_000, 10, 10_000, 0)).isEqualTo(CAP);
    assertThat(AllocationParams.ctrBudgetedCap(CAP, BUDGET, 10_000, 10, 0, 0)).isEqualTo(CAP);
  }

  @Test
  void aZeroBudgetStopsHeatingThatCostsClicks() {
    assertThat(AllocationParams.ctrBudgetedCap(CAP, 0, 10_000, 400, 10_000, 800)).isZero();
  }
}
