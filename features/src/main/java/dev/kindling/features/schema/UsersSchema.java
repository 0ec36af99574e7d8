package dev.kindling.features.schema;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The user directory, {@code raw/users}: one row per user. Parquet. Further columns (optional
 * attributes) are allowed and carried through untouched.
 */
public final class UsersSchema {

  public static final String USER_ID = "user_id";

  /** Sign-up time, UTC; starts the exploration protection period. */
  public static final String SIGNUP_TS = "signup_ts";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(USER_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(SIGNUP_TS, DataTypes.TimestampType, false /* nullable */)
          });

  public static final List<String> REQUIRED = List.of(USER_ID, SIGNUP_TS);

  private UsersSchema() {}
}
