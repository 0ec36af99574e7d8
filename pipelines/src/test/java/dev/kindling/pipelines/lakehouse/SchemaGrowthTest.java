package dev.kindling.pipelines.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.features.SparkTestSession;
import dev.kindling.features.schema.FeatureSpecSchema;
import io.delta.tables.DeltaTable;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table created before its declared schema gained nullable columns (a lakehouse of an older
 * release) takes the next {@link Lakehouse#replacePartition} and gains the columns; its older
 * partitions read them as null. Rows of another type are still refused.
 */
class SchemaGrowthTest {

  private static final LocalDate OLD_DAY = LocalDate.parse("2024-01-01");
  private static final LocalDate NEW_DAY = LocalDate.parse("2024-01-02");

  @Test
  void anOlderTableGainsTheDeclaredColumnsOnItsNextWrite(@TempDir Path root) {
    SparkSession spark = SparkTestSession.get();
    Lakehouse lakehouse = new Lakehouse(spark, root.toString());
    Table table = Table.REPLAY_FEATURE_SPEC;
    StructField[] all = table.schema().fields();
    StructType older =
        new StructType(
            Arrays.stream(all)
                .filter(f -> !f.name().startsWith("embeddings_"))
                .toArray(StructField[]::new));
    assertThat(older.size()).as("the older release's spec lacks the two columns").isEqualTo(5);
    spark
        .createDataFrame(List.of(RowFactory.create(Date.valueOf(OLD_DAY), "f", 0, 1.0, 2.0)), older)
        .write()
        .format("delta")
        .partitionBy(Lakehouse.DT)
        .save(lakehouse.path(table));

    lakehouse.replacePartition(
        table,
        NEW_DAY,
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    Date.valueOf(NEW_DAY), "f", 0, 1.5, 2.5, Date.valueOf(OLD_DAY), 3L)),
            table.schema()));

    assertThat(DeltaTable.forPath(spark, lakehouse.path(table)).toDF().schema().fieldNames())
        .as("the table now has every declared column")
        .contains(FeatureSpecSchema.EMBEDDINGS_DT, FeatureSpecSchema.EMBEDDINGS_VERSION);
    Row old = lakehouse.read(table, OLD_DAY).first();
    assertThat(old.isNullAt(old.fieldIndex(FeatureSpecSchema.EMBEDDINGS_VERSION)))
        .as("the older partition reads the new column as null")
        .isTrue();
    assertThat(old.getDouble(old.fieldIndex(FeatureSpecSchema.MEAN))).isEqualTo(1.0);
    Row fresh = lakehouse.read(table, NEW_DAY).first();
    assertThat(fresh.getLong(fresh.fieldIndex(FeatureSpecSchema.EMBEDDINGS_VERSION))).isEqualTo(3L);

    StructType wrongType =
        new StructType(
            Arrays.stream(all)
                .map(
                    f ->
                        f.name().equals(FeatureSpecSchema.EMBEDDINGS_VERSION)
                            ? DataTypes.createStructField(f.name(), DataTypes.StringType, true)
                            : f)
                .toArray(StructField[]::new));
    assertThatThrownBy(
            () ->
                lakehouse.replacePartition(
                    table,
                    NEW_DAY,
                    spark.createDataFrame(
                        List.of(
                            RowFactory.create(
                                Date.valueOf(NEW_DAY), "f", 0, 1.5, 2.5, null, "three")),
                        wrongType)))
        .as("merging adds declared columns only; a changed type is still refused")
        .hasMessageContaining("embeddings_version");
  }
}
