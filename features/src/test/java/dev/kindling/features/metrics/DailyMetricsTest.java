package dev.kindling.features.metrics;

import static dev.kindling.features.metrics.MetricRows.D;
import static dev.kindling.features.metrics.MetricRows.event;
import static dev.kindling.features.metrics.MetricRows.events;
import static dev.kindling.features.metrics.MetricRows.item;
import static dev.kindling.features.metrics.MetricRows.items;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.DailyMetricsSchema;
import dev.kindling.features.schema.EventsSchema;
import java.sql.Date;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class DailyMetricsTest {

  private static final double TOLERANCE = 1e-12;

  @Test
  void oneDayOfOnePolicyFromALogWithoutPolicyColumnsAsARowOfTheSchema() {
    Dataset<Row> items =
        items(
            item("i1", "A", "2026-01-01T00:00:00Z"),
            item("i2", "B", "2026-01-01T00:00:00Z"),
            item("new", "B", "2026-03-09T12:00:00Z"));
    Dataset<Row> events =
        events(
            event("a", "i1", D).request("r1").clicked(2000L).purchase(4.0),
            event("a", "new", D).request("r1").heated().completed(),
            event("b", "i1", D).request("r2"),
            event("b", "i1", D).request("r3").clicked(4000L),
            event("a", "i2", D.plusDays(1)));
    Dataset<Row> olderLog =
        events.drop(
            EventsSchema.ACTION,
            EventsSchema.PROPENSITY,
            EventsSchema.EXPLORE,
            EventsSchema.EXPLORE_PROB);
    DailyMetrics m = DailyMetrics.compute(olderLog, items, D, "logging", MetricParams.defaults());

    assertThat(m.impressions()).as("impressions of D").isEqualTo(4L);
    assertThat(m.activeUsers()).as("a and b").isEqualTo(2L);
    assertThat(m.catalogItems()).as("three items published by D").isEqualTo(3L);
    // catalog exposure sorted 0, 1, 3: sum (2i - 4) P(i) = 0 + 0 + 2*3 = 6; / (3 * 4) = 0.5
    assertThat(m.exposureGini()).as("Gini of 0, 1, 3").isCloseTo(0.5, within(TOLERANCE));
    assertThat(m.topExposureShare()).as("i1 holds 3 of 4").isCloseTo(0.75, within(TOLERANCE));
    assertThat(m.catalogCoverage()).as("2 of 3 shown").isCloseTo(2.0 / 3, within(TOLERANCE));
    assertThat(m.averagePopularity()).as("no reference before D: null").isNull();
    assertThat(m.longTailShare()).as("no reference before D: null").isNull();
    assertThat(m.novelty()).as("no reference before D: null").isNull();
    assertThat(m.intraListDiversity()).as("r1 is A, B").isCloseTo(1.0, within(TOLERANCE));
    assertThat(m.ctr()).as("2 clicks in 4").isCloseTo(0.5, within(TOLERANCE));
    assertThat(m.newContentCtr()).as("'new' shown once, not clicked").isZero();
    assertThat(m.coldStartSuccessRate()).as("nothing published in the cohort window").isNull();
    assertThat(m.interestCategories()).as("a and b clicked A only").isCloseTo(1.0, within(1e-9));
    assertThat(m.interestEntropy()).as("one category: 0 bits").isCloseTo(0.0, within(1e-9));
    assertThat(m.nextDayRetention()).as("a of a, b returns").isCloseTo(0.5, within(TOLERANCE));
    assertThat(m.gmv()).as("one purchase").isCloseTo(4.0, within(TOLERANCE));
    assertThat(m.meanDwellMs()).as("2000 and 4000").isCloseTo(3000.0, within(TOLERANCE));
    assertThat(m.heatedShare()).as("1 of 4 heated").isCloseTo(0.25, within(TOLERANCE));
    assertThat(m.heatingCost())
        .as("one heated impression at the default cost")
        .isCloseTo(MetricParams.DEFAULT_HEATING_COST_PER_IMPRESSION, within(TOLERANCE));

    Dataset<Row> frame = m.toDataFrame(SparkTestSession.get());
    assertThat(frame.schema())
        .as("the schema of the metrics table")
        .isEqualTo(DailyMetricsSchema.SCHEMA);
    Row row = frame.first();
    assertThat(row.getDate(row.fieldIndex(DailyMetricsSchema.DT)))
        .as("dt")
        .isEqualTo(Date.valueOf(D));
    assertThat(row.getString(row.fieldIndex(DailyMetricsSchema.POLICY))).isEqualTo("logging");
    assertThat(row.isNullAt(row.fieldIndex(DailyMetricsSchema.NOVELTY)))
        .as("null stays null in the row")
        .isTrue();
  }

  @Test
  void emptyDayIsRejectedWithTheDayNamed() {
    Dataset<Row> items = items(item("i1"));
    Dataset<Row> events = events(event("a", "i1", D));
    assertThatThrownBy(
            () ->
                DailyMetrics.compute(
                    events, items, D.plusDays(2), "logging", MetricParams.defaults()))
        .as("no impressions on the day")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(D.plusDays(2).toString());
  }

  @Test
  void paramsAreValidatedAndGiveTheirLookback() {
    assertThat(MetricParams.defaults().lookbackDays())
        .as("7 reference days before D cover the 7-day windows ending at D")
        .isEqualTo(7);
    assertThatThrownBy(() -> new MetricParams(72, 72, 5L, 7, 1.5, 0.01, 7, 7, 1.0))
        .as("a head share above 1")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("headExposureShare");
    assertThatThrownBy(() -> new MetricParams(72, 200, 5L, 7, 0.8, 0.01, 7, 7, 1.0))
        .as("a cold-start span longer than its window")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("coldStartHours");
  }
}
