package dev.kindling.features.ope;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * IPS, SNIPS, DM and DR estimates of a target policy's value from logged rows, each with a
 * Poisson-bootstrap percentile interval, computed in one pass over the rows.
 *
 * <p>Input: one row per logged decision with the columns {@link #REWARD} {@code r}, {@link
 * #LOGGED_PROPENSITY} {@code p} (the probability that the logging policy took the logged action, in
 * (0, 1]) and {@link #TARGET_PROBABILITY} {@code pi} (the probability that the target policy takes
 * the logged action in the row's context, in [0, 1]); for DM and DR also {@link #REWARD_HAT} {@code
 * q(x, a)}, the reward model's prediction for the logged action, and {@link #TARGET_REWARD_HAT}
 * {@code q_pi(x) = sum_a pi(a|x) q(x, a)}, its expectation under the target policy (see {@link
 * CrossFittedRewardModel}). Formulas in {@link OffPolicyEstimator}.
 *
 * <p>The interval is the Poisson bootstrap (Hanley and MacGibbon 2006; Chamandy et al., "Estimating
 * Uncertainty for Massive Data Streams", Google 2012): each replicate gives every row an
 * independent Poisson(1) weight {@code k}, which approximates multinomial resampling without a
 * shuffle, so all replicates accumulate in the same single pass as the point estimate; the interval
 * is the {@code (1 - level)/2} and {@code (1 + level)/2} quantiles of the replicates' estimates.
 * When the rows carry a unique {@link #ROW_ID}, each row's weights come from a generator seeded
 * with the seed and its identifier, so the interval is reproducible whatever the partitioning and
 * row order (inputs that come out of a shuffle, such as {@link CrossFittedRewardModel}'s, arrive in
 * a different order each run); without it each partition draws its weights in sequence from a
 * generator seeded with the seed and the partition index, reproducible only for the same
 * partitioning and order. The bootstrap resamples rows with the reward-model columns held fixed:
 * DM's interval therefore shows only the spread of {@code q_pi(x)} over contexts and leaves out the
 * reward model's own estimation error and bias, so it is far too narrow to judge DM's accuracy by;
 * DR's interval is dominated by its correction term and is affected far less (refitting the model
 * per replicate would cover both, at {@code replicates} times the cost of a fit).
 *
 * <p>Cost: one Spark job, no shuffle; {@code O(rows * replicates)} Poisson draws on the executors
 * and {@code 6 * (replicates + 1)} doubles per partition sent to the driver through a tree reduce.
 * Invalid rows (null or non-finite values, {@code p} outside (0, 1], {@code pi} outside [0, 1]) are
 * counted in the same pass and reported by an {@link IllegalArgumentException} that quotes the
 * first one.
 */
public final class OffPolicyEstimators {

  /**
   * Optional column of a unique row identifier (long); when present, each row's bootstrap weights
   * depend on it and the seed only.
   */
  public static final String ROW_ID = "row_id";

  /** Column of the logged reward {@code r}. */
  public static final String REWARD = "reward";

  /** Column of the logging policy's probability {@code p} of the logged action. */
  public static final String LOGGED_PROPENSITY = "logged_propensity";

  /** Column of the target policy's probability {@code pi(a|x)} of the logged action. */
  public static final String TARGET_PROBABILITY = "target_probability";

  /** Column of the reward model's prediction {@code q(x, a)} for the logged action. */
  public static final String REWARD_HAT = "reward_hat";

  /** Column of {@code sum_a pi(a|x) q(x, a)}, the model's expected reward under the target. */
  public static final String TARGET_REWARD_HAT = "target_reward_hat";

  /** Sums kept per replicate: n, sum w, sum w^2, sum w r, sum q_pi, sum DR term. */
  private static final int STRIDE = 6;

  private static final int N = 0;
  private static final int SUM_W = 1;
  private static final int SUM_W2 = 2;
  private static final int SUM_WR = 3;
  private static final int SUM_DM = 4;
  private static final int SUM_DR = 5;

  /** SplitMix64's golden gamma, to spread a partition index or row identifier over 64 bits. */
  private static final long SEED_MIX = 0x9E3779B97F4A7C15L;

  private OffPolicyEstimators() {}

  /**
   * The requested estimators' estimates with their bootstrap intervals, in the enum's order.
   *
   * @throws IllegalArgumentException if a needed column is missing, there are no rows, or a row
   *     holds an invalid value
   */
  public static Map<OffPolicyEstimator, OpeEstimate> estimate(
      Dataset<Row> logs, Set<OffPolicyEstimator> estimators, BootstrapSpec spec) {
    if (estimators.isEmpty()) {
      throw new IllegalArgumentException(
          "no estimator requested; pass at least one of " + Arrays.toString(values()));
    }
    boolean withModel = estimators.stream().anyMatch(OffPolicyEstimator::needsRewardModel);
    List<String> needed = new ArrayList<>(List.of(REWARD, LOGGED_PROPENSITY, TARGET_PROBABILITY));
    if (withModel) {
      needed.addAll(List.of(REWARD_HAT, TARGET_REWARD_HAT));
    }
    List<String> present = Arrays.asList(logs.columns());
    for (String name : needed) {
      if (!present.contains(name)) {
        throw new IllegalArgumentException(
            "off-policy logs lack the column '"
                + name
                + "' that "
                + estimators
                + " need; columns present: "
                + present
                + "; rename the inputs to "
                + needed
                + (withModel ? " (reward-model columns come from CrossFittedRewardModel)" : ""));
      }
    }
    List<Column> columns = new ArrayList<>();
    needed.forEach(c -> columns.add(col(c).cast("double")));
    boolean keyed = present.contains(ROW_ID);
    if (keyed) {
      columns.add(col(ROW_ID).cast("long"));
    }
    Column[] selected = columns.toArray(new Column[0]);
    int replicates = spec.replicates();
    long seed = spec.seed();
    Sums sums =
        logs.select(selected)
            .javaRDD()
            .mapPartitionsWithIndex(
                (index, rows) ->
                    Collections.singletonList(
                            Sums.of(rows, replicates, seed, index, withModel, keyed))
                        .iterator(),
                false)
            .treeReduce(Sums::merge);
    if (sums.invalidRows > 0) {
      throw new IllegalArgumentException(
          sums.invalidRows
              + " of "
              + sums.rows
              + " off-policy rows are invalid, e.g. "
              + sums.firstInvalid
              + "; each row needs finite values, "
              + LOGGED_PROPENSITY
              + " in (0, 1] (a logged action the logging policy could not take cannot be"
              + " reweighted) and "
              + TARGET_PROBABILITY
              + " in [0, 1]; fix or drop these rows upstream");
    }
    if (sums.rows == 0) {
      throw new IllegalArgumentException(
          "no off-policy rows: an estimate needs at least one logged decision");
    }
    Map<OffPolicyEstimator, OpeEstimate> out = new EnumMap<>(OffPolicyEstimator.class);
    for (OffPolicyEstimator estimator : values()) {
      if (estimators.contains(estimator)) {
        out.put(estimator, summarise(estimator, sums, spec));
      }
    }
    return out;
  }

  /**
   * The probability that a binary decision came out as logged, from the probability that it comes
   * out true: {@code probabilityOfTrue} where {@code taken} is true, {@code 1 - probabilityOfTrue}
   * where it is false, null where either is null.
   *
   * <p>For the exploration decision of the events table, {@code
   * binaryDecisionProbability(col("explore"), col("explore_prob"))} is the {@link
   * #LOGGED_PROPENSITY} and the same with the target policy's exploration probability is the {@link
   * #TARGET_PROBABILITY}. Item-level decisions take the logged {@code propensity} as is.
   */
  public static Column binaryDecisionProbability(Column taken, Column probabilityOfTrue) {
    return when(taken, probabilityOfTrue).otherwise(lit(1.0).minus(probabilityOfTrue));
  }

  private static OffPolicyEstimator[] values() {
    return OffPolicyEstimator.values();
  }

  private static OpeEstimate summarise(
      OffPolicyEstimator estimator, Sums sums, BootstrapSpec spec) {
    double point = value(estimator, sums.acc, 0);
    double[] replicateValues = new double[spec.replicates()];
    int finite = 0;
    for (int b = 1; b <= spec.replicates(); b++) {
      double v = value(estimator, sums.acc, b * STRIDE);
      if (Double.isFinite(v)) {
        replicateValues[finite++] = v;
      }
    }
    double[] sorted = Arrays.copyOf(replicateValues, finite);
    Arrays.sort(sorted);
    double tail = (1.0 - spec.level()) / 2.0;
    double sumW = sums.acc[SUM_W];
    double sumW2 = sums.acc[SUM_W2];
    double ess =
        estimator == OffPolicyEstimator.DM
            ? sums.rows
            : (sumW2 > 0 ? sumW * sumW / sumW2 : 0.0 /* no weight anywhere */);
    return new OpeEstimate(
        estimator,
        point,
        quantile(sorted, tail),
        quantile(sorted, 1.0 - tail),
        spec.replicates(),
        spec.level(),
        sums.rows,
        ess);
  }

  private static double value(OffPolicyEstimator estimator, double[] acc, int offset) {
    double n = acc[offset + N];
    return switch (estimator) {
      case IPS -> acc[offset + SUM_WR] / n;
      case SNIPS -> acc[offset + SUM_WR] / acc[offset + SUM_W];
      case DM -> acc[offset + SUM_DM] / n;
      case DR -> acc[offset + SUM_DR] / n;
    };
  }

  /** The {@code q}-quantile of sorted values, interpolating linearly between order statistics. */
  static double quantile(double[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    double h = (sorted.length - 1) * q;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * The seed of one stream of weights: the seed and the stream's key through SplitMix64's
   * finaliser, so streams of neighbouring keys start far apart and do not overlap as shifted copies
   * of one another.
   */
  static long streamSeed(long seed, long key) {
    long z = seed ^ (SEED_MIX * (key + 1));
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** One Poisson(1) draw by Knuth's product-of-uniforms method (mean 1, about 2.7 uniforms). */
  static int poissonOne(SplittableRandom random) {
    double limit = Math.exp(-1.0);
    int k = 0;
    double product = random.nextDouble();
    while (product > limit) {
      k++;
      product *= random.nextDouble();
    }
    return k;
  }

  /** Per-partition sums for the point estimate (slot 0) and every replicate. */
  private static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double[] acc;
    private long rows;
    private long invalidRows;
    private String firstInvalid;

    private Sums(int replicates) {
      this.acc = new double[(replicates + 1) * STRIDE];
    }

    static Sums of(
        Iterator<Row> rows,
        int replicates,
        long seed,
        int partition,
        boolean withModel,
        boolean keyed) {
      Sums sums = new Sums(replicates);
      int keyIndex = withModel ? 5 : 3;
      SplittableRandom random = new SplittableRandom(streamSeed(seed, partition));
      while (rows.hasNext()) {
        Row row = rows.next();
        sums.rows++;
        String problem =
            keyed && row.isNullAt(keyIndex) ? "a null " + ROW_ID : problem(row, withModel);
        if (problem != null) {
          if (sums.invalidRows++ == 0) {
            sums.firstInvalid = problem + " in row " + row;
          }
          continue;
        }
        double r = row.getDouble(0);
        double w = row.getDouble(2) / row.getDouble(1);
        double dm = withModel ? row.getDouble(4) : 0.0;
        double dr = withModel ? dm + w * (r - row.getDouble(3)) : 0.0;
        sums.add(0, 1, r, w, dm, dr);
        if (keyed) {
          random = new SplittableRandom(streamSeed(seed, row.getLong(keyIndex)));
        }
        for (int b = 1; b <= replicates; b++) {
          int k = poissonOne(random);
          if (k > 0) {
            sums.add(b * STRIDE, k, r, w, dm, dr);
          }
        }
      }
      return sums;
    }

    private void add(int offset, double k, double r, double w, double dm, double dr) {
      acc[offset + N] += k;
      acc[offset + SUM_W] += k * w;
      acc[offset + SUM_W2] += k * w * w;
      acc[offset + SUM_WR] += k * w * r;
      acc[offset + SUM_DM] += k * dm;
      acc[offset + SUM_DR] += k * dr;
    }

    private static String problem(Row row, boolean withModel) {
      int width = withModel ? 5 : 3;
      for (int i = 0; i < width; i++) {
        if (row.isNullAt(i) || !Double.isFinite(row.getDouble(i))) {
          return "a null or non-finite value";
        }
      }
      double p = row.getDouble(1);
      if (!(p > 0.0 && p <= 1.0)) {
        return LOGGED_PROPENSITY + " " + p + " outside (0, 1]";
      }
      double pi = row.getDouble(2);
      if (!(pi >= 0.0 && pi <= 1.0)) {
        return TARGET_PROBABILITY + " " + pi + " outside [0, 1]";
      }
      return null;
    }

    static Sums merge(Sums a, Sums b) {
      for (int i = 0; i < a.acc.length; i++) {
        a.acc[i] += b.acc[i];
      }
      if (a.invalidRows == 0) {
        a.firstInvalid = b.firstInvalid;
      }
      a.rows += b.rows;
      a.invalidRows += b.invalidRows;
      return a;
    }
  }
}
