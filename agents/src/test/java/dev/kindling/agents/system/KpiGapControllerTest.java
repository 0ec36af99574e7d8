package dev.kindling.agents.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The KPI-gap controller and the weights' clamping. */
class KpiGapControllerTest {

  private static final KpiGapController CONTROLLER =
      new KpiGapController(0.2, 0.05, 0.05, 0.05, 0.9);
  private static final BusinessWeights START = new BusinessWeights(0.4, 0.3, 0.3);

  @Test
  void raisesTheRetentionWeightWhenNewContentIsUnderTarget() {
    BusinessWeights under = CONTROLLER.next(Optional.of(START), START, new Kpis(1000, 0.05, 0.05));
    assertThat(under.retention())
        .as("new-content share under target raises retention")
        .isGreaterThan(0.3);
    assertThat(under.retention()).as("by a bounded step").isLessThanOrEqualTo(0.3 + 0.05);
    BusinessWeights over = CONTROLLER.next(Optional.of(START), START, new Kpis(1000, 0.5, 0.05));
    assertThat(over.retention()).as("over target lowers it").isLessThan(0.3);
    BusinessWeights none = CONTROLLER.next(Optional.of(START), START, Kpis.none());
    assertThat(none).as("no impressions: no move").isEqualTo(START);
    BusinessWeights fromConfig =
        CONTROLLER.next(Optional.empty(), START, new Kpis(1000, 0.2, 0.05));
    assertThat(fromConfig).as("on target, starting from config: no move").isEqualTo(START);
  }

  @Test
  void weightsStayNormalisedAndWithinBoundsOverManyDays() {
    Random random = new Random(7);
    BusinessWeights w = START;
    for (int day = 0; day < 1000; day++) {
      w =
          CONTROLLER.next(
              Optional.of(w),
              START,
              new Kpis(1 + random.nextInt(1000), random.nextDouble(), random.nextDouble()));
      double sum = w.satisfaction() + w.revenue() + w.retention();
      assertThat(sum)
          .as("day %d: sum 1", day)
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
      for (double x : w.toArray()) {
        assertThat(x).as("day %d: within the bounds", day).isBetween(0.05 - 1e-12, 0.9 + 1e-12);
      }
    }
    BusinessWeights lopsided = new BusinessWeights(0.98, 0.01, 0.01).clamp(0.05, 0.9);
    assertThat(lopsided.satisfaction())
        .as("clamped down to the bound")
        .isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(lopsided.revenue())
        .as("clamped up to the bound")
        .isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
  }
}
