package dev.kindling.agents.system;

/**
 * The day's figures the KPI-gap controller steers by, measured on the run date's impressions.
 *
 * @param impressions impressions of the day; 0 means no figures (the controller then holds still)
 * @param newContentShare share of the impressions whose item was younger than the new-content age
 *     (72 h by default) when shown, in [0, 1]; NaN when there were no impressions
 * @param ctr clicks per impression, in [0, 1]; NaN when there were no impressions
 */
public record Kpis(long impressions, double newContentShare, double ctr) {

  /** Checks the figures: shares in [0, 1] when there are impressions. */
  public Kpis {
    if (impressions < 0) {
      throw new IllegalArgumentException("impressions must be >= 0, got " + impressions);
    }
    if (impressions > 0 && !(inUnit(newContentShare) && inUnit(ctr))) {
      throw new IllegalArgumentException(
          "KPI shares must be in [0, 1], got new-content share "
              + newContentShare
              + " and CTR "
              + ctr);
    }
  }

  /** No impressions: nothing to steer by. */
  public static Kpis none() {
    return new Kpis(0, Double.NaN, Double.NaN);
  }

  private static boolean inUnit(double x) {
    return x >= 0 && x <= 1;
  }
}
