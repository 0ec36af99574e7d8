package dev.kindling.features.schema;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The {@code evaluation} Delta table: every figure the evaluation writes, one row per figure, in a
 * long (tidy) layout so that metrics, off-policy estimates, gate checks and curves share one table
 * and a report or a notebook pivots what it needs. Partitioned by {@code dt} and {@code run}.
 *
 * <p>Writers and what they replace:
 *
 * <ul>
 *   <li>the {@code evaluate} stage, {@code run = 'evaluate'}: for run date D, the observed {@link
 *       #KIND_METRIC} rows of D's logs ({@code policy = 'logging'}), the {@link #KIND_OFF_POLICY}
 *       estimates of the candidate policy, the logging policy and the last published one, and the
 *       {@link #KIND_GATE} rows; a re-run replaces the rows of ({@code dt = D, run = 'evaluate'});
 *   <li>{@code simulate-loop}, {@code run = 'simulate-loop'}: for each simulated day and the loop's
 *       policy and seed, the {@link #KIND_METRIC} rows and the item-exposure Lorenz curve ({@link
 *       #KIND_CURVE}); a re-run replaces the rows of its ({@code dt, run, seed, policy}).
 * </ul>
 *
 * <p>Metric names are the column names of {@link DailyMetricsSchema} (e.g. {@code exposure_gini},
 * {@code new_content_ctr}); a metric whose population is empty is written with a null value, never
 * 0.
 */
public final class EvaluationSchema {

  /** Partition: the day the figure describes (the run date, or the simulated day). */
  public static final String DT = "dt";

  /** Partition: the writer, {@link #RUN_EVALUATE} or {@link #RUN_SIMULATE_LOOP}. */
  public static final String RUN = "run";

  /** The closed loop's seed; null for the evaluate stage. */
  public static final String SEED = "seed";

  /**
   * The policy the figure is about: {@code logging}, {@code candidate} (the policy trained on D),
   * {@code published} (the last published one), or a closed-loop arm ({@code popularity}, {@code
   * epsilon}, {@code kindling}).
   */
  public static final String POLICY = "policy";

  /** What the row is: {@link #KIND_METRIC}, {@link #KIND_OFF_POLICY}, {@link #KIND_GATE}, ... */
  public static final String KIND = "kind";

  /** The figure's name, e.g. {@code exposure_gini}, {@code reward_per_step}, {@code gate}. */
  public static final String METRIC = "metric";

  /**
   * How the value was obtained: {@code observed} for a metric of logs, the estimator ({@code ips},
   * {@code snips}, {@code dm}, {@code dr}, {@code fqe}: fitted-Q evaluation) for an off-policy
   * estimate; null for gate and curve rows.
   */
  public static final String ESTIMATOR = "estimator";

  /** The figure; null when its population is empty. */
  public static final String VALUE = "value";

  /** Lower end of the confidence interval; null without one. */
  public static final String LOWER = "lower";

  /** Upper end of the confidence interval; null without one. */
  public static final String UPPER = "upper";

  /** Rows behind the figure (impressions, steps, items); null when not meaningful. */
  public static final String N = "n";

  /** The point's index along a curve ({@link #KIND_CURVE}); null otherwise. */
  public static final String POINT = "point";

  /** Free text: a gate check's reason, an estimate's caveat; null when nothing to say. */
  public static final String DETAIL = "detail";

  public static final String RUN_EVALUATE = "evaluate";
  public static final String RUN_SIMULATE_LOOP = "simulate-loop";

  /** An observed metric of a day's logs. */
  public static final String KIND_METRIC = "metric";

  /** An off-policy estimate of a policy's value from logs, with its bootstrap interval. */
  public static final String KIND_OFF_POLICY = "off_policy";

  /**
   * A check of the promotion gate ({@code value} 1 passed, 0 failed, {@code detail} why); the row
   * with {@code metric = 'gate'} is the decision publish reads.
   */
  public static final String KIND_GATE = "gate";

  /**
   * One point of a curve: for {@code metric = 'exposure_lorenz'}, {@code point} p in 0..100 and
   * {@code value} the share of the day's impressions held by the p% least-shown catalog items.
   */
  public static final String KIND_CURVE = "curve";

  /** The gate decision's metric name. */
  public static final String GATE = "gate";

  public static final List<String> PARTITION_COLUMNS = List.of(DT, RUN);

  public static final StructType SCHEMA =
      new StructType(
          new StructField[] {
            DataTypes.createStructField(DT, DataTypes.DateType, false /* nullable */),
            DataTypes.createStructField(RUN, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(SEED, DataTypes.LongType, true /* nullable */),
            DataTypes.createStructField(POLICY, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(KIND, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(METRIC, DataTypes.StringType, false /* nullable */),
            DataTypes.createStructField(ESTIMATOR, DataTypes.StringType, true /* nullable */),
            DataTypes.createStructField(VALUE, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(LOWER, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(UPPER, DataTypes.DoubleType, true /* nullable */),
            DataTypes.createStructField(N, DataTypes.LongType, true /* nullable */),
            DataTypes.createStructField(POINT, DataTypes.IntegerType, true /* nullable */),
            DataTypes.createStructField(DETAIL, DataTypes.StringType, true /* nullable */)
          });

  private EvaluationSchema() {}
}
