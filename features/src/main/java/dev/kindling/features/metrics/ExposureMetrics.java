package dev.kindling.features.metrics;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/** Exposure concentration metrics over a DataFrame of per-entity exposure values. */
public final class ExposureMetrics {

  private static final String VALUE = "gini_value";
  private static final String MULTIPLICITY = "gini_multiplicity";
  private static final String COUNT_BELOW = "gini_count_below";

  private ExposureMetrics() {}

  /**
   * The Gini coefficient of {@code valueColumn} over the rows of {@code df}, e.g. one row per item
   * with its impression count: 0 when every row has the same value, {@code (n - 1) / n} when one
   * row holds everything.
   *
   * <p>With the {@code n} values sorted ascending, {@code x(1) <= ... <= x(n)}, the result is
   * {@code G = 2 * sum_i(i * x(i)) / (n * sum_i x(i)) - (n + 1) / n}. Tied values may take their
   * ranks in any order without changing the sum, so the sum is computed per distinct value {@code
   * v} with multiplicity {@code c} and {@code a} rows strictly below it as {@code v * (c * a + c *
   * (c + 1) / 2)}.
   *
   * <p>Cost: one shuffle to group by distinct value, then a window over the distinct values in a
   * single partition (small for counts: at most the number of distinct values), then one global
   * aggregate; only the final scalar returns to the driver. Rows whose value is null are ignored;
   * entities that should count with zero exposure must be present with 0, not absent. Returns 0
   * when there are no rows or every value is 0.
   *
   * @throws IllegalArgumentException if a value is negative
   */
  public static double gini(Dataset<Row> df, String valueColumn) {
    Dataset<Row> distinct =
        df.select(col(valueColumn).cast("double").as(VALUE))
            .where(col(VALUE).isNotNull())
            .groupBy(VALUE)
            .agg(count(lit(1)).cast("double").as(MULTIPLICITY));
    WindowSpec below =
        Window.orderBy(VALUE).rowsBetween(Window.unboundedPreceding(), -1 /* strictly below */);
    Column countBelow = coalesceZero(sum(col(MULTIPLICITY)).over(below));
    Column c = col(MULTIPLICITY);
    Column rankWeightedSum =
        col(VALUE).multiply(c.multiply(col(COUNT_BELOW)).plus(c.multiply(c.plus(1)).divide(2)));
    Row totals =
        distinct
            .withColumn(COUNT_BELOW, countBelow)
            .agg(
                sum(c).as("n"),
                sum(col(VALUE).multiply(c)).as("total"),
                sum(rankWeightedSum).as("ranked"),
                min(col(VALUE)).as("smallest"))
            .first();
    if (totals.isNullAt(0)) {
      return 0.0;
    }
    double n = totals.getDouble(0);
    double total = totals.getDouble(1);
    double ranked = totals.getDouble(2);
    double smallest = totals.getDouble(3);
    if (smallest < 0) {
      throw new IllegalArgumentException(
          "Gini of column '"
              + valueColumn
              + "' needs non-negative values, found "
              + smallest
              + "; exposure counts cannot be negative, check the aggregation feeding it");
    }
    if (total == 0) {
      return 0.0;
    }
    return 2 * ranked / (n * total) - (n + 1) / n;
  }

  private static Column coalesceZero(Column column) {
    return coalesce(column, lit(0.0));
  }
}
