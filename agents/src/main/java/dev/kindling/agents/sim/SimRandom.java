package dev.kindling.agents.sim;

import java.util.SplittableRandom;

/** Seed derivation and the few distributions the simulator draws from. Stateless. */
final class SimRandom {

  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final long MIX_MULTIPLIER_1 = 0xBF58476D1CE4E5B9L;
  private static final long MIX_MULTIPLIER_2 = 0x94D049BB133111EBL;
  private static final int MIX_SHIFT_1 = 30;
  private static final int MIX_SHIFT_2 = 27;
  private static final int MIX_SHIFT_3 = 31;
  private static final double ONE_THIRD = 1.0 / 3.0;
  private static final double GAMMA_SQUEEZE = 0.0331;
  private static final int GAMMA_SQUEEZE_POWER = 4;

  private SimRandom() {}

  /** A well-mixed seed from a seed and any number of stream coordinates (day, user, ...). */
  static long derive(long seed, long... coordinates) {
    long h = mix(seed);
    for (long c : coordinates) {
      h = mix(h + GOLDEN_GAMMA + mix(c));
    }
    return h;
  }

  /** A generator for a seed and stream coordinates. */
  static SplittableRandom generator(long seed, long... coordinates) {
    return new SplittableRandom(derive(seed, coordinates));
  }

  /** SplitMix64's finaliser. */
  static long mix(long value) {
    long z = value;
    z = (z ^ (z >>> MIX_SHIFT_1)) * MIX_MULTIPLIER_1;
    z = (z ^ (z >>> MIX_SHIFT_2)) * MIX_MULTIPLIER_2;
    return z ^ (z >>> MIX_SHIFT_3);
  }

  /** A Dirichlet(alpha, ..., alpha) draw of the given dimension. */
  static double[] dirichlet(SplittableRandom rng, int dimension, double alpha) {
    double[] draw = new double[dimension];
    double total = 0;
    for (int i = 0; i < dimension; i++) {
      draw[i] = gamma(rng, alpha);
      total += draw[i];
    }
    if (total <= 0) {
      draw[rng.nextInt(dimension)] = 1.0;
      return draw;
    }
    for (int i = 0; i < dimension; i++) {
      draw[i] /= total;
    }
    return draw;
  }

  /** A Gamma(shape, 1) draw (Marsaglia and Tsang, boosted below shape 1). */
  static double gamma(SplittableRandom rng, double shape) {
    if (shape < 1) {
      double u = rng.nextDouble();
      return gamma(rng, shape + 1) * Math.pow(u, 1.0 / shape);
    }
    double d = shape - ONE_THIRD;
    double c = 1.0 / Math.sqrt(9 * d);
    while (true) {
      double x = rng.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = rng.nextDouble();
      if (u < 1 - GAMMA_SQUEEZE * Math.pow(x, GAMMA_SQUEEZE_POWER)
          || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return d * v;
      }
    }
  }

  /** A normal draw clamped to [0, 1]. */
  static double clampedNormal(SplittableRandom rng, double mean, double sd) {
    return clamp01(mean + sd * rng.nextGaussian());
  }

  static double clamp01(double value) {
    return Math.max(0.0, Math.min(1.0, value));
  }

  static double clamp(double value, double min, double max) {
    return Math.max(min, Math.min(max, value));
  }

  static double sigmoid(double logit) {
    return 1.0 / (1.0 + Math.exp(-logit));
  }

  /** Index of the first cumulative weight strictly above {@code u * total}. */
  static int drawCumulative(double[] cumulative, double u) {
    double target = u * cumulative[cumulative.length - 1];
    int lo = 0;
    int hi = cumulative.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > target) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
