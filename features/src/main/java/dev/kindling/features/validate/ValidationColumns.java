package dev.kindling.features.validate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.trim;

import dev.kindling.features.schema.QuarantineSchema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Column helpers shared by the validation functions: working-column names, the row's JSON, and the
 * projections onto the output schemas. Building a column runs no Spark job.
 */
final class ValidationColumns {

  /** Prefix of working columns; chosen so no contract column or platform column clashes. */
  static final String WORK_PREFIX = "_kindling_validate_";

  /** The original row, every column as read, as JSON. */
  static final String ROW_JSON = WORK_PREFIX + "row_json";

  private ValidationColumns() {}

  /** {@code raw} with {@link #ROW_JSON} appended: {@code to_json(struct(every column))}. */
  static Dataset<Row> withRowJson(Dataset<Row> raw) {
    Column[] all =
        Arrays.stream(raw.columns())
            .map(name -> col(SchemaCheck.quoted(name)))
            .toArray(Column[]::new);
    Column[] withJson = Arrays.copyOf(all, all.length + 1);
    withJson[all.length] = to_json(struct(all)).as(ROW_JSON);
    return raw.select(withJson);
  }

  /** True when a string column is null, empty or only white space. */
  static Column blank(String column) {
    return col(column).isNull().or(trim(col(column)).equalTo(""));
  }

  /**
   * {@code column} declared non-nullable in the Spark schema: {@code coalesce} with a literal of
   * the same type, which Spark types as not nullable. Only for rows already filtered to non-null
   * values in {@code column}, so the literal is never the result.
   */
  static Column declaredNonNull(Column column, DataType type) {
    return coalesce(column, lit(unreachableValue(type)));
  }

  /**
   * The projection of a frame holding the contract's columns onto {@code schema}: column order,
   * type and nullability exactly as declared.
   *
   * @param schema the target schema; every column must already be present with its exact type
   *     (nullability aside)
   */
  static Column[] exactly(StructType schema) {
    return Arrays.stream(schema.fields())
        .map(field -> exactly(field).as(field.name()))
        .toArray(Column[]::new);
  }

  private static Column exactly(StructField field) {
    Column column = col(SchemaCheck.quoted(field.name()));
    if (field.nullable()) {
      return column;
    }
    return declaredNonNull(column, field.dataType());
  }

  /** A quarantine row's columns, in {@link QuarantineSchema#SCHEMA} order and nullability. */
  static Column[] quarantineRow(
      LocalDate runDate, String source, Column rowKey, Column reasonCode, Column reason) {
    return new Column[] {
      lit(runDate).as(QuarantineSchema.DT),
      lit(source).as(QuarantineSchema.SOURCE),
      rowKey.cast(DataTypes.StringType).as(QuarantineSchema.ROW_KEY),
      declaredNonNull(reasonCode, DataTypes.StringType).as(QuarantineSchema.REASON_CODE),
      declaredNonNull(reason, DataTypes.StringType).as(QuarantineSchema.REASON),
      declaredNonNull(col(ROW_JSON), DataTypes.StringType).as(QuarantineSchema.ROW_JSON)
    };
  }

  private static Object unreachableValue(DataType type) {
    if (type.equals(DataTypes.StringType)) {
      return "";
    }
    if (type.equals(DataTypes.TimestampType)) {
      return Instant.EPOCH;
    }
    if (type.equals(DataTypes.DateType)) {
      return LocalDate.EPOCH;
    }
    if (type.equals(DataTypes.IntegerType)) {
      return 0;
    }
    if (type.equals(DataTypes.LongType)) {
      return 0L;
    }
    if (type.equals(DataTypes.BooleanType)) {
      return false;
    }
    throw new IllegalArgumentException("No non-null marker for a column of type " + type);
  }
}
