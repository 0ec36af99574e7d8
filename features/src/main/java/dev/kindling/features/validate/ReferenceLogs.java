package dev.kindling.features.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;

import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UsersSchema;
import java.time.LocalDate;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The reference sets events are checked against: the known item keys (with their earliest {@code
 * publish_ts}) and the known user keys, one row per key so joins never multiply events. Rows
 * without a key are left out of the sets and returned as quarantine rows.
 */
public final class ReferenceLogs {

  /** Source name of {@code raw/items} in the quarantine table. */
  public static final String ITEMS_LOG = "items";

  /** Source name of {@code raw/users} in the quarantine table. */
  public static final String USERS_LOG = "users";

  /** The key column of {@link #items} output. */
  static final String REF_ITEM_ID = ValidationColumns.WORK_PREFIX + "ref_item_id";

  /** The earliest {@code publish_ts} of the key, in {@link #items} output. */
  static final String REF_PUBLISH_TS = ValidationColumns.WORK_PREFIX + "ref_publish_ts";

  /** The key column of {@link #users} output. */
  static final String REF_USER_ID = ValidationColumns.WORK_PREFIX + "ref_user_id";

  private ReferenceLogs() {}

  /**
   * A reference set and the rows left out of it.
   *
   * @param keys one row per key
   * @param quarantined rows without a key, in {@code QuarantineSchema.SCHEMA}
   */
  public record Reference(Dataset<Row> keys, Dataset<Row> quarantined) {}

  /**
   * The item keys {@code (REF_ITEM_ID, REF_PUBLISH_TS)}; an item listed twice keeps its earliest
   * publish time. Cost: one aggregation (shuffle) over the items when evaluated.
   *
   * @throws LogContractException if {@code rawItems} breaks {@code ItemsSchema}
   */
  public static Reference items(Dataset<Row> rawItems, LocalDate runDate) {
    Dataset<Row> items =
        SchemaCheck.conform(
                ITEMS_LOG,
                ValidationColumns.withRowJson(rawItems),
                ItemsSchema.SCHEMA,
                ItemsSchema.REQUIRED)
            .rows();
    Dataset<Row> keys =
        items
            .where(not(ValidationColumns.blank(ItemsSchema.ITEM_ID)))
            .groupBy(col(ItemsSchema.ITEM_ID).as(REF_ITEM_ID))
            .agg(min(ItemsSchema.PUBLISH_TS).as(REF_PUBLISH_TS));
    return new Reference(
        keys, keyless(items, runDate, ITEMS_LOG, ItemsSchema.ITEM_ID, ReasonCode.MISSING_ITEM_ID));
  }

  /**
   * The user keys {@code (REF_USER_ID)}, distinct. Cost: one aggregation (shuffle) over the users
   * when evaluated.
   *
   * @throws LogContractException if {@code rawUsers} breaks {@code UsersSchema}
   */
  public static Reference users(Dataset<Row> rawUsers, LocalDate runDate) {
    Dataset<Row> users =
        SchemaCheck.conform(
                USERS_LOG,
                ValidationColumns.withRowJson(rawUsers),
                UsersSchema.SCHEMA,
                UsersSchema.REQUIRED)
            .rows();
    Dataset<Row> keys =
        users
            .where(not(ValidationColumns.blank(UsersSchema.USER_ID)))
            .select(col(UsersSchema.USER_ID).as(REF_USER_ID))
            .distinct();
    return new Reference(
        keys, keyless(users, runDate, USERS_LOG, UsersSchema.USER_ID, ReasonCode.MISSING_USER_ID));
  }

  private static Dataset<Row> keyless(
      Dataset<Row> rows, LocalDate runDate, String source, String key, ReasonCode code) {
    return rows.where(ValidationColumns.blank(key))
        .select(
            ValidationColumns.quarantineRow(
                runDate,
                source,
                col(key),
                lit(code.name()),
                ContractErrors.rowReason(code, ContractErrors.shown(key, col(key)))));
  }
}
