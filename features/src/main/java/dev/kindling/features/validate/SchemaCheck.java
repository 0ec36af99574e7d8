package dev.kindling.features.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Schema-level check of a raw log against its contract: a required column missing, or a column of
 * an incompatible type, throws a {@link LogContractException}; compatible types are cast; absent
 * optional columns are added as typed nulls and reported. No Spark job runs: only the found schema
 * is inspected and a projection is built.
 */
public final class SchemaCheck {

  /** The only accepted text form of a date column. */
  static final String DATE_PATTERN_REGEX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$";

  private static final Set<DataType> INTEGRAL =
      Set.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType);

  private SchemaCheck() {}

  /**
   * A log cast to its contract: the contract's columns first, in contract order and type, then
   * every further column of the log untouched.
   *
   * @param rows the conformed rows
   * @param absentOptionalColumns optional contract columns the log lacked, added as nulls
   */
  public record ConformedLog(Dataset<Row> rows, List<String> absentOptionalColumns) {

    /** Copies the list so the record stays immutable. */
    public ConformedLog {
      absentOptionalColumns = List.copyOf(absentOptionalColumns);
    }
  }

  /**
   * Casts {@code raw} to {@code contract}, or throws when it cannot. Lazy: no Spark job runs.
   * Column names match exactly (a name differing only in case is reported as missing, with a hint).
   * A {@code yyyy-MM-dd} string in a date column that is not a real date becomes null, for the
   * row-level checks to quarantine.
   *
   * @param log the log's name for messages ({@code events}, {@code items}, {@code users})
   * @param raw the log as read
   * @param contract the contract schema
   * @param required the contract columns the log must carry
   * @throws LogContractException if a required column is missing or a column has a type that is not
   *     the contract's nor safely castable to it
   */
  public static ConformedLog conform(
      String log, Dataset<Row> raw, StructType contract, List<String> required) {
    StructType found = raw.schema();
    Set<String> foundNames = Set.of(found.fieldNames());
    List<Column> columns = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (StructField field : contract.fields()) {
      String name = field.name();
      if (!foundNames.contains(name)) {
        if (required.contains(name)) {
          throw ContractErrors.missingColumn(log, name, field.dataType(), found);
        }
        absent.add(name);
        columns.add(lit(null).cast(field.dataType()).as(name));
        continue;
      }
      DataType foundType = found.apply(name).dataType();
      columns.add(cast(log, name, foundType, field.dataType()).as(name));
    }
    Set<String> contractNames = Set.of(contract.fieldNames());
    Arrays.stream(found.fieldNames())
        .filter(name -> !contractNames.contains(name))
        .forEach(name -> columns.add(col(quoted(name))));
    return new ConformedLog(raw.select(columns.toArray(Column[]::new)), absent);
  }

  /** A column reference that survives dots and other special characters in the name. */
  static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }

  private static Column cast(String log, String name, DataType found, DataType expected) {
    Column column = col(quoted(name));
    if (found.equals(expected)) {
      return column;
    }
    if (expected.equals(DataTypes.LongType) && INTEGRAL.contains(found)) {
      return column.cast(expected);
    }
    if (expected.equals(DataTypes.IntegerType)
        && (found.equals(DataTypes.ShortType) || found.equals(DataTypes.ByteType))) {
      return column.cast(expected);
    }
    if (expected.equals(DataTypes.DoubleType)
        && (found.equals(DataTypes.FloatType) || INTEGRAL.contains(found))) {
      return column.cast(expected);
    }
    if (expected.equals(DataTypes.DateType) && found.equals(DataTypes.StringType)) {
      return when(column.rlike(DATE_PATTERN_REGEX), expr("try_cast(" + quoted(name) + " AS DATE)"));
    }
    if (expected instanceof ArrayType expectedArray
        && found instanceof ArrayType foundArray
        && expectedArray.elementType().equals(foundArray.elementType())) {
      return column;
    }
    if (expected instanceof ArrayType expectedArray
        && expectedArray.elementType().equals(DataTypes.FloatType)
        && found instanceof ArrayType foundArray
        && foundArray.elementType().equals(DataTypes.DoubleType)) {
      return column.cast(DataTypes.createArrayType(DataTypes.FloatType, foundArray.containsNull()));
    }
    throw ContractErrors.wrongType(log, name, expected, alsoAccepted(expected), found);
  }

  /** The further types {@link #cast} accepts for a contract type, for error messages. */
  static List<String> alsoAccepted(DataType expected) {
    List<DataType> types = new ArrayList<>();
    if (expected.equals(DataTypes.LongType)) {
      types.addAll(List.of(DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType));
    } else if (expected.equals(DataTypes.IntegerType)) {
      types.addAll(List.of(DataTypes.ByteType, DataTypes.ShortType));
    } else if (expected.equals(DataTypes.DoubleType)) {
      types.addAll(
          List.of(
              DataTypes.FloatType,
              DataTypes.ByteType,
              DataTypes.ShortType,
              DataTypes.IntegerType,
              DataTypes.LongType));
    } else if (expected.equals(DataTypes.DateType)) {
      return List.of("string yyyy-MM-dd");
    } else if (expected instanceof ArrayType array
        && array.elementType().equals(DataTypes.FloatType)) {
      types.add(DataTypes.createArrayType(DataTypes.DoubleType));
    }
    return types.stream().map(DataType::simpleString).collect(Collectors.toList());
  }
}
