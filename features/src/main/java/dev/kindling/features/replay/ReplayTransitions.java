package dev.kindling.features.replay;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.cos;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.map_keys;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.min_by;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sin;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.when;

import dev.kindling.features.schema.ContentStateSchema;
import dev.kindling.features.schema.EventsSchema;
import dev.kindling.features.schema.ItemsSchema;
import dev.kindling.features.schema.ReplaySchema;
import dev.kindling.features.schema.UserMindStateSchema;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The replay transitions of {@link ReplaySchema}: one row per ranking request of the run date that
 * carries a logged action, each column defined on its constant there, the observation laid out by
 * {@link ObservationSpec} and the reward shaped by {@link RewardWeights}.
 *
 * <p>Steps without a valid action (null, or not {@link ReplayParams#actionLength()} long) are left
 * out of the transitions and counted. They still count in the later steps' "day so far" observation
 * features, since the user lived them; the kept steps are renumbered {@code 0, 1, ...} without
 * gaps, and history, {@code next_*} and {@code done} link kept steps only.
 */
public final class ReplayTransitions {

  /** Seconds in a day, the period of the time-of-day features. */
  private static final long SECONDS_PER_DAY = 86_400L;

  /** MA-RDPG's reward of a step whose slate was clicked but not bought from. */
  public static final double CLICK_REWARD = 1.0;

  /** MA-RDPG's reward of a step whose slate was neither clicked nor bought from. */
  public static final double NO_CLICK_REWARD = -1.0;

  /**
   * The {@code explore_prob} a history block carries for a step whose {@code explore_prob} was not
   * logged: the logging policy is taken not to have explored. Readers of the replay that need a
   * joint action for such a step use the same value, so history and action agree.
   */
  public static final float UNLOGGED_EXPLORE_PROB = 0.0f;

  /** Floats {@code explore_prob} takes in a history block. */
  private static final int EXPLORE_PROB_LENGTH = 1;

  /** Separates {@code user_id} and the date in {@code episode_id}. */
  public static final String EPISODE_SEPARATOR = ":";

  // Working columns; none survives into the output.
  private static final String STEP_TS = "_step_ts";
  private static final String WAS_COLD = "_was_cold";
  private static final String FIRST_SEEN = "_first_seen";
  private static final String FIRST_CLICK = "_first_click";
  private static final String CLICKS = "_clicks";
  private static final String PURCHASE = "_purchase";
  private static final String ENGAGEMENTS = "_engagements";
  private static final String NEW_CONTENT_CLICKS = "_new_content_clicks";
  private static final String NEW_CATEGORIES_SEEN = "_new_categories_seen";
  private static final String FIRST_CLICK_CATEGORIES = "_first_click_categories";
  private static final String SLATE = "_slate";
  private static final String HAS_STATE = "_has_state";
  private static final String AFFINITY_CATEGORIES = "_affinity_categories";
  private static final String STATE = "_state";
  private static final String RAW_INDEX = "_raw_index";
  private static final String PRIMARY_CATEGORY = "_primary_category";
  private static final String PREVIOUS_PRIMARY = "_previous_primary";
  private static final String RUN_START = "_run_start";
  private static final String RUN_LENGTH = "_run_length";
  private static final String REPETITION = "_repetition";
  private static final String DIVERSITY_GAIN = "_diversity_gain";
  private static final String VECTOR = "_vector";

  private ReplayTransitions() {}

  /**
   * The run date's replay transitions and the counts of its steps.
   *
   * <p>Costs: one shuffle of the run date's impressions by {@code user_id} (after joining {@code
   * items} and the coldness of {@code previousContentState} on {@code item_id}, broadcast when
   * small, else one shuffle each); within it, sorts for three impression windows, the per-request
   * aggregation and the per-user step windows, no further shuffle of the impressions. One shuffle
   * of the latest start-of-day state per user. The step counts run one Spark job now (an
   * aggregation down to one row); the transitions are computed again when the caller writes them,
   * so a caller that also counts them persists them first. Memory per user: at most T + 1 step
   * vectors per window frame, and one slate per request.
   *
   * <p>Preconditions: {@code eventsOfDay} follow {@link EventsSchema#SCHEMA} and are validated
   * (unique {@code event_id}, every {@code item_id} in {@code items}); rows of another date than
   * {@code runDate} are ignored. A request's impressions share one user, scenario and action.
   * {@code previousUserState} follows {@link UserMindStateSchema#SCHEMA} and {@code
   * previousContentState} {@code ContentStateSchema.SCHEMA}; either may be empty; per user (item)
   * the latest row dated before {@code runDate} is the start-of-day state (coldness), taken as
   * stored. The design passes the partitions of {@code runDate - 1}.
   *
   * @throws ReplayInputException when the events have no {@code action} column, or the day has
   *     steps and none carries an action
   * @return the transitions (lazy) and the step counts
   */
  public static ReplayTransitionsResult build(
      Dataset<Row> eventsOfDay,
      Dataset<Row> items,
      Dataset<Row> previousUserState,
      Dataset<Row> previousContentState,
      LocalDate runDate,
      ReplayParams p) {
    if (!Arrays.asList(eventsOfDay.columns()).contains(EventsSchema.ACTION)) {
      throw ReplayInputException.absentColumn(EventsSchema.ACTION, runDate);
    }
    Dataset<Row> steps =
        stepsWithObservation(
            eventsOfDay, items, previousUserState, previousContentState, runDate, p);

    Column action = col(ReplaySchema.ACTION);
    Column hasAction = action.isNotNull();
    Column rightLength = size(action).equalTo(p.actionLength());
    Row counts =
        steps
            .agg(
                count(lit(1)),
                count(when(not(hasAction), 1)),
                count(when(hasAction.and(not(rightLength)), 1)))
            .first();
    long total = counts.getLong(0);
    long withoutAction = counts.getLong(1);
    long wrongLength = counts.getLong(2);
    if (total > 0 && withoutAction == total) {
      throw ReplayInputException.noLoggedValues(EventsSchema.ACTION, runDate, total);
    }
    Dataset<Row> transitions = transitions(steps.where(hasAction.and(rightLength)), runDate, p);
    return new ReplayTransitionsResult(transitions, total, withoutAction, wrongLength);
  }

  /**
   * Every step of the day (kept or not), with its slate outcomes, its reward terms and its
   * observation; partitioned by {@code user_id}.
   */
  private static Dataset<Row> stepsWithObservation(
      Dataset<Row> eventsOfDay,
      Dataset<Row> items,
      Dataset<Row> previousUserState,
      Dataset<Row> previousContentState,
      LocalDate runDate,
      ReplayParams p) {
    Column clicked = col(EventsSchema.CLICKED);
    Column category = col(ItemsSchema.CATEGORY);
    Column position = col(EventsSchema.POSITION);
    Column slot = struct(position, col(EventsSchema.EVENT_ID));

    Dataset<Row> impressions =
        eventsOfDay
            .where(col(EventsSchema.DT).equalTo(lit(Date.valueOf(runDate))))
            .select(
                col(EventsSchema.USER_ID),
                col(EventsSchema.REQUEST_ID),
                col(EventsSchema.SCENARIO),
                col(EventsSchema.TS),
                position,
                col(EventsSchema.EVENT_ID),
                col(EventsSchema.ITEM_ID),
                clicked,
                col(EventsSchema.COMPLETED),
                col(EventsSchema.SHARED),
                col(EventsSchema.PURCHASE_AMOUNT),
                col(EventsSchema.EXPLORE),
                col(EventsSchema.EXPLORE_PROB),
                col(EventsSchema.PROPENSITY),
                col(EventsSchema.ACTION))
            .join(items.select(ItemsSchema.ITEM_ID, ItemsSchema.CATEGORY), EventsSchema.ITEM_ID)
            .join(coldness(previousContentState, runDate), EventsSchema.ITEM_ID, "left")
            // Every window and aggregation below is clustered by user_id: one shuffle serves all.
            .repartition(col(EventsSchema.USER_ID));

    WindowSpec inDayOrder =
        Window.partitionBy(EventsSchema.USER_ID, ItemsSchema.CATEGORY)
            .orderBy(
                col(STEP_TS), col(EventsSchema.REQUEST_ID), position, col(EventsSchema.EVENT_ID));
    WindowSpec clicksInDayOrder =
        Window.partitionBy(EventsSchema.USER_ID, ItemsSchema.CATEGORY, EventsSchema.CLICKED)
            .orderBy(
                col(STEP_TS), col(EventsSchema.REQUEST_ID), position, col(EventsSchema.EVENT_ID));
    Column isNew = coalesce(col(WAS_COLD), lit(true));

    Dataset<Row> steps =
        impressions
            .withColumn(
                STEP_TS,
                min(col(EventsSchema.TS))
                    .over(Window.partitionBy(EventsSchema.USER_ID, EventsSchema.REQUEST_ID)))
            .withColumn(FIRST_SEEN, row_number().over(inDayOrder).equalTo(1))
            .withColumn(FIRST_CLICK, clicked.and(row_number().over(clicksInDayOrder).equalTo(1)))
            .groupBy(EventsSchema.USER_ID, EventsSchema.REQUEST_ID)
            .agg(
                nonNull(min(col(EventsSchema.SCENARIO)), lit("")).as(ReplaySchema.AGENT),
                nonNull(min(col(STEP_TS)), lit(new Timestamp(0L))).as(ReplaySchema.TS),
                count(lit(1)).cast(DataTypes.IntegerType).as(ReplaySchema.SLATE_SIZE),
                count(when(clicked, 1)).as(CLICKS),
                nonNull(sum(coalesce(col(EventsSchema.PURCHASE_AMOUNT), lit(0.0))), lit(0.0))
                    .as(PURCHASE),
                count(when(coalesce(col(EventsSchema.COMPLETED), lit(false)), 1))
                    .plus(count(when(coalesce(col(EventsSchema.SHARED), lit(false)), 1)))
                    .as(ENGAGEMENTS),
                count(when(clicked.and(isNew), 1)).as(NEW_CONTENT_CLICKS),
                count(when(col(FIRST_SEEN), 1)).as(NEW_CATEGORIES_SEEN),
                array_sort(collect_list(when(col(FIRST_CLICK), category)))
                    .as(FIRST_CLICK_CATEGORIES),
                array_sort(
                        collect_list(
                            struct(
                                position,
                                col(EventsSchema.EVENT_ID),
                                category,
                                clicked,
                                col(EventsSchema.PROPENSITY))))
                    .as(SLATE),
                firstLogged(col(EventsSchema.ACTION), slot).as(ReplaySchema.ACTION),
                firstLogged(col(EventsSchema.EXPLORE_PROB), slot).as(ReplaySchema.EXPLORE_PROB),
                firstLogged(col(EventsSchema.EXPLORE), slot).as(ReplaySchema.EXPLORE))
            .join(startOfDay(previousUserState, runDate), EventsSchema.USER_ID, "left");

    WindowSpec stepOrder =
        Window.partitionBy(EventsSchema.USER_ID)
            .orderBy(col(ReplaySchema.TS), col(ReplaySchema.REQUEST_ID));
    WindowSpec earlier = stepOrder.rowsBetween(Window.unboundedPreceding(), -1);
    WindowSpec upToNow = stepOrder.rowsBetween(Window.unboundedPreceding(), Window.currentRow());

    Column slate = col(SLATE);
    Column firstClicked = element_at(filter(slate, s -> s.getField(EventsSchema.CLICKED)), 1);
    Column primaryCategory =
        coalesce(
            firstClicked.getField(ItemsSchema.CATEGORY),
            element_at(slate, 1).getField(ItemsSchema.CATEGORY));
    Column previousPrimary = col(PREVIOUS_PRIMARY);
    Column repetition =
        nonNull(
            when(previousPrimary.isNull(), lit(0.0))
                .otherwise(
                    size(filter(
                            slate, s -> s.getField(ItemsSchema.CATEGORY).equalTo(previousPrimary)))
                        .cast(DataTypes.DoubleType)
                        .divide(col(ReplaySchema.SLATE_SIZE))),
            lit(0.0));
    Column affinity =
        coalesce(
            col(AFFINITY_CATEGORIES),
            functions.array().cast(DataTypes.createArrayType(DataTypes.StringType)));
    Column diversityGain =
        size(filter(col(FIRST_CLICK_CATEGORIES), c -> not(array_contains(affinity, c))));

    Dataset<Row> ordered =
        steps
            .withColumn(RAW_INDEX, row_number().over(stepOrder).minus(1))
            .withColumn(PRIMARY_CATEGORY, primaryCategory)
            .withColumn(PREVIOUS_PRIMARY, lag(col(PRIMARY_CATEGORY), 1).over(stepOrder))
            .withColumn(
                RUN_START,
                max(when(
                        previousPrimary
                            .isNull()
                            .or(not(previousPrimary.equalTo(col(PRIMARY_CATEGORY)))),
                        col(RAW_INDEX)))
                    .over(upToNow))
            .withColumn(RUN_LENGTH, col(RAW_INDEX).minus(col(RUN_START)).plus(1))
            .withColumn(REPETITION, repetition)
            .withColumn(DIVERSITY_GAIN, diversityGain)
            .withColumn(
                ObservationSpec.SAME_CATEGORY_RUN,
                coalesce(lag(col(RUN_LENGTH), 1).over(stepOrder), lit(0)))
            .withColumn(
                ObservationSpec.IMPRESSIONS_SO_FAR,
                coalesce(sum(col(ReplaySchema.SLATE_SIZE)).over(earlier), lit(0L)))
            .withColumn(
                ObservationSpec.CLICKS_SO_FAR, coalesce(sum(col(CLICKS)).over(earlier), lit(0L)))
            .withColumn(
                ObservationSpec.CATEGORIES_SEEN_SO_FAR,
                coalesce(sum(col(NEW_CATEGORIES_SEEN)).over(earlier), lit(0L)));

    return ordered.withColumn(ReplaySchema.OBS, observation(p));
  }

  /**
   * {@code value}, typed non-nullable: for an expression Spark types nullable that cannot be null
   * here (an aggregate over a non-empty group of non-null values, a modulus by a positive constant,
   * a column a filter already rid of nulls). {@code unreachable} is never taken.
   */
  private static Column nonNull(Column value, Column unreachable) {
    return coalesce(value, unreachable);
  }

  /**
   * The value of the lowest slot of the request that logged one: the request's value when its
   * impressions agree, a deterministic pick when they do not.
   */
  private static Column firstLogged(Column value, Column slot) {
    return min_by(value, when(value.isNotNull(), slot));
  }

  /** The {@code obs} array in {@link ObservationSpec#featureNames} order, as floats. */
  private static Column observation(ReplayParams p) {
    Column impressionsSoFar = col(ObservationSpec.IMPRESSIONS_SO_FAR);
    Column clicksSoFar = col(ObservationSpec.CLICKS_SO_FAR);
    Column secondOfDay = pmod(col(ReplaySchema.TS).cast(DataTypes.LongType), lit(SECONDS_PER_DAY));
    Column angle = secondOfDay.multiply(2 * Math.PI / SECONDS_PER_DAY);

    Map<String, Column> features = new LinkedHashMap<>();
    features.put(ObservationSpec.HAS_STATE, indicator(coalesce(col(HAS_STATE), lit(false))));
    features.put(
        ObservationSpec.EXPLOITATION_SCORE, stateOr(UserMindStateSchema.EXPLOITATION_SCORE, 0.0));
    features.put(
        ObservationSpec.CURIOSITY, stateOr(UserMindStateSchema.CURIOSITY, p.curiosityPrior()));
    features.put(ObservationSpec.FATIGUE, stateOr(UserMindStateSchema.FATIGUE, 0.0));
    features.put(
        ObservationSpec.SATISFACTION,
        stateOr(UserMindStateSchema.SATISFACTION, p.satisfactionPrior()));
    features.put(
        ObservationSpec.INTEREST_BREADTH, stateOr(UserMindStateSchema.INTEREST_BREADTH, 0.0));
    features.put(
        ObservationSpec.INTEREST_ENTROPY, stateOr(UserMindStateSchema.INTEREST_ENTROPY, 0.0));
    features.put(
        ObservationSpec.LOG_DAYS_ACTIVE, log1p(stateOr(UserMindStateSchema.DAYS_ACTIVE, 0.0)));
    features.put(
        ObservationSpec.IN_PROTECTION_PERIOD,
        indicator(coalesce(col(UserMindStateSchema.IN_PROTECTION_PERIOD), lit(false))));
    features.put(ObservationSpec.STEPS_SO_FAR, col(RAW_INDEX));
    features.put(ObservationSpec.IMPRESSIONS_SO_FAR, impressionsSoFar);
    features.put(ObservationSpec.CLICKS_SO_FAR, clicksSoFar);
    features.put(
        ObservationSpec.CLICK_RATE_SO_FAR,
        when(impressionsSoFar.gt(0), clicksSoFar.divide(impressionsSoFar)).otherwise(lit(0.0)));
    features.put(
        ObservationSpec.CATEGORIES_SEEN_SO_FAR, col(ObservationSpec.CATEGORIES_SEEN_SO_FAR));
    features.put(ObservationSpec.SAME_CATEGORY_RUN, col(ObservationSpec.SAME_CATEGORY_RUN));
    for (String scenario : p.scenarios()) {
      features.put(
          ObservationSpec.scenarioFeature(scenario),
          indicator(col(ReplaySchema.AGENT).equalTo(lit(scenario))));
    }
    features.put(ObservationSpec.HOUR_SIN, sin(angle));
    features.put(ObservationSpec.HOUR_COS, cos(angle));

    List<String> names = ObservationSpec.featureNames(p.scenarios());
    return functions.array(
        names.stream()
            .map(name -> nonNull(features.get(name).cast(DataTypes.FloatType), lit(0.0f)))
            .toArray(Column[]::new));
  }

  /** 1 where {@code condition} holds, else 0 (a non-null condition). */
  private static Column indicator(Column condition) {
    return when(condition, lit(1.0)).otherwise(lit(0.0));
  }

  /** A start-of-day state column as a double, {@code absent} when the user has no state. */
  private static Column stateOr(String column, double absent) {
    return coalesce(col(column).cast(DataTypes.DoubleType), lit(absent));
  }

  /** The kept steps as transitions in {@link ReplaySchema#SCHEMA}. */
  private static Dataset<Row> transitions(Dataset<Row> kept, LocalDate runDate, ReplayParams p) {
    int obsLength = ObservationSpec.length(p.scenarios());
    int historyLength = p.historySteps() * historyBlockLength(p);
    WindowSpec stepOrder =
        Window.partitionBy(ReplaySchema.USER_ID)
            .orderBy(col(ReplaySchema.TS), col(ReplaySchema.REQUEST_ID));
    Column previousSteps =
        collect_list(col(VECTOR)).over(stepOrder.rowsBetween(-p.historySteps(), -1));
    Column lastSteps =
        collect_list(col(VECTOR)).over(stepOrder.rowsBetween(1 - p.historySteps(), 0));

    RewardWeights w = p.rewardWeights();
    Column purchase = col(PURCHASE);
    Column rewardBase =
        when(purchase.gt(0), purchase)
            .when(col(CLICKS).gt(0), lit(CLICK_REWARD))
            .otherwise(lit(NO_CLICK_REWARD));
    Column rewardEngagement = col(ENGAGEMENTS).multiply(w.engagement());
    Column rewardNewContent = col(NEW_CONTENT_CLICKS).multiply(w.newContent());
    Column rewardDiversity = col(DIVERSITY_GAIN).multiply(w.diversity());
    Column rewardFatigue = lit(0.0).minus(col(REPETITION).multiply(w.fatigue()));
    Column nextRequest = lead(col(ReplaySchema.REQUEST_ID), 1).over(stepOrder);

    Column exploreProb =
        coalesce(
            col(ReplaySchema.EXPLORE_PROB).cast(DataTypes.FloatType), lit(UNLOGGED_EXPLORE_PROB));
    return kept.withColumn(
            VECTOR,
            concat(col(ReplaySchema.OBS), col(ReplaySchema.ACTION), functions.array(exploreProb)))
        .select(
            lit(Date.valueOf(runDate)).as(ReplaySchema.DT),
            nonNull(pmod(hash(col(ReplaySchema.USER_ID)), lit(p.buckets())), lit(0))
                .as(ReplaySchema.BUCKET),
            col(ReplaySchema.USER_ID),
            concat(col(ReplaySchema.USER_ID), lit(EPISODE_SEPARATOR + runDate))
                .as(ReplaySchema.EPISODE_ID),
            row_number().over(stepOrder).minus(1).as(ReplaySchema.STEP),
            col(ReplaySchema.REQUEST_ID),
            col(ReplaySchema.AGENT),
            col(ReplaySchema.TS),
            col(ReplaySchema.OBS),
            frontPadded(previousSteps, historyLength).as(ReplaySchema.HISTORY),
            size(previousSteps).as(ReplaySchema.HISTORY_LENGTH),
            nonNull(col(ReplaySchema.ACTION), array_repeat(lit(0.0f), p.actionLength()))
                .as(ReplaySchema.ACTION),
            col(ReplaySchema.EXPLORE_PROB),
            col(ReplaySchema.EXPLORE),
            rewardBase
                .plus(rewardEngagement)
                .plus(rewardNewContent)
                .plus(rewardDiversity)
                .plus(rewardFatigue)
                .as(ReplaySchema.REWARD),
            rewardBase.as(ReplaySchema.REWARD_BASE),
            rewardEngagement.cast(DataTypes.DoubleType).as(ReplaySchema.REWARD_ENGAGEMENT),
            rewardNewContent.cast(DataTypes.DoubleType).as(ReplaySchema.REWARD_NEW_CONTENT),
            rewardDiversity.cast(DataTypes.DoubleType).as(ReplaySchema.REWARD_DIVERSITY),
            rewardFatigue.as(ReplaySchema.REWARD_FATIGUE),
            coalesce(
                    lead(col(ReplaySchema.OBS), 1).over(stepOrder),
                    array_repeat(lit(0.0f), obsLength))
                .as(ReplaySchema.NEXT_OBS),
            frontPadded(lastSteps, historyLength).as(ReplaySchema.NEXT_HISTORY),
            lead(col(ReplaySchema.AGENT), 1).over(stepOrder).as(ReplaySchema.NEXT_AGENT),
            nextRequest.isNull().as(ReplaySchema.DONE),
            transform(col(SLATE), s -> s.getField(EventsSchema.PROPENSITY))
                .as(ReplaySchema.PROPENSITIES),
            col(ReplaySchema.SLATE_SIZE),
            // The encoder's inputs come from the events before each step (EncoderReplay).
            noEncoderInputs(ReplaySchema.ENCODER_RECENT),
            noEncoderInputs(ReplaySchema.ENCODER_STEPS),
            noEncoderInputs(ReplaySchema.ENCODER_OLDER),
            noEncoderInputs(ReplaySchema.NEXT_ENCODER_RECENT),
            noEncoderInputs(ReplaySchema.NEXT_ENCODER_STEPS),
            noEncoderInputs(ReplaySchema.NEXT_ENCODER_OLDER));
  }

  /** A typed null of the encoder column {@code name}. */
  private static Column noEncoderInputs(String name) {
    return lit(null).cast(ReplaySchema.SCHEMA.apply(name).dataType()).as(name);
  }

  /**
   * The length of one step block of {@link ReplaySchema#HISTORY}: the observation, the action
   * weights and the exploration probability.
   */
  public static int historyBlockLength(ReplayParams p) {
    return ObservationSpec.length(p.scenarios()) + p.actionLength() + EXPLORE_PROB_LENGTH;
  }

  /** The step vectors flattened, oldest first, zero-padded at the front to {@code length}. */
  private static Column frontPadded(Column vectors, int length) {
    Column flat = flatten(vectors);
    return concat(array_repeat(lit(0.0f), lit(length).minus(size(flat))), flat);
  }

  /** Per item, {@code is_cold} of its latest content state before the run date. */
  private static Dataset<Row> coldness(Dataset<Row> previousContentState, LocalDate runDate) {
    Column dt = col(ContentStateSchema.DT);
    return previousContentState
        .where(dt.lt(lit(Date.valueOf(runDate))))
        .groupBy(ContentStateSchema.ITEM_ID)
        .agg(max_by(col(ContentStateSchema.IS_COLD), dt).as(WAS_COLD));
  }

  /**
   * Per user, the latest mind state before the run date: the start-of-day columns, a {@code true}
   * presence flag and the categories of {@code category_affinity}.
   */
  private static Dataset<Row> startOfDay(Dataset<Row> previousUserState, LocalDate runDate) {
    Column dt = col(UserMindStateSchema.DT);
    Column state =
        struct(
            lit(true).as(HAS_STATE),
            map_keys(col(UserMindStateSchema.CATEGORY_AFFINITY)).as(AFFINITY_CATEGORIES),
            col(UserMindStateSchema.EXPLOITATION_SCORE),
            col(UserMindStateSchema.CURIOSITY),
            col(UserMindStateSchema.FATIGUE),
            col(UserMindStateSchema.SATISFACTION),
            col(UserMindStateSchema.INTEREST_BREADTH),
            col(UserMindStateSchema.INTEREST_ENTROPY),
            col(UserMindStateSchema.DAYS_ACTIVE),
            col(UserMindStateSchema.IN_PROTECTION_PERIOD));
    return previousUserState
        .where(dt.lt(lit(Date.valueOf(runDate))))
        .groupBy(UserMindStateSchema.USER_ID)
        .agg(max_by(state, dt).as(STATE))
        .select(col(UserMindStateSchema.USER_ID), col(STATE + ".*"));
  }
}
