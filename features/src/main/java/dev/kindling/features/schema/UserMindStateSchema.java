package dev.kindling.features.schema;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code user_mind_state} Delta table: one row per user active on the run date D (at least one
 * impression on D), the user's mind state after D. Partitioned by {@code dt}. "The window" is the
 * trailing {@code windowDays} days of events ending with D; "the carried state" is the user's
 * latest row dated within {@code lookbackDays} before D, if any. Rates, priors and lengths are the
 * fields of {@code FeatureParams}.
 */
public final class UserMindStateSchema {

  public static final String USER_ID = "user_id";

  /** Partition: the run date D whose events produced this state. */
  public static final String DT = "dt";

  /** Impressions the user received on D. */
  public static final String IMPRESSIONS = "impressions";

  /** Impressions the user clicked on D. */
  public static final String CLICKS = "clicks";

  /**
   * Share of the user's window clicks that went to the user's {@code exploitationTopCategories}
   * most-clicked categories of the window; 0 when the user has no window clicks.
   */
  public static final String EXPLOITATION_SCORE = "exploitation_score";

  /**
   * Per-day EWMA of novelty: {@code c = (1 - curiosityRate) * c0 + curiosityRate * v}, where {@code
   * c0} is the carried curiosity ({@code curiosityPrior} without carried state) and {@code v =
   * (novel + noveltyPriorStrength * c0) / (clicks + noveltyPriorStrength)}; a click on D is novel
   * when its category had no click by the user on an earlier day of the window. A day without
   * clicks leaves curiosity unchanged.
   */
  public static final String CURIOSITY = "curiosity";

  /**
   * EWMA over D's impressions in time order (ties by {@code event_id}) of {@code x_t = 1} when the
   * impression's category equals that of the user's previous impression on D, else 0 (the first
   * impression of D has {@code x = 0}): {@code f_n = (1-a)^n f_0 + sum_t a (1-a)^(n-t) x_t} with
   * {@code a = fatigueRate}, {@code n} = D's impressions, and {@code f_0} = the carried fatigue
   * times {@code fatigueRecovery^(D - carried dt)} (0 without carried state). In [0, 1].
   */
  public static final String FATIGUE = "fatigue";

  /**
   * EWMA over D's impressions in time order of the outcome {@code o_t}: 1 when the impression was
   * completed, shared or led to a purchase (amount above 0), else {@code clickOnlySatisfaction}
   * when clicked, else 0; {@code s_n = (1-b)^n s_0 + sum_t b (1-b)^(n-t) o_t} with {@code b =
   * satisfactionRate} and {@code s_0} = the carried satisfaction ({@code satisfactionPrior} without
   * carried state). In [0, 1].
   */
  public static final String SATISFACTION = "satisfaction";

  /** Number of distinct categories the user clicked in the window. */
  public static final String INTEREST_BREADTH = "interest_breadth";

  /**
   * Shannon entropy in bits, {@code -sum_c p_c log2 p_c}, of {@link #CATEGORY_AFFINITY}; 0 when the
   * user has no window clicks.
   */
  public static final String INTEREST_ENTROPY = "interest_entropy";

  /**
   * Category to share of the user's window clicks on it, over categories with at least one click;
   * the values sum to 1; an empty map when the user has no window clicks.
   */
  public static final String CATEGORY_AFFINITY = "category_affinity";

  /**
   * Item ids of the user's last {@code recentSequenceLength} clicks in the window, newest first
   * (ties by {@code event_id}, descending); one entry per click, so an item clicked twice appears
   * twice.
   */
  public static final String RECENT_ITEMS = "recent_items";

  /** Categories of {@link #RECENT_ITEMS}, position by position. */
  public static final String RECENT_CATEGORIES = "recent_categories";

  /**
   * Distinct days the user was active: the carried value plus 1; without carried state, the
   * distinct days with at least one impression in the window.
   */
  public static final String DAYS_ACTIVE = "days_active";

  /**
   * D minus the UTC date of the user's {@code signup_ts}, in days (0 on the sign-up day); null when
   * the user is missing from the user directory.
   */
  public static final String DAYS_SINCE_SIGNUP = "days_since_signup";

  /**
   * {@code days_since_signup < protectionDays}: the user gets no exploration; false when {@link
   * #DAYS_SINCE_SIGNUP} is null.
   */
  public static final String IN_PROTECTION_PERIOD = "in_protection_period";

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(USER_ID, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(IMPRESSIONS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(CLICKS, DataTypes.LongType, false /* nullable */),
            DataTypes.createStructField(
                EXPLOITATION_SCORE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(CURIOSITY, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(FATIGUE, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(SATISFACTION, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                INTEREST_BREADTH, DataTypes.IntegerType, false /* nullable */),
            DataTypes.createStructField(
                INTEREST_ENTROPY, DataTypes.DoubleType, false /* nullable */),
            DataTypes.createStructField(
                CATEGORY_AFFINITY,
                DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false),
                false /* nullable */),
            DataTypes.createStructField(
                RECENT_ITEMS,
                DataTypes.createArrayType(DataTypes.StringType, false),
                false /* nullable */),
            DataTypes.createStructField(
                RECENT_CATEGORIES,
                DataTypes.createArrayType(DataTypes.StringType, false),
                false /* nullable */),
            DataTypes.createStructField(DAYS_ACTIVE, DataTypes.IntegerType, false /* nullable */),
            DataTypes.createStructField(
                DAYS_SINCE_SIGNUP, DataTypes.IntegerType, true /* nullable */),
            DataTypes.createStructField(
                IN_PROTECTION_PERIOD, DataTypes.BooleanType, false /* nullable */)
          });

  private UserMindStateSchema() {}
}
