package dev.kindling.features.validate;

/**
 * Why a raw row was quarantined; stored by name in {@code quarantine.reason_code}. Declaration
 * order is the priority order: a row that breaks several rules is filed under the first one, and
 * its message lists the others.
 */
public enum ReasonCode {
  /** {@code event_id} is null or blank. */
  MISSING_EVENT_ID,
  /** {@code ts} is null. */
  MISSING_TS,
  /** {@code dt} is null or not a {@code yyyy-MM-dd} date. */
  INVALID_DT,
  /** {@code dt} is not the run date: the row sits in another day's partition. */
  DT_NOT_RUN_DATE,
  /** {@code dt} differs from the UTC date of {@code ts}. */
  DT_TS_MISMATCH,
  /** {@code user_id} is null or blank (events), or a users row has no {@code user_id}. */
  MISSING_USER_ID,
  /** {@code item_id} is null or blank (events), or an items row has no {@code item_id}. */
  MISSING_ITEM_ID,
  /** {@code scenario} is null or blank. */
  MISSING_SCENARIO,
  /** {@code request_id} is null or blank. */
  MISSING_REQUEST_ID,
  /** {@code position} is null. */
  MISSING_POSITION,
  /** {@code position} is negative. */
  NEGATIVE_POSITION,
  /** {@code clicked} is null. */
  MISSING_CLICKED,
  /** {@code heated} is null. */
  MISSING_HEATED,
  /** {@code scenario} is not one of the configured scenarios (agents). */
  UNKNOWN_SCENARIO,
  /** {@code dwell_ms} is negative. */
  NEGATIVE_DWELL,
  /** {@code dwell_ms} exceeds one day: a client timer that never stopped. */
  DWELL_TOO_LONG,
  /** {@code dwell_ms} is positive on an impression that was not clicked. */
  DWELL_WITHOUT_CLICK,
  /** {@code completed} is true on an impression that was not clicked. */
  COMPLETED_WITHOUT_CLICK,
  /** {@code shared} is true on an impression that was not clicked. */
  SHARED_WITHOUT_CLICK,
  /** {@code purchase_amount} is negative, NaN or infinite. */
  INVALID_PURCHASE_AMOUNT,
  /** {@code purchase_amount} is positive on an impression that was not clicked. */
  PURCHASE_WITHOUT_CLICK,
  /** {@code propensity} is outside (0, 1] or NaN. */
  INVALID_PROPENSITY,
  /** {@code explore_prob} is outside [0, 1] or NaN. */
  INVALID_EXPLORE_PROB,
  /** {@code explore} is true although {@code explore_prob} is 0. */
  EXPLORE_WITH_ZERO_PROB,
  /** {@code action} is an empty array. */
  EMPTY_ACTION,
  /** {@code action} holds a null, NaN or infinite weight. */
  INVALID_ACTION_WEIGHT,
  /** {@code action} has a length other than the day's most common length. */
  ACTION_LENGTH_MISMATCH,
  /** {@code item_id} is not in {@code raw/items}. */
  UNKNOWN_ITEM,
  /** {@code user_id} is not in {@code raw/users}. */
  UNKNOWN_USER,
  /** {@code ts} is before the item's {@code publish_ts}. */
  IMPRESSION_BEFORE_PUBLISH,
  /** Another event with a different {@code event_id} fills the same request and position. */
  SLOT_CONFLICT
}
