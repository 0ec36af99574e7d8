package dev.kindling.agents.loop;

import dev.kindling.agents.sim.RequestContext;
import dev.kindling.agents.sim.Scenario;
import dev.kindling.agents.sim.ServedRequest;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.replay.ReplayParams;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a request's raw observation and its recent-step history from what the simulator knows,
 * exactly as the replay stage builds a transition's {@code obs} and {@code history} ({@code
 * ReplayTransitions}, laid out by {@link ObservationSpec}): the start-of-day block from the user's
 * state (or {@code has_state = 0} and the priors of {@link ReplayParams}), the day-so-far block
 * from the day's earlier requests, the scenario one-hot, and the time of day of the request's first
 * impression; each value computed in double and rounded to float once, as Spark casts it.
 *
 * <p>Immutable and thread-safe. Cost: an observation is O(earlier requests × slate size); the
 * history rebuilds the observation of every earlier request, O(requests² × slate size) per request,
 * small for sessions of a few dozen requests.
 */
public final class LoopObservations {

  private static final long SECONDS_PER_DAY = 86_400L;
  private static final long MILLIS_PER_SECOND = 1_000L;
  private static final double ANGLE_PER_SECOND = 2 * Math.PI / SECONDS_PER_DAY;
  private static final double ABSENT = 0.0;
  private static final double PRESENT = 1.0;

  private final List<String> featureNames;
  private final List<String> scenarios;
  private final double curiosityPrior;
  private final double satisfactionPrior;

  /** Observations laid out for {@code params}' scenarios, with its priors for stateless users. */
  public LoopObservations(ReplayParams params) {
    this.scenarios = List.copyOf(params.scenarios());
    this.featureNames = ObservationSpec.featureNames(scenarios);
    this.curiosityPrior = params.curiosityPrior();
    this.satisfactionPrior = params.satisfactionPrior();
  }

  /** The observation's feature names, in order. */
  public List<String> featureNames() {
    return featureNames;
  }

  /** The length of an observation. */
  public int length() {
    return featureNames.size();
  }

  /**
   * The raw observation of the request {@code context} describes.
   *
   * @param state the user's start-of-day state, or null for a user without one
   */
  public float[] observation(StartOfDayState state, RequestContext context) {
    return observation(
        state, context.scenario(), context.requestTs(), context.earlierToday(), length(context));
  }

  /**
   * The recent steps of the request {@code context} describes, oldest first, as the replay's {@code
   * history} lays them out: per earlier request of the day its raw observation, its ranking weights
   * and its exploration probability. All earlier requests are returned; the reader keeps the last
   * T.
   *
   * @param state the user's start-of-day state, or null for a user without one
   */
  public float[][] recentSteps(StartOfDayState state, RequestContext context) {
    List<ServedRequest> earlier = context.earlierToday();
    float[][] steps = new float[earlier.size()][];
    for (int k = 0; k < earlier.size(); k++) {
      ServedRequest step = earlier.get(k);
      float[] obs = observation(state, step.scenario(), step.ts(), earlier, k);
      float[] weights = step.weights();
      float[] block = new float[obs.length + weights.length + 1];
      System.arraycopy(obs, 0, block, 0, obs.length);
      System.arraycopy(weights, 0, block, obs.length, weights.length);
      block[block.length - 1] = (float) step.exploreProb();
      steps[k] = block;
    }
    return steps;
  }

  private static int length(RequestContext context) {
    return context.earlierToday().size();
  }

  /** The observation of a request of {@code scenario} at {@code ts} after {@code before} steps. */
  private float[] observation(
      StartOfDayState state, Scenario scenario, Instant ts, List<ServedRequest> day, int before) {
    Map<String, Double> f = new HashMap<>();
    f.put(ObservationSpec.HAS_STATE, state == null ? ABSENT : PRESENT);
    f.put(ObservationSpec.EXPLOITATION_SCORE, state == null ? 0.0 : state.exploitationScore());
    f.put(ObservationSpec.CURIOSITY, state == null ? curiosityPrior : state.curiosity());
    f.put(ObservationSpec.FATIGUE, state == null ? 0.0 : state.fatigue());
    f.put(ObservationSpec.SATISFACTION, state == null ? satisfactionPrior : state.satisfaction());
    f.put(ObservationSpec.INTEREST_BREADTH, state == null ? 0.0 : state.interestBreadth());
    f.put(ObservationSpec.INTEREST_ENTROPY, state == null ? 0.0 : state.interestEntropy());
    f.put(ObservationSpec.LOG_DAYS_ACTIVE, Math.log1p(state == null ? 0.0 : state.daysActive()));
    f.put(
        ObservationSpec.IN_PROTECTION_PERIOD,
        state != null && state.inProtectionPeriod() ? PRESENT : ABSENT);

    long impressions = 0;
    long clicks = 0;
    Set<Integer> categories = new HashSet<>();
    int run = 0;
    int runCategory = -1;
    for (int k = 0; k < before; k++) {
      ServedRequest step = day.get(k);
      impressions += step.impressions();
      clicks += step.clicks();
      for (int p = 0; p < step.impressions(); p++) {
        categories.add(step.category(p));
      }
      int primary = step.primaryCategory();
      run = k > 0 && primary == runCategory ? run + 1 : 1;
      runCategory = primary;
    }
    f.put(ObservationSpec.STEPS_SO_FAR, (double) before);
    f.put(ObservationSpec.IMPRESSIONS_SO_FAR, (double) impressions);
    f.put(ObservationSpec.CLICKS_SO_FAR, (double) clicks);
    f.put(
        ObservationSpec.CLICK_RATE_SO_FAR,
        impressions > 0 ? (double) clicks / (double) impressions : 0.0);
    f.put(ObservationSpec.CATEGORIES_SEEN_SO_FAR, (double) categories.size());
    f.put(ObservationSpec.SAME_CATEGORY_RUN, (double) run);
    for (String name : scenarios) {
      f.put(
          ObservationSpec.scenarioFeature(name),
          name.equals(scenario.logName()) ? PRESENT : ABSENT);
    }
    long second =
        Math.floorMod(Math.floorDiv(ts.toEpochMilli(), MILLIS_PER_SECOND), SECONDS_PER_DAY);
    double angle = second * ANGLE_PER_SECOND;
    f.put(ObservationSpec.HOUR_SIN, Math.sin(angle));
    f.put(ObservationSpec.HOUR_COS, Math.cos(angle));

    float[] obs = new float[featureNames.size()];
    for (int i = 0; i < obs.length; i++) {
      obs[i] = f.get(featureNames.get(i)).floatValue();
    }
    return obs;
  }
}
