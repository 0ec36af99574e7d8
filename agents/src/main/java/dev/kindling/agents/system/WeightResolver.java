package dev.kindling.agents.system;

import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides the business weights of one allocation: the configured ones, the KPI-gap controller's, or
 * an outside source's held near the controller's. Whatever the source, the weights are finite,
 * normalised and within [min weight, max weight].
 *
 * <p>Outside answers are clamped per weight to within {@code maxDeviation} of the controller's,
 * then normalised and clamped to the bounds (so after normalisation a weight may sit up to a few
 * hundredths further away). Any failure of the outside source (HTTP error, timeout, an answer that
 * is not the strict JSON schema, out-of-range numbers) gives the controller's weights and a logged,
 * recorded reason.
 *
 * @param minWeight lower bound of every weight
 * @param maxWeight upper bound of every weight
 * @param maxDeviation how far an outside weight may move from the controller's, in [0, 1]
 */
public record WeightResolver(double minWeight, double maxWeight, double maxDeviation) {

  /** The weights are the configured ones. */
  public static final String SOURCE_CONFIG = "config";

  /** The weights are the KPI-gap controller's. */
  public static final String SOURCE_CONTROLLER = "controller";

  /** The weights are the outside source's, clamped near the controller's. */
  public static final String SOURCE_OUTSIDE = "outside";

  private static final Logger LOG = LoggerFactory.getLogger(WeightResolver.class);

  /** Checks the bounds and the deviation. */
  public WeightResolver {
    BusinessWeights.normalised(1, 1, 1).clamp(minWeight, maxWeight);
    if (!(maxDeviation >= 0 && maxDeviation <= 1)) {
      throw new IllegalArgumentException("maxDeviation must be in [0, 1], got " + maxDeviation);
    }
  }

  /**
   * The weights for {@code source}: {@code configured} for {@link #SOURCE_CONFIG}, {@code
   * controllerWeights} for {@link #SOURCE_CONTROLLER}, and for {@link #SOURCE_OUTSIDE} the outside
   * source's answer held near {@code controllerWeights}, or those on failure.
   */
  public WeightDecision resolve(
      String source,
      BusinessWeights configured,
      BusinessWeights controllerWeights,
      Optional<OutsideWeightSource> outside,
      Kpis kpis) {
    Objects.requireNonNull(configured, "configured");
    Objects.requireNonNull(controllerWeights, "controllerWeights");
    switch (source) {
      case SOURCE_CONFIG:
        return new WeightDecision(configured.clamp(minWeight, maxWeight), SOURCE_CONFIG, null);
      case SOURCE_CONTROLLER:
        return new WeightDecision(
            controllerWeights.clamp(minWeight, maxWeight), SOURCE_CONTROLLER, null);
      case SOURCE_OUTSIDE:
        return fromOutside(controllerWeights.clamp(minWeight, maxWeight), outside, kpis);
      default:
        throw new IllegalArgumentException("unknown weight source '" + source + "'");
    }
  }

  private WeightDecision fromOutside(
      BusinessWeights controllerWeights, Optional<OutsideWeightSource> outside, Kpis kpis) {
    String reason;
    if (outside.isEmpty()) {
      reason = "no outside weight source is configured";
    } else {
      try {
        BusinessWeights proposed = outside.get().propose(kpis, controllerWeights);
        BusinessWeights held = holdNear(proposed, controllerWeights);
        LOG.info("Outside weights {} held near the controller's as {}", proposed, held);
        return new WeightDecision(held, SOURCE_OUTSIDE, null);
      } catch (WeightSourceException e) {
        reason = e.getMessage();
      } catch (RuntimeException e) {
        reason = "the outside weight source failed: " + e;
      }
    }
    LOG.warn("Outside weights not used, falling back to the controller's: {}", reason);
    return new WeightDecision(controllerWeights, SOURCE_CONTROLLER, reason);
  }

  private BusinessWeights holdNear(BusinessWeights proposed, BusinessWeights anchor) {
    double[] p = proposed.toArray();
    double[] a = anchor.toArray();
    for (int i = 0; i < p.length; i++) {
      p[i] = Math.max(a[i] - maxDeviation, Math.min(a[i] + maxDeviation, p[i]));
      p[i] = Math.max(0, p[i]);
    }
    return BusinessWeights.normalised(p[0], p[1], p[2]).clamp(minWeight, maxWeight);
  }
}
