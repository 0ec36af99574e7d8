package dev.kindling.features.content;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_add;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.kindling.features.schema.ColdStartScoresSchema;
import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The content agent's inputs as pure Dataset functions: item states, item-day transitions, the
 * fraud signals and the final bid. No reads, no writes.
 *
 * <p>True engagement is {@code completionWeight * completions + shareWeight * shares +
 * purchaseWeight * purchase_amount}: clicks never count. A transition is one cold item from day d
 * to d + 1: the state is its content state on d, the action the heated impressions it received on d
 * + 1, the reward the true engagement of d + 1 minus {@code heatingCost} times the action. The
 * learner's label is the reward's per-impression form, {@code engagement(d+1) / exposure(d+1) -
 * heatingCost}: the value of one more heated impression, under the assumption that a heated
 * impression engages like the item's other impressions of that day (the heated ones alone are too
 * few per item-day for a stable estimate).
 */
public final class ColdStartFeatures {

  /** Lifetime true engagement of the item, weighted. */
  public static final String ENGAGEMENT = "engagement";

  /** Lifetime true engagement per impression of the item's category on the same day. */
  public static final String CATEGORY_ENGAGEMENT_RATE = "category_engagement_rate";

  /**
   * {@code (engagement + m * category_engagement_rate) / (exposure + m)} with {@code m =
   * engagementPriorStrength}.
   */
  public static final String ENGAGEMENT_RATE_SMOOTHED = "engagement_rate_smoothed";

  /** Transition: heated impressions of the item on d + 1. */
  public static final String ACTION = "heated_next";

  /** Transition: impressions of the item on d + 1; the label's weight. */
  public static final String EXPOSURE_NEXT = "exposure_next";

  /** Transition: true engagement of the item on d + 1. */
  public static final String ENGAGEMENT_NEXT = "engagement_next";

  /** Transition: {@code engagement_next - heatingCost * heated_next}. */
  public static final String REWARD = "reward";

  /** Transition: the learner's label, {@code engagement_next / exposure_next - heatingCost}. */
  public static final String VALUE_PER_IMPRESSION = "value_per_impression";

  /** Clicks of the item in the events given to {@link #clickConcentration}. */
  public static final String WINDOW_CLICKS = "window_clicks";

  /** Share of {@link #WINDOW_CLICKS} made by the item's top {@code concentrationTopUsers} users. */
  public static final String TOP_USERS_CLICK_SHARE = "top_users_click_share";

  /** Why the predicted value is what it is (for example the prior fallback); nullable. */
  public static final String VALUE_REASON = "value_reason";

  /** Which fraud signals are over their threshold, with their values; nullable. */
  public static final String FRAUD_REASON = "fraud_reason";

  /**
   * The state features, in the learner's order: the content state's counts and rates (nulls filled:
   * completion rate by the category's, share rate by 0, click inflation by 1, quality by -1) and
   * the two engagement rates.
   */
  public static final List<String> STATE_FEATURES =
      List.of(
          ContentStateSchema.AGE_DAYS,
          ContentStateSchema.QUALITY_SCORE,
          ContentStateSchema.EXPOSURE,
          ContentStateSchema.CLICKS,
          ContentStateSchema.COMPLETIONS,
          ContentStateSchema.SHARES,
          ContentStateSchema.HEATED_EXPOSURE,
          ContentStateSchema.PURCHASE_AMOUNT,
          ContentStateSchema.EXPOSURE_TODAY,
          ContentStateSchema.CLICKS_TODAY,
          ContentStateSchema.CTR_CATEGORY,
          ContentStateSchema.COMPLETION_RATE_CATEGORY,
          ContentStateSchema.CTR_SMOOTHED,
          ContentStateSchema.COMPLETION_RATE,
          ContentStateSchema.SHARE_RATE,
          ContentStateSchema.CLICK_INFLATION,
          CATEGORY_ENGAGEMENT_RATE,
          ENGAGEMENT_RATE_SMOOTHED);

  private static final double NO_QUALITY = -1.0;
  private static final double ORDINARY_INFLATION = 1.0;

  private ColdStartFeatures() {}

  /**
   * The learner's view of each content-state row: keys, {@code is_cold}, lifetime {@link
   * #ENGAGEMENT} and every {@link #STATE_FEATURES} column as a non-null double.
   *
   * <p>Cost: one shuffle by ({@code dt}, {@code category}) for the category engagement rate (a
   * window). Precondition: rows follow {@link ContentStateSchema#SCHEMA}; any number of dates.
   */
  public static Dataset<Row> states(Dataset<Row> contentState, ColdStartParams p) {
    Column engagement =
        col(ContentStateSchema.COMPLETIONS)
            .multiply(p.completionWeight())
            .plus(col(ContentStateSchema.SHARES).multiply(p.shareWeight()))
            .plus(col(ContentStateSchema.PURCHASE_AMOUNT).multiply(p.purchaseWeight()));
    WindowSpec byCategoryDay =
        Window.partitionBy(ContentStateSchema.DT, ContentStateSchema.CATEGORY);
    Column categoryExposure = sum(col(ContentStateSchema.EXPOSURE)).over(byCategoryDay);
    Column categoryRate =
        when(
                categoryExposure.gt(0L),
                sum(col(ENGAGEMENT)).over(byCategoryDay).divide(categoryExposure))
            .otherwise(0.0);
    Column smoothed =
        col(ENGAGEMENT)
            .plus(col(CATEGORY_ENGAGEMENT_RATE).multiply(p.engagementPriorStrength()))
            .divide(col(ContentStateSchema.EXPOSURE).plus(p.engagementPriorStrength()));
    return contentState
        .withColumn(ENGAGEMENT, engagement.cast(DataTypes.DoubleType))
        .withColumn(CATEGORY_ENGAGEMENT_RATE, categoryRate)
        .select(
            col(ContentStateSchema.ITEM_ID),
            col(ContentStateSchema.CREATOR_ID),
            col(ContentStateSchema.CATEGORY),
            col(ContentStateSchema.DT),
            col(ContentStateSchema.IS_COLD),
            col(ENGAGEMENT),
            asDouble(ContentStateSchema.AGE_DAYS),
            coalesce(col(ContentStateSchema.QUALITY_SCORE), lit(NO_QUALITY))
                .as(ContentStateSchema.QUALITY_SCORE),
            asDouble(ContentStateSchema.EXPOSURE),
            asDouble(ContentStateSchema.CLICKS),
            asDouble(ContentStateSchema.COMPLETIONS),
            asDouble(ContentStateSchema.SHARES),
            asDouble(ContentStateSchema.HEATED_EXPOSURE),
            asDouble(ContentStateSchema.PURCHASE_AMOUNT),
            asDouble(ContentStateSchema.EXPOSURE_TODAY),
            asDouble(ContentStateSchema.CLICKS_TODAY),
            asDouble(ContentStateSchema.CTR_CATEGORY),
            asDouble(ContentStateSchema.COMPLETION_RATE_CATEGORY),
            asDouble(ContentStateSchema.CTR_SMOOTHED),
            coalesce(
                    col(ContentStateSchema.COMPLETION_RATE),
                    col(ContentStateSchema.COMPLETION_RATE_CATEGORY))
                .as(ContentStateSchema.COMPLETION_RATE),
            coalesce(col(ContentStateSchema.SHARE_RATE), lit(0.0))
                .as(ContentStateSchema.SHARE_RATE),
            coalesce(col(ContentStateSchema.CLICK_INFLATION), lit(ORDINARY_INFLATION))
                .as(ContentStateSchema.CLICK_INFLATION),
            col(CATEGORY_ENGAGEMENT_RATE),
            smoothed.as(ENGAGEMENT_RATE_SMOOTHED));
  }

  /**
   * The item-day transitions among {@code states} (the output of {@link #states}): one row per item
   * cold on d that has a state on d + 1 with impressions on d + 1, carrying the d state's {@link
   * #STATE_FEATURES}, {@link #ACTION}, {@link #EXPOSURE_NEXT}, {@link #ENGAGEMENT_NEXT}, {@link
   * #REWARD} and the label {@link #VALUE_PER_IMPRESSION}. The d + 1 outcomes are the differences of
   * the lifetime totals, so the content state must have been built day after day.
   *
   * <p>Cost: one self-join of the states on {@code item_id} (a shuffle of both sides).
   */
  public static Dataset<Row> transitions(Dataset<Row> states, ColdStartParams p) {
    Dataset<Row> today = states.where(col(ContentStateSchema.IS_COLD)).alias("s");
    Dataset<Row> next =
        states
            .select(
                col(ContentStateSchema.ITEM_ID),
                col(ContentStateSchema.DT).as("n_dt"),
                col(ENGAGEMENT).as("n_engagement"),
                col(ContentStateSchema.HEATED_EXPOSURE).as("n_heated"),
                col(ContentStateSchema.EXPOSURE_TODAY).as(EXPOSURE_NEXT))
            .alias("n");
    Dataset<Row> joined =
        today
            .join(
                next,
                col("s." + ContentStateSchema.ITEM_ID)
                    .equalTo(col("n." + ContentStateSchema.ITEM_ID))
                    .and(col("n_dt").equalTo(date_add(col("s." + ContentStateSchema.DT), 1))))
            .where(col(EXPOSURE_NEXT).gt(0.0));
    Column action =
        greatest(col("n_heated").minus(col(ContentStateSchema.HEATED_EXPOSURE)), lit(0));
    Column engagementNext = greatest(col("n_engagement").minus(col(ENGAGEMENT)), lit(0.0));
    Column[] columns = new Column[STATE_FEATURES.size() + 7];
    columns[0] = col("s." + ContentStateSchema.ITEM_ID).as(ContentStateSchema.ITEM_ID);
    columns[1] = col("s." + ContentStateSchema.DT).as(ContentStateSchema.DT);
    for (int i = 0; i < STATE_FEATURES.size(); i++) {
      columns[i + 2] = col("s." + STATE_FEATURES.get(i)).as(STATE_FEATURES.get(i));
    }
    int at = STATE_FEATURES.size() + 2;
    columns[at] = action.as(ACTION);
    columns[at + 1] = col(EXPOSURE_NEXT);
    columns[at + 2] = engagementNext.as(ENGAGEMENT_NEXT);
    columns[at + 3] = engagementNext.minus(action.multiply(p.heatingCost())).as(REWARD);
    columns[at + 4] =
        engagementNext.divide(col(EXPOSURE_NEXT)).minus(p.heatingCost()).as(VALUE_PER_IMPRESSION);
    return joined.select(columns);
  }

  /**
   * Per item, its clicks in {@code events} ({@link #WINDOW_CLICKS}) and the share of them made by
   * its {@code concentrationTopUsers} most-clicking users ({@link #TOP_USERS_CLICK_SHARE}). Items
   * without clicks have no row.
   *
   * <p>Cost: one aggregation by (item, user), one shuffle by item for the ranking window, one
   * aggregation by item. Precondition: {@code events} follow {@link EventsSchema#SCHEMA},
   * validated; the caller picks the days.
   */
  public static Dataset<Row> clickConcentration(Dataset<Row> events, ColdStartParams p) {
    String userClicks = "_user_clicks";
    String rank = "_rank";
    WindowSpec byItem =
        Window.partitionBy(EventsSchema.ITEM_ID)
            .orderBy(col(userClicks).desc(), col(EventsSchema.USER_ID));
    return events
        .where(col(EventsSchema.CLICKED))
        .groupBy(EventsSchema.ITEM_ID, EventsSchema.USER_ID)
        .agg(count(lit(1)).as(userClicks))
        .withColumn(rank, row_number().over(byItem))
        .groupBy(EventsSchema.ITEM_ID)
        .agg(
            sum(col(userClicks)).as(WINDOW_CLICKS),
            sum(when(col(rank).leq(p.concentrationTopUsers()), col(userClicks)).otherwise(0L))
                .as("_top_clicks"))
        .select(
            col(EventsSchema.ITEM_ID),
            col(WINDOW_CLICKS),
            col("_top_clicks").divide(col(WINDOW_CLICKS)).as(TOP_USERS_CLICK_SHARE));
  }

  /**
   * The fraud assessment of each state row: {@code fraud_penalty} in [0, 1], {@code fraud_zeroed}
   * and {@link #FRAUD_REASON}, with the state's columns and the concentration's joined on.
   *
   * <p>Each signal counts only for an item with at least {@code fraudMinClicks} clicks (lifetime
   * for click inflation, the concentration window's for concentration). A counted signal at or
   * above its threshold zeroes the item (penalty 1, reason naming the signal, its value and the
   * threshold); below, its penalty grows linearly from 0 at its onset to 1 at its threshold, and
   * the item's penalty is the larger of the two.
   *
   * <p>Cost: a join of the states with {@code concentration} on {@code item_id}.
   *
   * @param states rows of {@link #states}
   * @param concentration rows of {@link #clickConcentration}
   */
  public static Dataset<Row> fraud(
      Dataset<Row> states, Dataset<Row> concentration, ColdStartParams p) {
    Column inflation = col(ContentStateSchema.CLICK_INFLATION);
    Column clicks = col(ContentStateSchema.CLICKS);
    Column windowClicks = coalesce(col(WINDOW_CLICKS), lit(0L));
    Column share = coalesce(col(TOP_USERS_CLICK_SHARE), lit(0.0));
    Column inflationCounts = clicks.geq((double) p.fraudMinClicks());
    Column shareCounts = windowClicks.geq(p.fraudMinClicks());
    Column inflationOver = inflationCounts.and(inflation.geq(p.clickInflationThreshold()));
    Column shareOver = shareCounts.and(share.geq(p.concentrationThreshold()));
    Column inflationPenalty =
        when(inflationCounts, ramp(inflation, p.clickInflationOnset(), p.clickInflationThreshold()))
            .otherwise(0.0);
    Column sharePenalty =
        when(shareCounts, ramp(share, p.concentrationOnset(), p.concentrationThreshold()))
            .otherwise(0.0);
    Column zeroed = inflationOver.or(shareOver);
    Column inflationText =
        format_string(
            "click inflation %.2f >= threshold %.2f (%.0f lifetime clicks)",
            inflation, lit(p.clickInflationThreshold()), clicks);
    Column shareText =
        format_string(
            "top %d users made %.2f of the item's %d clicks in the window >= threshold %.2f",
            lit(p.concentrationTopUsers()), share, windowClicks, lit(p.concentrationThreshold()));
    Column penaltyText =
        format_string(
            "fraud penalty %.2f (click inflation %.2f, top-%d click share %.2f)",
            greatest(inflationPenalty, sharePenalty),
            inflation,
            lit(p.concentrationTopUsers()),
            share);
    Column reason =
        when(
                zeroed,
                concat_ws("; ", when(inflationOver, inflationText), when(shareOver, shareText)))
            .when(greatest(inflationPenalty, sharePenalty).gt(0.0), penaltyText);
    return states
        .join(concentration, ContentStateSchema.ITEM_ID, "left")
        .withColumn(
            ColdStartScoresSchema.FRAUD_PENALTY,
            when(zeroed, lit(1.0)).otherwise(greatest(inflationPenalty, sharePenalty)))
        .withColumn(ColdStartScoresSchema.FRAUD_ZEROED, zeroed)
        .withColumn(FRAUD_REASON, reason);
  }

  /**
   * The rows of {@link ColdStartScoresSchema#SCHEMA} from scored states: {@code score = max(0,
   * predicted_value + explorationBonus * uncertainty) * (1 - fraud_penalty)}, 0 when fraud-zeroed;
   * the reason joins the fraud reason and {@link #VALUE_REASON}, null when both are.
   *
   * <p>No shuffle. Precondition: {@code scored} carries the keys, {@code age_days}, {@code
   * predicted_value}, {@code uncertainty}, {@link #VALUE_REASON} and the columns of {@link #fraud}.
   */
  public static Dataset<Row> bids(Dataset<Row> scored, ColdStartParams p) {
    Column bid =
        greatest(
                lit(0.0),
                col(ColdStartScoresSchema.PREDICTED_VALUE)
                    .plus(col(ColdStartScoresSchema.UNCERTAINTY).multiply(p.explorationBonus())))
            .multiply(lit(1.0).minus(col(ColdStartScoresSchema.FRAUD_PENALTY)));
    Column reason =
        concat_ws(
            "; ",
            when(
                    col(ColdStartScoresSchema.FRAUD_ZEROED),
                    concat_ws("", lit("fraud-zeroed: "), col(FRAUD_REASON)))
                .otherwise(col(FRAUD_REASON)),
            col(VALUE_REASON));
    return scored.select(
        col(ColdStartScoresSchema.DT),
        col(ColdStartScoresSchema.ITEM_ID),
        col(ColdStartScoresSchema.CREATOR_ID),
        col(ColdStartScoresSchema.CATEGORY),
        col(ColdStartScoresSchema.AGE_DAYS),
        col(ColdStartScoresSchema.PREDICTED_VALUE),
        col(ColdStartScoresSchema.UNCERTAINTY),
        col(ColdStartScoresSchema.FRAUD_PENALTY),
        when(col(ColdStartScoresSchema.FRAUD_ZEROED), lit(0.0))
            .otherwise(bid)
            .as(ColdStartScoresSchema.SCORE),
        col(ColdStartScoresSchema.FRAUD_ZEROED),
        when(reason.equalTo(""), lit(null).cast(DataTypes.StringType))
            .otherwise(reason)
            .as(ColdStartScoresSchema.REASON));
  }

  /** 0 at or below {@code onset}, 1 at or above {@code threshold}, linear in between. */
  private static Column ramp(Column value, double onset, double threshold) {
    return least(lit(1.0), greatest(lit(0.0), value.minus(onset).divide(threshold - onset)));
  }

  private static Column asDouble(String column) {
    return col(column).cast(DataTypes.DoubleType).as(column);
  }
}
