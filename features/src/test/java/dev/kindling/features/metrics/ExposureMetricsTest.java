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
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class ExposureMetricsTest {

  private static final double TOLERANCE = 1e-12;
  private static final StructType SCHEMA =
      new StructType()
          .add("item_id", DataTypes.StringType, false /* nullable */)
          .add("impressions", DataTypes.LongType, true /* nullable */);

  private static Dataset<Row> exposures(Long... values) {
    List<Row> rows =
        IntStream.range(0, values.length)
            .mapToObj(i -> RowFactory.create("item-" + i, values[i]))
            .collect(Collectors.toList());
    return SparkTestSession.get().createDataFrame(rows, SCHEMA);
  }

  @Test
  void allEqualIsZero() {
    assertThat(ExposureMetrics.gini(exposures(5L, 5L, 5L, 5L), "impressions"))
        .as("equal exposure has Gini 0")
        .isCloseTo(0.0, within(TOLERANCE));
  }

  @Test
  void oneHoldingEverythingIsNMinusOneOverN() {
    assertThat(ExposureMetrics.gini(exposures(0L, 0L, 0L, 0L, 12L), "impressions"))
        .as("one of 5 items with all exposure has Gini (5 - 1) / 5")
        .isCloseTo(4.0 / 5.0, within(TOLERANCE));
  }

  @Test
  void handCheckedMixedValuesWithTies() {
    // sorted 1, 1, 2, 4: sum i*x = 1 + 2 + 6 + 16 = 25, n = 4, total = 8
    // G = 2 * 25 / (4 * 8) - 5 / 4 = 1.5625 - 1.25 = 0.3125
    assertThat(ExposureMetrics.gini(exposures(4L, 1L, 2L, 1L), "impressions"))
        .as("Gini of 1, 1, 2, 4 by hand")
        .isCloseTo(0.3125, within(TOLERANCE));
  }

  @Test
  void nullsAreIgnoredAndEmptyIsZero() {
    assertThat(ExposureMetrics.gini(exposures(3L, null, 3L), "impressions"))
        .as("null values are ignored")
        .isCloseTo(0.0, within(TOLERANCE));
    assertThat(ExposureMetrics.gini(exposures(), "impressions"))
        .as("no rows gives 0")
        .isCloseTo(0.0, within(TOLERANCE));
  }

  @Test
  void negativeValueIsRejected() {
    assertThatThrownBy(() -> ExposureMetrics.gini(exposures(3L, -1L), "impressions"))
        .as("a negative exposure is a broken input")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("impressions")
        .hasMessageContaining("-1.0");
  }

  private static Dataset<Row> fourItemsAndOneUnpublished() {
    return items(
        item("i1"),
        item("i2"),
        item("i3"),
        item("i4"),
        item("later", "A", D.plusDays(1) + "T00:00:00Z"));
  }

  @Test
  void exposureGiniCountsUnshownCatalogItemsAsZero() {
    Dataset<Row> events =
        events(
            event("a", "i1", D),
            event("b", "i1", D),
            event("c", "i1", D),
            event("a", "i2", D.minusDays(1)));
    assertThat(ExposureMetrics.exposureGini(events, fourItemsAndOneUnpublished(), D))
        .as("one of the 4 catalog items takes all of D's exposure: (4 - 1) / 4")
        .isCloseTo(0.75, within(TOLERANCE));
    Dataset<Row> equal =
        events(event("a", "i1", D), event("a", "i2", D), event("b", "i3", D), event("b", "i4", D));
    assertThat(ExposureMetrics.exposureGini(equal, fourItemsAndOneUnpublished(), D))
        .as("every catalog item shown once: Gini 0")
        .isCloseTo(0.0, within(TOLERANCE));
  }

  @Test
  void lorenzCurveRunsFromZeroToOneThroughTheLeastShownItems() {
    // Catalog of 4 published items; D's impressions: i1 x3, i2 x1, i3 and i4 unshown.
    Dataset<Row> events =
        events(
            event("a", "i1", D),
            event("b", "i1", D),
            event("c", "i1", D),
            event("a", "i2", D),
            event("a", "i3", D.minusDays(1)));
    double[] curve = ExposureMetrics.lorenzCurve(events, fourItemsAndOneUnpublished(), D, 4);
    assertThat(curve)
        .as("quarters of the catalog: 0, 0 (i3 or i4), 0 (both), 1/4 (+ i2), 1 (+ i1)")
        .containsExactly(new double[] {0.0, 0.0, 0.0, 0.25, 1.0}, within(TOLERANCE));
    double[] halves = ExposureMetrics.lorenzCurve(events, fourItemsAndOneUnpublished(), D, 8);
    assertThat(halves[7])
        .as("7/8 of the catalog is 3.5 items: the 3 least shown and half of i1's 3 impressions")
        .isCloseTo((1.0 + 1.5) / 4.0, within(TOLERANCE));
    double area = 0;
    for (int p = 0; p < 8; p++) {
      area += (halves[p] + halves[p + 1]) / 2.0 / 8.0;
    }
    assertThat(1.0 - 2.0 * area)
        .as("twice the area between the diagonal and the curve is the exposure Gini")
        .isCloseTo(
            ExposureMetrics.exposureGini(events, fourItemsAndOneUnpublished(), D),
            within(TOLERANCE));
    assertThat(ExposureMetrics.lorenzCurve(events, fourItemsAndOneUnpublished(), D.plusDays(5), 4))
        .as("a day without impressions gives a flat curve of zeros")
        .containsOnly(0.0);
  }

  @Test
  void topExposureShareTakesTheCeilingOfTheFractionOfTheCatalog() {
    Dataset<Row> events =
        events(
            event("a", "i1", D),
            event("b", "i1", D),
            event("c", "i1", D),
            event("a", "i2", D),
            event("a", "i2", D.minusDays(1)));
    assertThat(ExposureMetrics.topExposureShare(events, fourItemsAndOneUnpublished(), D, 0.01))
        .as("top 1% of 4 items is 1 item: 3 of 4 impressions")
        .isCloseTo(0.75, within(TOLERANCE));
    assertThat(ExposureMetrics.topExposureShare(events, fourItemsAndOneUnpublished(), D, 0.5))
        .as("top half of 4 items is 2 items: every impression")
        .isCloseTo(1.0, within(TOLERANCE));
    assertThat(
            ExposureMetrics.topExposureShare(
                events, fourItemsAndOneUnpublished(), D.plusDays(5), 0.01))
        .as("a day without impressions has no top share")
        .isNull();
  }

  @Test
  void catalogCoverageIsTheShareOfPublishedItemsShown() {
    Dataset<Row> events =
        events(
            event("a", "i1", D),
            event("b", "i1", D),
            event("a", "i2", D),
            event("a", "i3", D.minusDays(1)));
    assertThat(ExposureMetrics.catalogCoverage(events, fourItemsAndOneUnpublished(), D))
        .as("2 of the 4 items published by the end of D were shown on D")
        .isCloseTo(0.5, within(TOLERANCE));
  }

  @Test
  void averagePopularityAveragesReferenceImpressionsPerUserThenOverUsers() {
    LocalDate before = D.minusDays(1);
    Dataset<Row> events =
        events(
            event("a", "i1", before),
            event("b", "i1", before),
            event("c", "i1", before),
            event("a", "i2", before),
            event("x", "i2", D.minusDays(2)),
            event("x", "i2", D.minusDays(2)),
            event("a", "i1", D),
            event("a", "i3", D),
            event("b", "i2", D));
    // a: (3 + 0) / 2 = 1.5, b: 1; mean over users 1.25; D - 2 is outside a 1-day reference
    assertThat(ExposureMetrics.averagePopularity(events, D, 1))
        .as("RecBole AveragePopularity against the impressions of D - 1")
        .isCloseTo(1.25, within(TOLERANCE));
    // with D - 2 in the reference i2 has 3 impressions: a 1.5, b 3
    assertThat(ExposureMetrics.averagePopularity(events, D, 2))
        .as("a 2-day reference adds D - 2")
        .isCloseTo(2.25, within(TOLERANCE));
    assertThat(ExposureMetrics.averagePopularity(events, D.minusDays(2), 1))
        .as("no reference before the first day: null")
        .isNull();
  }

  @Test
  void longTailShareUsesTheHeadHoldingTheHeadShareOfReferenceExposure() {
    LocalDate before = D.minusDays(1);
    Dataset<Row> events =
        events(
            event("r", "i1", before),
            event("r", "i1", before),
            event("r", "i1", before),
            event("r", "i1", before),
            event("r", "i1", before),
            event("r", "i1", before),
            event("r", "i2", before),
            event("r", "i2", before),
            event("r", "i2", before),
            event("r", "i3", before),
            event("a", "i1", D),
            event("a", "i3", D),
            event("b", "i2", D));
    // reference 6, 3, 1 of 10; 80% head = {i1, i2} (i2 starts at 6 < 8), i3 is tail
    // a: 1 of 2 in tail, b: 0 of 1; mean 0.25
    assertThat(ExposureMetrics.longTailShare(events, D, 1, 0.8))
        .as("head holding 80% is i1 and i2")
        .isCloseTo(0.25, within(TOLERANCE));
    // 50% head = {i1} (i2 starts at 6 >= 5): a 0.5, b 1; mean 0.75
    assertThat(ExposureMetrics.longTailShare(events, D, 1, 0.5))
        .as("head holding 50% is i1 alone")
        .isCloseTo(0.75, within(TOLERANCE));
    assertThat(ExposureMetrics.longTailShare(events, before, 1, 0.8))
        .as("no reference: null")
        .isNull();
  }

  @Test
  void noveltyIsTheSmoothedSelfInformationOfShownItems() {
    LocalDate before = D.minusDays(1);
    Dataset<Row> events =
        events(
            event("a", "i1", before),
            event("b", "i1", before),
            event("c", "i1", before),
            event("d", "i1", before),
            event("d", "i2", before),
            event("a", "i1", D),
            event("b", "i2", D),
            event("b", "unseen", D));
    // |V| = 4; i1 seen by 4: log2(5/5) = 0; i2 by 1: log2(5/2); unseen: log2(5/1)
    double b = (log2(2.5) + log2(5.0)) / 2;
    assertThat(ExposureMetrics.novelty(events, D, 1))
        .as("mean over users of the mean self-information")
        .isCloseTo(b / 2, within(TOLERANCE));
    assertThat(ExposureMetrics.novelty(events, before, 1)).as("no reference: null").isNull();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
