package dev.kindling.features.state;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.UserMindStateSchema;
import dev.kindling.features.schema.UsersSchema;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * The per-user mind state of {@link UserMindStateSchema}: one row per user active on the run date,
 * each feature defined on its column constant there.
 */
public final class UserMindState {

  /** Outcome of an impression that was completed, shared or led to a purchase. */
  public static final double ENGAGED_OUTCOME = 1.0;

  /** Outcome of an impression that was not clicked. */
  public static final double NOT_CLICKED_OUTCOME = 0.0;

  private static final long SECONDS_PER_DAY = 86_400L;

  // Working columns; none survives into the output.
  private static final String IS_TODAY = "_is_today";
  private static final String ACTIVE_TODAY = "_active_today";
  private static final String RECENCY = "_recency";
  private static final String CLICK_RECENCY = "_click_recency";
  private static final String PREVIOUS_CATEGORY = "_previous_category";
  private static final String PREVIOUS_IS_TODAY = "_previous_is_today";
  private static final String OUTCOME = "_outcome";
  private static final String FATIGUE_TERM = "_fatigue_term";
  private static final String SATISFACTION_TERM = "_satisfaction_term";
  private static final String CATEGORY_IMPRESSIONS = "_category_impressions";
  private static final String CATEGORY_CLICKS_TODAY = "_category_clicks_today";
  private static final String CATEGORY_WINDOW_CLICKS = "_category_window_clicks";
  private static final String CATEGORY_EARLIER_CLICKS = "_category_earlier_clicks";
  private static final String RECENT_CLICKS = "_recent_clicks";
  private static final String WINDOW_CLICKS = "_window_clicks";
  private static final String NOVEL_CLICKS = "_novel_clicks";
  private static final String FATIGUE_SUM = "_fatigue_sum";
  private static final String SATISFACTION_SUM = "_satisfaction_sum";
  private static final String WINDOW_ACTIVE_DAYS = "_window_active_days";
  private static final String CLICK_COUNTS = "_click_counts";
  private static final String CARRIED = "_carried";
  private static final String CARRIED_DT = "_carried_dt";
  private static final String CARRIED_FATIGUE = "_carried_fatigue";
  private static final String CARRIED_SATISFACTION = "_carried_satisfaction";
  private static final String CARRIED_CURIOSITY = "_carried_curiosity";
  private static final String CARRIED_DAYS_ACTIVE = "_carried_days_active";

  private UserMindState() {}

  /**
   * The mind state after {@code runDate} of every user with at least one impression on it.
   *
   * <p>Costs: one shuffle by {@code user_id} of the run date's impressions and the earlier window
   * days' clicks only (then one sort that all its window functions share; the two aggregations that
   * follow reuse that partitioning), one partially aggregated shuffle of the window's {@code
   * (user_id, dt)} pairs for the active days, one shuffle of the carried states and one of {@code
   * users}, all by {@code user_id}; joins {@code items} on {@code item_id}, broadcast when its
   * projection is under {@code spark.sql.autoBroadcastJoinThreshold}, otherwise one more shuffle of
   * the events. Memory per user: the distinct categories of the window and at most {@code
   * recentSequenceLength} clicks per category.
   *
   * <p>Preconditions: {@code events} follow {@link EventsSchema#SCHEMA}, are validated (unique
   * {@code event_id}, {@code dt} the UTC date of {@code ts}, every {@code item_id} in {@code
   * items}) and cover the window {@code [runDate - windowDays + 1, runDate]}; rows outside it are
   * ignored. {@code items} and {@code users} follow their schemas ({@code users} may carry more
   * columns). {@code previousUserState} follows {@link UserMindStateSchema#SCHEMA} and may be
   * empty; only its rows dated in {@code [runDate - lookbackDays, runDate - 1]} count, the latest
   * per user.
   *
   * @return rows of {@link UserMindStateSchema#SCHEMA}, one per active user, {@code dt = runDate}
   */
  public static Dataset<Row> compute(
      Dataset<Row> events,
      Dataset<Row> items,
      Dataset<Row> users,
      Dataset<Row> previousUserState,
      LocalDate runDate,
      FeatureParams p) {
    Column runDt = lit(Date.valueOf(runDate));
    Dataset<Row> perCategory = perUserCategory(events, items, runDate, p);
    Dataset<Row> perUser = perUser(perCategory, p);
    Dataset<Row> carried = latestCarriedState(previousUserState, runDate, p);
    Dataset<Row> signups =
        users.select(
            col(UsersSchema.USER_ID),
            lit(runDate.toEpochDay())
                .minus(
                    floor(
                        col(UsersSchema.SIGNUP_TS)
                            .cast(DataTypes.LongType)
                            .divide(SECONDS_PER_DAY)))
                .cast(DataTypes.IntegerType)
                .as(UserMindStateSchema.DAYS_SINCE_SIGNUP));

    Dataset<Row> joined =
        perUser
            .join(carried, UserMindStateSchema.USER_ID, "left")
            .join(signups, UserMindStateSchema.USER_ID, "left")
            .join(windowActiveDays(events, runDate, p), UserMindStateSchema.USER_ID, "left");

    Column impressions = col(UserMindStateSchema.IMPRESSIONS);
    Column fatigueStart =
        coalesce(
            col(CARRIED_FATIGUE)
                .multiply(pow(lit(p.fatigueRecovery()), datediff(runDt, col(CARRIED_DT)))),
            lit(0.0));
    Column satisfactionStart = coalesce(col(CARRIED_SATISFACTION), lit(p.satisfactionPrior()));
    Column curiosityStart = coalesce(col(CARRIED_CURIOSITY), lit(p.curiosityPrior()));
    Column novelty =
        coalesce(
            col(NOVEL_CLICKS)
                .plus(curiosityStart.multiply(p.noveltyPriorStrength()))
                .divide(col(UserMindStateSchema.CLICKS).plus(p.noveltyPriorStrength())),
            curiosityStart);
    Column daysSinceSignup = col(UserMindStateSchema.DAYS_SINCE_SIGNUP);

    return joined.select(
        col(UserMindStateSchema.USER_ID),
        runDt.as(UserMindStateSchema.DT),
        impressions,
        col(UserMindStateSchema.CLICKS),
        col(UserMindStateSchema.EXPLOITATION_SCORE),
        lit(1.0 - p.curiosityRate())
            .multiply(curiosityStart)
            .plus(novelty.multiply(p.curiosityRate()))
            .as(UserMindStateSchema.CURIOSITY),
        closedFormEwma(p.fatigueRate(), impressions, fatigueStart, col(FATIGUE_SUM))
            .as(UserMindStateSchema.FATIGUE),
        closedFormEwma(p.satisfactionRate(), impressions, satisfactionStart, col(SATISFACTION_SUM))
            .as(UserMindStateSchema.SATISFACTION),
        col(UserMindStateSchema.INTEREST_BREADTH),
        col(UserMindStateSchema.INTEREST_ENTROPY),
        col(UserMindStateSchema.CATEGORY_AFFINITY),
        col(UserMindStateSchema.RECENT_ITEMS),
        col(UserMindStateSchema.RECENT_CATEGORIES),
        coalesce(col(CARRIED_DAYS_ACTIVE).plus(1), col(WINDOW_ACTIVE_DAYS))
            .cast(DataTypes.IntegerType)
            .as(UserMindStateSchema.DAYS_ACTIVE),
        daysSinceSignup,
        coalesce(daysSinceSignup.lt(p.protectionDays()), lit(false))
            .as(UserMindStateSchema.IN_PROTECTION_PERIOD));
  }

  /**
   * {@code (1-a)^n * start + terms}, the closed form of an EWMA of rate {@code a} over {@code n}
   * steps whose per-step terms {@code a (1-a)^(n-t) x_t} are already summed.
   */
  private static Column closedFormEwma(double rate, Column steps, Column start, Column terms) {
    return pow(lit(1.0 - rate), steps).multiply(start).plus(coalesce(terms, lit(0.0)));
  }

  /**
   * Window events of users active on the run date, aggregated per (user, category), with the
   * per-impression EWMA terms of the run date already summed.
   */
  private static Dataset<Row> perUserCategory(
      Dataset<Row> events, Dataset<Row> items, LocalDate runDate, FeatureParams p) {
    Column runDt = lit(Date.valueOf(runDate));
    Column windowStart = lit(Date.valueOf(runDate.minusDays(p.windowDays() - 1L)));
    Column clicked = col(EventsSchema.CLICKED);
    Column engaged =
        coalesce(col(EventsSchema.COMPLETED), lit(false))
            .or(coalesce(col(EventsSchema.SHARED), lit(false)))
            .or(coalesce(col(EventsSchema.PURCHASE_AMOUNT), lit(0.0)).gt(0.0));
    Column outcome =
        when(engaged, ENGAGED_OUTCOME)
            .when(clicked, p.clickOnlySatisfaction())
            .otherwise(NOT_CLICKED_OUTCOME);

    Dataset<Row> windowEvents =
        events
            .where(col(EventsSchema.DT).geq(windowStart).and(col(EventsSchema.DT).leq(runDt)))
            // Earlier days matter only through their clicks: dropping their other impressions
            // here keeps the sort below to the run date's impressions plus the window's clicks.
            .where(col(EventsSchema.DT).equalTo(runDt).or(clicked))
            .select(
                col(EventsSchema.USER_ID),
                col(EventsSchema.ITEM_ID),
                col(EventsSchema.EVENT_ID),
                col(EventsSchema.TS),
                col(EventsSchema.DT),
                clicked,
                outcome.as(OUTCOME),
                col(EventsSchema.DT).equalTo(runDt).as(IS_TODAY))
            .join(items.select(ItemsSchema.ITEM_ID, ItemsSchema.CATEGORY), EventsSchema.ITEM_ID);

    // Newest first: the run date's impressions are the first rows of each user, so the row
    // number minus 1 of one of them is n - t, the number of the run date's impressions after it.
    WindowSpec newestFirst =
        Window.partitionBy(EventsSchema.USER_ID)
            .orderBy(col(EventsSchema.TS).desc(), col(EventsSchema.EVENT_ID).desc());
    WindowSpec wholeUser =
        newestFirst.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    WindowSpec newerOrSame =
        newestFirst.rowsBetween(Window.unboundedPreceding(), Window.currentRow());

    Column isToday = col(IS_TODAY);
    Column stepsAfter = col(RECENCY).minus(1);
    Column repeatsCategory =
        isToday
            .and(coalesce(col(PREVIOUS_IS_TODAY), lit(false)))
            .and(col(ItemsSchema.CATEGORY).equalTo(col(PREVIOUS_CATEGORY)));
    Column fatigueTerm =
        when(
                repeatsCategory,
                lit(p.fatigueRate()).multiply(pow(lit(1.0 - p.fatigueRate()), stepsAfter)))
            .otherwise(0.0);
    Column satisfactionTerm =
        when(
                isToday,
                lit(p.satisfactionRate())
                    .multiply(pow(lit(1.0 - p.satisfactionRate()), stepsAfter))
                    .multiply(col(OUTCOME)))
            .otherwise(0.0);
    Column isRecentClick = clicked.and(col(CLICK_RECENCY).leq(p.recentSequenceLength()));

    return windowEvents
        .withColumn(ACTIVE_TODAY, max(isToday).over(wholeUser))
        .withColumn(RECENCY, row_number().over(newestFirst))
        .withColumn(CLICK_RECENCY, sum(when(clicked, 1).otherwise(0)).over(newerOrSame))
        .withColumn(PREVIOUS_CATEGORY, lead(col(ItemsSchema.CATEGORY), 1).over(newestFirst))
        .withColumn(PREVIOUS_IS_TODAY, lead(isToday, 1).over(newestFirst))
        .where(col(ACTIVE_TODAY))
        .groupBy(EventsSchema.USER_ID, ItemsSchema.CATEGORY)
        .agg(
            count(when(isToday, 1)).as(CATEGORY_IMPRESSIONS),
            count(when(isToday.and(clicked), 1)).as(CATEGORY_CLICKS_TODAY),
            count(when(clicked, 1)).as(CATEGORY_WINDOW_CLICKS),
            count(when(clicked.and(not(isToday)), 1)).as(CATEGORY_EARLIER_CLICKS),
            sum(fatigueTerm).as(FATIGUE_TERM),
            sum(satisfactionTerm).as(SATISFACTION_TERM),
            collect_list(
                    when(
                        isRecentClick,
                        struct(
                            col(CLICK_RECENCY),
                            col(EventsSchema.ITEM_ID),
                            col(ItemsSchema.CATEGORY))))
                .as(RECENT_CLICKS));
  }

  /** Per-(user, category) rows folded into one row per user, window features computed. */
  private static Dataset<Row> perUser(Dataset<Row> perCategory, FeatureParams p) {
    Column categoryClicks = col(CATEGORY_WINDOW_CLICKS);
    Dataset<Row> folded =
        perCategory
            .groupBy(EventsSchema.USER_ID)
            .agg(
                coalesce(sum(col(CATEGORY_IMPRESSIONS)), lit(0L))
                    .as(UserMindStateSchema.IMPRESSIONS),
                coalesce(sum(col(CATEGORY_CLICKS_TODAY)), lit(0L)).as(UserMindStateSchema.CLICKS),
                coalesce(sum(categoryClicks), lit(0L)).as(WINDOW_CLICKS),
                coalesce(
                        sum(
                            when(
                                    col(CATEGORY_EARLIER_CLICKS).equalTo(0),
                                    col(CATEGORY_CLICKS_TODAY))
                                .otherwise(0L)),
                        lit(0L))
                    .as(NOVEL_CLICKS),
                sum(col(FATIGUE_TERM)).as(FATIGUE_SUM),
                sum(col(SATISFACTION_TERM)).as(SATISFACTION_SUM),
                map_from_entries(
                        collect_list(
                            when(
                                categoryClicks.gt(0),
                                struct(col(ItemsSchema.CATEGORY), categoryClicks))))
                    .as(CLICK_COUNTS),
                array_sort(flatten(collect_list(col(RECENT_CLICKS)))).as(RECENT_CLICKS))
            .where(col(UserMindStateSchema.IMPRESSIONS).gt(0));

    Column affinity = col(UserMindStateSchema.CATEGORY_AFFINITY);
    return folded
        .withColumn(
            UserMindStateSchema.CATEGORY_AFFINITY,
            expr(
                "transform_values("
                    + CLICK_COUNTS
                    + ", (category, clicks) -> coalesce(clicks / "
                    + WINDOW_CLICKS
                    + ", 0D))"))
        .select(
            col("*"),
            coalesce(
                    expr(
                        "aggregate(slice(sort_array(map_values("
                            + UserMindStateSchema.CATEGORY_AFFINITY
                            + "), false), 1, "
                            + p.exploitationTopCategories()
                            + "), 0D, (total, share) -> total + share)"),
                    lit(0.0))
                .as(UserMindStateSchema.EXPLOITATION_SCORE),
            size(affinity).as(UserMindStateSchema.INTEREST_BREADTH),
            coalesce(
                    expr(
                        "aggregate(map_values("
                            + UserMindStateSchema.CATEGORY_AFFINITY
                            + "), 0D, (total, share) -> total - share * log2(share))"),
                    lit(0.0))
                .as(UserMindStateSchema.INTEREST_ENTROPY),
            expr("transform(" + RECENT_CLICKS + ", click -> click." + EventsSchema.ITEM_ID + ")")
                .as(UserMindStateSchema.RECENT_ITEMS),
            expr("transform(" + RECENT_CLICKS + ", click -> click." + ItemsSchema.CATEGORY + ")")
                .as(UserMindStateSchema.RECENT_CATEGORIES));
  }

  /**
   * Distinct days with at least one impression in the window, per user. Cost: one aggregation of
   * the window's {@code (user_id, dt)} pairs (partial aggregation before its shuffle).
   */
  private static Dataset<Row> windowActiveDays(
      Dataset<Row> events, LocalDate runDate, FeatureParams p) {
    Column dt = col(EventsSchema.DT);
    return events
        .where(
            dt.geq(lit(Date.valueOf(runDate.minusDays(p.windowDays() - 1L))))
                .and(dt.leq(lit(Date.valueOf(runDate)))))
        .groupBy(EventsSchema.USER_ID)
        .agg(countDistinct(dt).as(WINDOW_ACTIVE_DAYS));
  }

  /** Each user's latest state dated in {@code [runDate - lookbackDays, runDate - 1]}. */
  private static Dataset<Row> latestCarriedState(
      Dataset<Row> previousUserState, LocalDate runDate, FeatureParams p) {
    Column dt = col(UserMindStateSchema.DT);
    return previousUserState
        .where(
            dt.geq(lit(Date.valueOf(runDate.minusDays(p.lookbackDays()))))
                .and(dt.lt(lit(Date.valueOf(runDate)))))
        .groupBy(UserMindStateSchema.USER_ID)
        .agg(
            max_by(
                    struct(
                        dt.as(CARRIED_DT),
                        col(UserMindStateSchema.FATIGUE).as(CARRIED_FATIGUE),
                        col(UserMindStateSchema.SATISFACTION).as(CARRIED_SATISFACTION),
                        col(UserMindStateSchema.CURIOSITY).as(CARRIED_CURIOSITY),
                        col(UserMindStateSchema.DAYS_ACTIVE).as(CARRIED_DAYS_ACTIVE)),
                    dt)
                .as(CARRIED))
        .select(
            Arrays.stream(
                    new String[] {
                      UserMindStateSchema.USER_ID,
                      CARRIED + "." + CARRIED_DT,
                      CARRIED + "." + CARRIED_FATIGUE,
                      CARRIED + "." + CARRIED_SATISFACTION,
                      CARRIED + "." + CARRIED_CURIOSITY,
                      CARRIED + "." + CARRIED_DAYS_ACTIVE
                    })
                .map(name -> col(name))
                .toArray(Column[]::new));
  }
}
