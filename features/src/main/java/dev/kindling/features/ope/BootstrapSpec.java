package dev.kindling.features.ope;

/**
 * How a bootstrap confidence interval is drawn: the number of Poisson-bootstrap replicates, the
 * two-sided coverage level of the percentile interval, and the seed.
 *
 * @param replicates number of bootstrap replicates, at least 2; cost is linear in it
 * @param level coverage of the percentile interval, in (0, 1), e.g. 0.95
 * @param seed seed of the replicates' Poisson weights
 */
public record BootstrapSpec(int replicates, double level, long seed) {

  /** 1,000 replicates at 95% coverage: percentile tails of 25 replicates each. */
  public static final int DEFAULT_REPLICATES = 1000;

  /** Two-sided 95% coverage. */
  public static final double DEFAULT_LEVEL = 0.95;

  /** Validates the fields. */
  public BootstrapSpec {
    if (replicates < 2) {
      throw new IllegalArgumentException(
          "bootstrap replicates must be at least 2 (an interval needs a spread), got "
              + replicates
              + "; use e.g. "
              + DEFAULT_REPLICATES);
    }
    if (!(level > 0.0 && level < 1.0)) {
      throw new IllegalArgumentException(
          "bootstrap level must lie strictly between 0 and 1 (it is a coverage probability), got "
              + level
              + "; use e.g. "
              + DEFAULT_LEVEL);
    }
  }

  /** The default replicates and level with the given seed. */
  public static BootstrapSpec withSeed(long seed) {
    return new BootstrapSpec(DEFAULT_REPLICATES, DEFAULT_LEVEL, seed);
  }
}
