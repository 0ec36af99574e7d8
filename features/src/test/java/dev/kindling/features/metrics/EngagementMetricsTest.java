package dev.kindling.features.metrics;

import static dev.kindling.features.metrics.MetricRows.D;
import static dev.kindling.features.metrics.MetricRows.event;
import static dev.kindling.features.metrics.MetricRows.events;
import static dev.kindling.features.metrics.MetricRows.item;
import static dev.kindling.features.metrics.MetricRows.items;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class EngagementMetricsTest {

  private static final double TOLERANCE = 1e-12;

  @Test
  void ctrIsClicksOverImpressionsOfTheDay() {
    Dataset<Row> events =
        events(
            event("a", "i1", D).clicked(),
            event("a", "i2", D),
            event("b", "i1", D),
            event("b", "i2", D),
            event("c", "i1", D.minusDays(1)).clicked());
    assertThat(EngagementMetrics.ctr(events, D))
        .as("1 click in 4 impressions of D")
        .isCloseTo(0.25, within(TOLERANCE));
    assertThat(EngagementMetrics.ctr(events(event("a", "i1", D)), D))
        .as("no clicks is a CTR of 0")
        .isCloseTo(0.0, within(TOLERANCE));
    assertThat(EngagementMetrics.ctr(events, D.plusDays(1)))
        .as("a day without impressions has no CTR")
        .isNull();
  }

  @Test
  void newContentCtrKeepsImpressionsOfItemsYoungerThanTheSpan() {
    Dataset<Row> items =
        items(
            item("new", "A", "2026-03-09T12:00:00Z"),
            item("old", "A", "2026-03-05T12:00:00Z"),
            item("edge", "A", "2026-03-07T12:00:00Z"));
    Dataset<Row> events =
        events(
            event("a", "new", D).clicked(),
            event("b", "new", D),
            event("a", "old", D).clicked(),
            event("b", "old", D).clicked(),
            event("c", "edge", D).clicked());
    assertThat(EngagementMetrics.newContentCtr(events, items, D, 72))
        .as("only 'new' (24 h) is younger than 72 h; 'edge' is exactly 72 h old")
        .isCloseTo(0.5, within(TOLERANCE));
    assertThat(EngagementMetrics.newContentCtr(events, items, D, 200))
        .as("with a 200 h span every impression is new: 4 clicks in 5")
        .isCloseTo(0.8, within(TOLERANCE));
    assertThat(EngagementMetrics.newContentCtr(events, items, D, 1))
        .as("no impression of an item younger than 1 h: null")
        .isNull();
  }

  @Test
  void coldStartSuccessCountsTrueEngagementsWithinTheSpanOfTheCohort() {
    Dataset<Row> items =
        items(
            item("c1", "A", "2026-03-05T10:00:00Z"),
            item("c2", "A", "2026-03-05T10:00:00Z"),
            item("c3", "A", "2026-03-08T00:00:00Z"),
            item("c6", "A", "2026-03-06T00:00:00Z"),
            item("before", "A", "2026-03-03T23:00:00Z"),
            item("late", "A", "2026-03-08T01:00:00Z"));
    Dataset<Row> events =
        events(
            event("a", "c1", "2026-03-06T10:00:00Z").completed().shared(),
            event("a", "c2", "2026-03-06T10:00:00Z").completed(),
            event("b", "c2", "2026-03-08T11:00:00Z").completed(),
            event("c", "c2", "2026-03-07T10:00:00Z").clicked(),
            event("d", "c2", "2026-03-07T10:00:00Z").clicked(),
            event("e", "c2", "2026-03-07T10:00:00Z").clicked(),
            event("a", "c3", "2026-03-09T10:00:00Z").purchase(5.0).shared(),
            event("a", "before", "2026-03-05T10:00:00Z").completed().shared(),
            event("a", "late", "2026-03-09T10:00:00Z").completed().shared());
    // window D-6..D = 03-04..03-10, publish in [03-04 00:00, 03-08 00:00]: c1, c2, c3, c6
    // c1: 2 (success), c2: 1 within 72 h (its second completion is after 03-08 10:00, clicks do
    // not count), c3: purchase + share = 2 (success), c6: never shown
    MetricParams params =
        new MetricParams(
            72, 72, 2L, 7, 0.8, 0.01, 7, 7, MetricParams.DEFAULT_HEATING_COST_PER_IMPRESSION);
    assertThat(EngagementMetrics.coldStartSuccessRate(events, items, D, params))
        .as("c1 and c3 of the cohort c1, c2, c3, c6 reach 2 true engagements")
        .isCloseTo(0.5, within(TOLERANCE));
    assertThat(EngagementMetrics.coldStartSuccessRate(events, items, D.minusDays(30), params))
        .as("no item published in the window: null")
        .isNull();
  }

  @Test
  void gmvDwellHeatedShareAndHeatingCost() {
    Dataset<Row> events =
        events(
            event("a", "i1", D).clicked(1000L).purchase(10.0).heated(),
            event("a", "i2", D).clicked(3000L).purchase(2.5),
            event("b", "i1", D).clicked(null).purchase(null),
            event("b", "i2", D).dwell(5000L),
            event("c", "i1", D.minusDays(1)).clicked(9000L).purchase(100.0).heated());
    assertThat(EngagementMetrics.gmv(events, D))
        .as("purchases of D, null as 0")
        .isCloseTo(12.5, within(TOLERANCE));
    assertThat(EngagementMetrics.meanDwellMs(events, D))
        .as("mean of the known dwell times of clicks")
        .isCloseTo(2000.0, within(TOLERANCE));
    assertThat(EngagementMetrics.heatedShare(events, D))
        .as("1 heated of 4 impressions")
        .isCloseTo(0.25, within(TOLERANCE));
    assertThat(EngagementMetrics.heatingCost(events, D, 0.5))
        .as("1 heated impression at 0.5")
        .isCloseTo(0.5, within(TOLERANCE));
    assertThat(EngagementMetrics.meanDwellMs(events(event("a", "i1", D)), D))
        .as("no clicks: no dwell time")
        .isNull();
    assertThat(EngagementMetrics.gmv(events, D.plusDays(3))).as("empty day: GMV 0").isZero();
    assertThat(EngagementMetrics.heatedShare(events, D.plusDays(3)))
        .as("empty day: no heated share")
        .isNull();
  }

  @Test
  void missingColumnIsNamed() {
    Dataset<Row> noClicks = events(event("a", "i1", D)).drop("clicked");
    assertThatThrownBy(() -> EngagementMetrics.ctr(noClicks, D))
        .as("a missing column is named")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("clicked");
  }
}
