package dev.kindling.features.metrics;

import static dev.kindling.features.metrics.MetricRows.D;
import static dev.kindling.features.metrics.MetricRows.event;
import static dev.kindling.features.metrics.MetricRows.events;
import static dev.kindling.features.metrics.MetricRows.item;
import static dev.kindling.features.metrics.MetricRows.items;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class UserMetricsTest {

  private static final double TOLERANCE = 1e-12;
  private static final String PUBLISHED = "2026-01-01T00:00:00Z";

  private static Dataset<Row> catalog() {
    return items(
        item("a1", "A", PUBLISHED),
        item("a2", "A", PUBLISHED),
        item("a3", "A", PUBLISHED),
        item("b1", "B", PUBLISHED),
        item("c1", "C", PUBLISHED));
  }

  @Test
  void intraListDiversityIsTheShareOfCrossCategoryPairsPerSlate() {
    Dataset<Row> events =
        events(
            event("u", "a1", D).request("r1"),
            event("u", "a2", D).request("r1"),
            event("u", "b1", D).request("r1"),
            event("v", "a1", D).request("r2"),
            event("v", "b1", D).request("r2"),
            event("w", "c1", D).request("r3"),
            event("w", "a1", D.minusDays(1)).request("r4"),
            event("w", "a2", D.minusDays(1)).request("r4"));
    // r1: A, A, B: 1 - 2/6 = 2/3; r2: A, B: 1; r3 has one item; r4 is another day
    assertThat(UserMetrics.intraListDiversity(events, catalog(), D))
        .as("mean ILD of r1 and r2")
        .isCloseTo((2.0 / 3.0 + 1.0) / 2, within(TOLERANCE));
    Dataset<Row> sameCategory =
        events(event("u", "a1", D).request("r1"), event("u", "a2", D).request("r1"));
    assertThat(UserMetrics.intraListDiversity(sameCategory, catalog(), D))
        .as("a slate of one category has ILD 0")
        .isCloseTo(0.0, within(TOLERANCE));
    assertThat(UserMetrics.intraListDiversity(events, catalog(), D.plusDays(1)))
        .as("no slate of two: null")
        .isNull();
  }

  @Test
  void interestBreadthAveragesDistinctCategoriesAndEntropyOverActiveClickers() {
    Dataset<Row> events =
        events(
            event("a", "a1", D).clicked(),
            event("a", "b1", D).clicked(),
            event("a", "a2", D.minusDays(3)).clicked(),
            event("a", "a3", D.minusDays(3)).clicked(),
            event("b", "c1", D.minusDays(10)).clicked(),
            event("b", "a1", D),
            event("c", "a1", D.minusDays(1)).clicked(),
            event("d", "c1", D).clicked());
    // a: A 3, B 1 -> 2 categories, H = -(.75 log2 .75 + .25 log2 .25); d: 1 category, H = 0
    // b clicked only outside the window, c is not active on D
    double entropyA = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)) / Math.log(2);
    UserMetrics.InterestBreadth breadth = UserMetrics.interestBreadth(events, catalog(), D, 7);
    assertThat(breadth.users()).as("a and d qualify").isEqualTo(2L);
    assertThat(breadth.meanDistinctCategories())
        .as("mean of 2 and 1 categories")
        .isCloseTo(1.5, within(TOLERANCE));
    assertThat(breadth.meanEntropyBits())
        .as("mean of the two entropies")
        .isCloseTo(entropyA / 2, within(1e-9));
    UserMetrics.InterestBreadth nobody =
        UserMetrics.interestBreadth(events(event("a", "a1", D)), catalog(), D, 7);
    assertThat(nobody.meanDistinctCategories()).as("no clicks: null breadth").isNull();
    assertThat(nobody.users()).as("no qualifying user").isZero();
  }

  @Test
  void nextDayRetentionIsTheShareOfTodaysUsersBackTomorrowAndNullWithoutTomorrow() {
    Dataset<Row> events =
        events(
            event("a", "a1", D),
            event("b", "a1", D),
            event("c", "a1", D),
            event("d", "a1", D),
            event("a", "a1", D.plusDays(1)),
            event("c", "a1", D.plusDays(1)),
            event("e", "a1", D.plusDays(1)),
            event("f", "a1", D.minusDays(1)));
    assertThat(UserMetrics.nextDayRetention(events, D))
        .as("a and c of a, b, c, d come back")
        .isCloseTo(0.5, within(TOLERANCE));
    assertThat(UserMetrics.nextDayRetention(events, D.plusDays(1)))
        .as("D + 2 is not in the input: unknown, not 0")
        .isNull();
  }
}
