package dev.kindling.features.schema;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The raw impression log, {@code raw/events}: one row per item shown to a user in one slot of one
 * ranking request. Parquet, partitioned by {@code dt}. This is the platform's contract with
 * Kindling; {@code validate} checks every row against it.
 */
public final class EventsSchema {

  /** Unique per impression; duplicates are dropped, first wins. */
  public static final String EVENT_ID = "event_id";

  /** Event time, UTC. */
  public static final String TS = "ts";

  /** Partition date {@code yyyy-MM-dd}; must equal the UTC date of {@link #TS}. */
  public static final String DT = "dt";

  public static final String USER_ID = "user_id";
  public static final String ITEM_ID = "item_id";

  /** The ranker that served the impression ({@code feed}, {@code search}, {@code detail}). */
  public static final String SCENARIO = "scenario";

  /** One ranking request (a slate). */
  public static final String REQUEST_ID = "request_id";

  /** 0-based slot in the slate. */
  public static final String POSITION = "position";

  public static final String CLICKED = "clicked";

  /** Milliseconds spent on the item after a click; never negative. */
  public static final String DWELL_MS = "dwell_ms";

  /** The user finished the item: true engagement. */
  public static final String COMPLETED = "completed";

  public static final String SHARED = "shared";

  /** GMV of this impression; 0 or null if none. */
  public static final String PURCHASE_AMOUNT = "purchase_amount";

  /** The impression came from a heating quota. */
  public static final String HEATED = "heated";

  /** The logging policy chose to explore for this request. */
  public static final String EXPLORE = "explore";

  /** The logging policy's probability of exploring for this request, in [0, 1]. */
  public static final String EXPLORE_PROB = "explore_prob";

  /** Probability that the logging policy showed this item in this slot, in (0, 1]. */
  public static final String PROPENSITY = "propensity";

  /** Ranking weights the logging policy used for this request. */
  public static final String ACTION = "action";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(EVENT_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(TS, DataTypes.TimestampType, false /* nullable */),
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(USER_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(ITEM_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(SCENARIO, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(REQUEST_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(POSITION, DataTypes.IntegerType, false /* nullable */),
            DataTypes.createStructField(CLICKED, DataTypes.BooleanType, false /* nullable */),
            DataTypes.createStructField(DWELL_MS, DataTypes.LongType, true /* nullable */),
            DataTypes.createStructField(COMPLETED, DataTypes.BooleanType, true /* nullable */),
            DataTypes.createStructField(SHARED, DataTypes.BooleanType, true /* nullable */),
            DataTypes.createStructField(PURCHASE_AMOUNT, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(HEATED, DataTypes.BooleanType, false /* nullable */),
            DataTypes.createStructField(EXPLORE, DataTypes.BooleanType, true /* nullable */),
            DataTypes.createStructField(EXPLORE_PROB, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(PROPENSITY, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(
                ACTION, DataTypes.createArrayType(DataTypes.FloatType, false), true /* nullable */)
          });

  /** Columns every log must carry; their absence is a schema-level error. */
  public static final List<String> REQUIRED =
      List.of(EVENT_ID, TS, DT, USER_ID, ITEM_ID, SCENARIO, REQUEST_ID, POSITION, CLICKED, HEATED);

  private EventsSchema() {}

  /** The contract's type of a column. */
  public static DataType typeOf(String column) {
    return SCHEMA.apply(column).dataType();
  }
}
