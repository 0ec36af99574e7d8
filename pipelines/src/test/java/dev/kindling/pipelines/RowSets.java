package dev.kindling.pipelines;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;

/** Row sets compared as multisets, for tests that check two runs wrote the same table rows. */
public final class RowSets {

  private RowSets() {}

  /** Asserts that two row sets are equal as multisets: same count, nothing in one but the other. */
  public static void assertSameRows(String what, Dataset<Row> before, Dataset<Row> after) {
    Dataset<Row> expected = comparable(before);
    Dataset<Row> actual = comparable(after);
    long expectedCount = expected.count();
    assertThat(actual.count()).as("%s: row count", what).isEqualTo(expectedCount);
    assertThat(expected.exceptAll(actual).count())
        .as("%s: rows that were there before and are gone", what)
        .isZero();
    assertThat(actual.exceptAll(expected).count())
        .as("%s: rows that are new or changed", what)
        .isZero();
  }

  /**
   * The rows with every map column as its entries sorted by key, since set operations do not take
   * maps.
   */
  public static Dataset<Row> comparable(Dataset<Row> rows) {
    Column[] columns =
        Arrays.stream(rows.schema().fields())
            .map(
                f ->
                    f.dataType() instanceof MapType
                        ? array_sort(map_entries(col(f.name()))).as(f.name())
                        : col(f.name()))
            .toArray(Column[]::new);
    return rows.select(columns);
  }
}
