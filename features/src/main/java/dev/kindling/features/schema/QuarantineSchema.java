package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code quarantine} Delta table: every raw row that broke the log contract, whole, with the
 * reason. Partitioned by {@code dt} (the run date whose input held the row).
 */
public final class QuarantineSchema {

  /** The run date whose raw input held the row. */
  public static final String DT = "dt";

  /** Which raw log the row came from: {@code events}, {@code items} or {@code users}. */
  public static final String SOURCE = "source";

  /** The row's {@code event_id} (or item/user id) when it has one, for look-ups. */
  public static final String ROW_KEY = "row_key";

  /** A stable machine-readable reason, one of {@code ReasonCode}'s names. */
  public static final String REASON_CODE = "reason_code";

  /** What was wrong with the row, with the bad value, and how to fix it. */
  public static final String REASON = "reason";

  /** The original row as JSON (every column, as read), so nothing is lost. */
  public static final String ROW_JSON = "row_json";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(SOURCE, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(ROW_KEY, DataTypes.StringType, true /* nullable */),
            DataTypes.createStructField(REASON_CODE, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(REASON, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(ROW_JSON, DataTypes.StringType, false /* nullable */)
          });

  private QuarantineSchema() {}
}
