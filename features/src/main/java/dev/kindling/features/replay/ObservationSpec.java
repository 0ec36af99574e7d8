package dev.kindling.features.replay;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.stddev_pop;

import dev.kindling.features.schema.FeatureSpecSchema;
import dev.kindling.features.schema.ReplaySchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The layout of a replay observation {@code o}: the ordered feature names, and the per-feature
 * statistics (the feature spec) that training and serving normalise with. Four blocks, in order:
 *
 * <ol>
 *   <li>the user's start-of-day state, from the latest {@code user_mind_state} before the run date
 *       ({@link #START_OF_DAY}); a user without one gets {@code has_state = 0}, the curiosity and
 *       satisfaction priors of {@link ReplayParams} and 0 elsewhere;
 *   <li>the day so far ({@link #DAY_SO_FAR}), from the day's earlier steps only, never the current
 *       one; steps left out of the replay for a missing action still count here, since the user
 *       lived them;
 *   <li>the scenario one-hot, {@code scenario_<name>} per {@link ReplayParams#scenarios()} in order
 *       (all 0 for a scenario not listed);
 *   <li>the time of day of the step's first impression, UTC ({@link #TIME_OF_DAY}).
 * </ol>
 */
public final class ObservationSpec {

  /** 1 when the user has a start-of-day state, else 0. */
  public static final String HAS_STATE = "has_state";

  public static final String EXPLOITATION_SCORE = "exploitation_score";
  public static final String CURIOSITY = "curiosity";
  public static final String FATIGUE = "fatigue";
  public static final String SATISFACTION = "satisfaction";
  public static final String INTEREST_BREADTH = "interest_breadth";
  public static final String INTEREST_ENTROPY = "interest_entropy";

  /** {@code ln(1 + days_active)}. */
  public static final String LOG_DAYS_ACTIVE = "log1p_days_active";

  /** 1 when the start-of-day state has {@code in_protection_period} true, else 0. */
  public static final String IN_PROTECTION_PERIOD = "in_protection_period";

  /** Earlier steps (ranking requests) of the day, kept or not. */
  public static final String STEPS_SO_FAR = "steps_so_far";

  /** Impressions of the day's earlier steps. */
  public static final String IMPRESSIONS_SO_FAR = "impressions_so_far";

  /** Clicked impressions of the day's earlier steps. */
  public static final String CLICKS_SO_FAR = "clicks_so_far";

  /** {@code clicks_so_far / impressions_so_far}; 0 before the first impression. */
  public static final String CLICK_RATE_SO_FAR = "click_rate_so_far";

  /** Distinct categories shown in the day's earlier steps. */
  public static final String CATEGORIES_SEEN_SO_FAR = "categories_seen_so_far";

  /**
   * How many consecutive steps, ending with the previous step, share the previous step's primary
   * category (see {@link RewardWeights}); 0 on the first step.
   */
  public static final String SAME_CATEGORY_RUN = "same_category_run";

  /** Prefix of a scenario's one-hot feature. */
  public static final String SCENARIO_PREFIX = "scenario_";

  /** {@code sin(2 pi * seconds since 00:00 UTC / 86400)}. */
  public static final String HOUR_SIN = "hour_sin";

  /** {@code cos(2 pi * seconds since 00:00 UTC / 86400)}. */
  public static final String HOUR_COS = "hour_cos";

  public static final List<String> START_OF_DAY =
      List.of(
          HAS_STATE,
          EXPLOITATION_SCORE,
          CURIOSITY,
          FATIGUE,
          SATISFACTION,
          INTEREST_BREADTH,
          INTEREST_ENTROPY,
          LOG_DAYS_ACTIVE,
          IN_PROTECTION_PERIOD);

  public static final List<String> DAY_SO_FAR =
      List.of(
          STEPS_SO_FAR,
          IMPRESSIONS_SO_FAR,
          CLICKS_SO_FAR,
          CLICK_RATE_SO_FAR,
          CATEGORIES_SEEN_SO_FAR,
          SAME_CATEGORY_RUN);

  public static final List<String> TIME_OF_DAY = List.of(HOUR_SIN, HOUR_COS);

  /** Working column of {@link #statistics}: one feature value of one row. */
  private static final String VALUE = "_value";

  private ObservationSpec() {}

  /** The observation's feature names in order, for these scenarios. */
  public static List<String> featureNames(List<String> scenarios) {
    List<String> names = new ArrayList<>(START_OF_DAY);
    names.addAll(DAY_SO_FAR);
    scenarios.forEach(scenario -> names.add(scenarioFeature(scenario)));
    names.addAll(TIME_OF_DAY);
    return List.copyOf(names);
  }

  /** The length of {@code obs} for these scenarios. */
  public static int length(List<String> scenarios) {
    return START_OF_DAY.size() + DAY_SO_FAR.size() + scenarios.size() + TIME_OF_DAY.size();
  }

  /** The one-hot feature of a scenario. */
  public static String scenarioFeature(String scenario) {
    return SCENARIO_PREFIX + scenario;
  }

  /**
   * The feature spec: mean and population standard deviation of every observation feature over
   * {@code replay}, one row per feature in {@link FeatureSpecSchema#SCHEMA}.
   *
   * <p>Costs: one aggregation of {@code posexplode(obs)} by position, partially aggregated before
   * its shuffle, so only one small row per feature and partition moves. Nothing is collected.
   *
   * <p>Preconditions: {@code replay} has the {@link ReplaySchema#OBS} column laid out as {@code
   * featureNames}, every row the same length; an empty {@code replay} gives an empty spec. A
   * position beyond {@code featureNames} would get an empty name.
   *
   * @param featureNames the observation's names, {@link #featureNames} of the run's scenarios
   */
  public static Dataset<Row> statistics(Dataset<Row> replay, List<String> featureNames) {
    Column names =
        functions.array(featureNames.stream().map(functions::lit).toArray(Column[]::new));
    Column position = col(FeatureSpecSchema.POSITION);
    return replay
        .select(
            posexplode(col(ReplaySchema.OBS)).as(new String[] {FeatureSpecSchema.POSITION, VALUE}))
        .groupBy(position)
        .agg(
            avg(col(VALUE).cast(DataTypes.DoubleType)).as(FeatureSpecSchema.MEAN),
            stddev_pop(col(VALUE).cast(DataTypes.DoubleType)).as(FeatureSpecSchema.STD))
        .select(
            coalesce(element_at(names, position.plus(1)), lit("")).as(FeatureSpecSchema.NAME),
            position.cast(DataTypes.IntegerType).as(FeatureSpecSchema.POSITION),
            coalesce(col(FeatureSpecSchema.MEAN), lit(0.0)).as(FeatureSpecSchema.MEAN),
            coalesce(col(FeatureSpecSchema.STD), lit(0.0)).as(FeatureSpecSchema.STD));
  }
}
