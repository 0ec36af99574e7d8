package dev.kindling.features.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.features.SparkTestSession;
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
}
