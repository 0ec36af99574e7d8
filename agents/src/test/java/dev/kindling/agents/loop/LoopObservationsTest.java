package dev.kindling.agents.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import dev.kindling.agents.sim.RequestContext;
import dev.kindling.agents.sim.Scenario;
import dev.kindling.agents.sim.ServedRequest;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.replay.ReplayParams;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's observations against values worked out by hand from the replay's definitions. */
class LoopObservationsTest {

  private static final List<String> SCENARIOS = List.of("feed", "search", "detail");
  private static final double CURIOSITY_PRIOR = 0.3;
  private static final double SATISFACTION_PRIOR = 0.6;
  private static final float EPS = 1e-6f;

  private static final LoopObservations OBSERVATIONS =
      new LoopObservations(
          ReplayParams.builder()
              .scenarios(SCENARIOS)
              .curiosityPrior(CURIOSITY_PRIOR)
              .satisfactionPrior(SATISFACTION_PRIOR)
              .build());

  private static final StartOfDayState STATE =
      new StartOfDayState(0.25, 0.4, 0.1, 0.7, 3, 1.5, 4, true);

  private static final float[] WEIGHTS_0 = {0.1f, 0.2f, 0.3f, 0.1f, 0.2f, 0.1f};
  private static final float[] WEIGHTS_1 = {0.5f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
  private static final float[] WEIGHTS_2 = {0.2f, 0.2f, 0.2f, 0.2f, 0.1f, 0.1f};

  /** Feed at 06:00:00.9 (the second counts, not the milliseconds): primary category 2. */
  private static final ServedRequest FIRST =
      served(
          Scenario.FEED,
          Instant.parse("2024-01-08T06:00:00.900Z"),
          new int[] {2, 2, 5},
          new boolean[] {false, true, false},
          WEIGHTS_0,
          0.05);

  /** Detail at 18:00, nothing clicked: primary category 2 (slot 0). */
  private static final ServedRequest SECOND =
      served(
          Scenario.DETAIL,
          Instant.parse("2024-01-08T18:00:00Z"),
          new int[] {2, 7},
          new boolean[] {false, false},
          WEIGHTS_1,
          0.25);

  /** Search at 20:00, slot 2 clicked: primary category 5. */
  private static final ServedRequest THIRD =
      served(
          Scenario.SEARCH,
          Instant.parse("2024-01-08T20:00:00Z"),
          new int[] {5, 5, 5, 1},
          new boolean[] {false, false, true, false},
          WEIGHTS_2,
          0.5);

  /** A served request whose slot k showed item "item-k", 150 ms apart, nothing completed. */
  private static ServedRequest served(
      Scenario scenario,
      Instant ts,
      int[] categories,
      boolean[] clicked,
      float[] weights,
      double exploreProb) {
    String[] items = new String[categories.length];
    long[] millis = new long[categories.length];
    for (int k = 0; k < items.length; k++) {
      items[k] = "item-" + k;
      millis[k] = ts.toEpochMilli() + 150L * k;
    }
    return new ServedRequest(
        scenario,
        ts,
        categories,
        clicked,
        weights,
        exploreProb,
        items,
        new boolean[categories.length],
        millis);
  }

  private static RequestContext request(Scenario scenario, String ts, List<ServedRequest> earlier) {
    return new RequestContext(
        scenario,
        "u00000001",
        10,
        List.of(),
        new float[20],
        0,
        earlier.size(),
        "r2024-01-08-u00000001-" + earlier.size(),
        Instant.parse(ts),
        earlier);
  }

  private static float value(float[] obs, String feature) {
    return obs[OBSERVATIONS.featureNames().indexOf(feature)];
  }

  @Test
  void theLayoutIsTheReplaysFeatureOrder() {
    assertThat(OBSERVATIONS.featureNames())
        .as("the loop lays features out as the replay does")
        .isEqualTo(ObservationSpec.featureNames(SCENARIOS));
  }

  @Test
  void aUserWithoutStateOnTheFirstRequestGetsThePriorsAndAnEmptyDay() {
    float[] obs =
        OBSERVATIONS.observation(null, request(Scenario.FEED, "2024-01-08T06:00:00Z", List.of()));
    float[] expected = {
      0f,
      0f,
      0.3f,
      0f,
      0.6f,
      0f,
      0f,
      0f,
      0f, // no state: has_state 0, the priors, 0 elsewhere
      0f,
      0f,
      0f,
      0f,
      0f,
      0f, // nothing earlier today
      1f,
      0f,
      0f, // feed
      1f,
      0f // 06:00 is a quarter of the day: sin 1, cos 0
    };
    assertThat(obs)
        .as("has_state 0, curiosity and satisfaction priors, the feed one-hot, 06:00")
        .containsExactly(expected, offset(EPS));
  }

  @Test
  void theDaySoFarCountsTheEarlierRequestsOnly() {
    float[] obs =
        OBSERVATIONS.observation(
            STATE, request(Scenario.DETAIL, "2024-01-08T12:00:00Z", List.of(FIRST, SECOND, THIRD)));
    float[] expected = {
      1f,
      0.25f,
      0.4f,
      0.1f,
      0.7f,
      3f,
      1.5f,
      (float) Math.log(5),
      1f, // the state, ln(1 + 4) days
      3f, // three earlier requests
      9f, // 3 + 2 + 4 impressions
      2f, // one click in the first, one in the third
      2f / 9f,
      4f, // categories 2, 5, 7, 1
      1f, // the third's primary category 5 differs from the second's 2: a run of one
      0f,
      0f,
      1f, // detail
      0f,
      -1f // noon
    };
    assertThat(obs)
        .as("start-of-day state, the three earlier requests, detail, noon")
        .containsExactly(expected, offset(EPS));
  }

  @Test
  void theRecentStepsAreEachEarlierRequestsObservationWeightsAndExploreProbability() {
    float[][] steps =
        OBSERVATIONS.recentSteps(
            STATE, request(Scenario.DETAIL, "2024-01-08T21:00:00Z", List.of(FIRST, SECOND, THIRD)));
    int obsLength = OBSERVATIONS.length();
    assertThat(steps).as("one step per earlier request").hasNumberOfRows(3);
    assertThat(steps[0]).as("obs, 6 weights, explore prob").hasSize(obsLength + 6 + 1);

    float[] second = Arrays.copyOf(steps[1], obsLength);
    assertThat(value(second, ObservationSpec.STEPS_SO_FAR)).isEqualTo(1f);
    assertThat(value(second, ObservationSpec.IMPRESSIONS_SO_FAR))
        .as("the second request saw the first's three impressions")
        .isEqualTo(3f);
    assertThat(value(second, ObservationSpec.CLICK_RATE_SO_FAR)).isCloseTo(1f / 3f, offset(EPS));
    assertThat(value(second, ObservationSpec.CATEGORIES_SEEN_SO_FAR)).isEqualTo(2f);
    assertThat(value(second, ObservationSpec.SAME_CATEGORY_RUN)).isEqualTo(1f);
    assertThat(value(second, ObservationSpec.scenarioFeature("detail"))).isEqualTo(1f);
    assertThat(value(second, ObservationSpec.HOUR_SIN))
        .as("18:00: three quarters of the day")
        .isCloseTo(-1f, offset(EPS));

    float[] third = Arrays.copyOf(steps[2], obsLength);
    assertThat(value(third, ObservationSpec.SAME_CATEGORY_RUN))
        .as("the first two requests share primary category 2: a run of two")
        .isEqualTo(2f);
    assertThat(value(third, ObservationSpec.scenarioFeature("search"))).isEqualTo(1f);

    assertThat(Arrays.copyOfRange(steps[1], obsLength, obsLength + 6))
        .as("the weights the second request was served with")
        .containsExactly(WEIGHTS_1);
    assertThat(steps[1][obsLength + 6]).as("its exploration probability").isEqualTo(0.25f);
    assertThat(Arrays.copyOf(steps[0], obsLength))
        .as("the first step's observation is the day's first observation")
        .containsExactly(
            OBSERVATIONS.observation(
                STATE, request(Scenario.FEED, "2024-01-08T06:00:00.900Z", List.of())));
  }

  @Test
  void theHeatingRequestProbabilitySpendsTheQuotasWithinTheCap() {
    assertThat(QuotaHeatingPolicy.requestProbability(500, 1_000, 10_000, 0.2))
        .as("500 heated impressions over 1000 feed requests: half of them carry one")
        .isEqualTo(0.5);
    assertThat(QuotaHeatingPolicy.requestProbability(5_000, 1_000, 2_000, 0.2))
        .as("the cap: at most 20% of 2000 impressions, 400 over 1000 feed requests")
        .isCloseTo(0.4, offset(1e-12));
    assertThat(QuotaHeatingPolicy.requestProbability(50_000, 1_000, 1_000_000, 0.2))
        .as("never every request")
        .isEqualTo(QuotaHeatingPolicy.MAX_REQUEST_PROBABILITY);
    assertThat(QuotaHeatingPolicy.requestProbability(500, 0, 0, 0.2))
        .as("no feed traffic, no heating")
        .isZero();
  }
}
