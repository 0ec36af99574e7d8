package dev.kindling.agents.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link QuotaAllocator}'s invariants over seeded random inputs (item counts, scores, creators,
 * budgets, traffic, floors, creator caps, fraud flags, weights), and a few worked cases.
 */
class QuotaAllocatorTest {

  private static final int SEEDS = 2000;
  private static final int MAX_ITEMS = 300;

  @Test
  void invariantsHoldOverSeededRandomInputs() {
    int floorsMetWhenAffordable = 0;
    int budgetShortCases = 0;
    for (long seed = 1; seed <= SEEDS; seed++) {
      Random random = new Random(seed);
      List<Candidate> candidates = randomCandidates(random);
      AllocationParams params = randomParams(random, candidates.size());
      Allocation allocation = QuotaAllocator.allocate(candidates, params);
      String at = "seed " + seed;

      assertThat(allocation.items())
          .as("%s: one decision per candidate", at)
          .hasSize(candidates.size());
      long total = 0;
      Map<String, Long> perCreator = new HashMap<>();
      Map<String, Integer> eligiblePerCreator = new HashMap<>();
      int eligible = 0;
      int floored = 0;
      boolean anyScore = false;
      boolean floorMissedByBudget = false;
      for (int i = 0; i < candidates.size(); i++) {
        Candidate c = candidates.get(i);
        ItemQuota q = allocation.items().get(i);
        assertThat(q.itemId()).as("%s: same order", at).isEqualTo(c.itemId());
        assertThat(q.floorQuota()).as("%s: floor >= 0", at).isNotNegative();
        assertThat(q.scoreQuota()).as("%s: score quota >= 0", at).isNotNegative();
        assertThat(q.floorQuota())
            .as("%s: a floor is whole or nothing", at)
            .isIn(0L, params.floorQuota());
        total += q.quota();
        perCreator.merge(c.creatorId(), q.quota(), Long::sum);
        if (c.fraudZeroed() || !c.eligible()) {
          assertThat(q.quota()).as("%s: fraud-zeroed or ineligible item gets nothing", at).isZero();
          assertThat(q.reason())
              .as("%s: reason of a set-aside item", at)
              .isEqualTo(
                  c.fraudZeroed()
                      ? QuotaAllocator.REASON_FRAUD_ZEROED
                      : QuotaAllocator.REASON_NOT_ELIGIBLE);
        } else {
          eligible++;
          eligiblePerCreator.merge(c.creatorId(), 1, Integer::sum);
          if (params.floorQuota() > 0 && q.floorQuota() == params.floorQuota()) {
            floored++;
          }
          anyScore |= q.scoreQuota() > 0;
          floorMissedByBudget |=
              QuotaAllocator.REASON_BUDGET_EXHAUSTED.equals(q.reason())
                  && q.quota() == 0
                  && params.floorQuota() > 0;
        }
      }
      assertThat(total)
          .as("%s: total within the budget pool", at)
          .isLessThanOrEqualTo(params.budgetPool());
      assertThat(total)
          .as("%s: total within the heating cap x traffic", at)
          .isLessThanOrEqualTo((long) Math.floor(params.heatingCap() * params.forecastTraffic()));
      assertThat(total).as("%s: granted figure", at).isEqualTo(allocation.granted());
      long creatorCap = params.creatorCap();
      perCreator.forEach(
          (creator, sum) ->
              assertThat(sum)
                  .as("%s: creator %s within the creator cap", at, creator)
                  .isLessThanOrEqualTo(creatorCap));

      int maxPerCreator = eligiblePerCreator.values().stream().mapToInt(x -> x).max().orElse(0);
      boolean affordable =
          params.pool() >= params.floorQuota() * eligible
              && creatorCap >= params.floorQuota() * maxPerCreator;
      if (affordable && params.floorQuota() > 0) {
        assertThat(floored)
            .as("%s: every eligible item gets the floor when affordable", at)
            .isEqualTo(eligible);
        floorsMetWhenAffordable++;
      }
      if (floorMissedByBudget) {
        budgetShortCases++;
        assertThat(anyScore).as("%s: nobody gets more while a floor is missing", at).isFalse();
        assertThat(params.pool() - allocation.floorGranted())
            .as("%s: floors stop only when the pool holds less than one more", at)
            .isLessThan(params.floorQuota());
      }
    }
    assertThat(floorsMetWhenAffordable)
        .as("cases where floors were affordable")
        .isGreaterThan(SEEDS / 10);
    assertThat(budgetShortCases)
        .as("cases where the budget fell short of the floors")
        .isGreaterThan(SEEDS / 10);
  }

  @Test
  void floorsGoByScoreWhenTheBudgetIsShortAndTheRestByPriority() {
    BusinessWeights byScore = BusinessWeights.normalised(0.5, 0.5, 0);
    List<Candidate> items =
        List.of(
            new Candidate("a", "c1", 0.1, false, true),
            new Candidate("b", "c2", 0.9, false, true),
            new Candidate("c", "c3", 0.5, false, true),
            new Candidate("d", "c4", 5.0, true, true));
    // pool = min(250, 0.2 x 1000) = 200: two floors of 100, by score: b then c.
    Allocation short_ =
        QuotaAllocator.allocate(items, new AllocationParams(250, 0.2, 1000, 100, 1.0, 0, byScore));
    assertThat(short_.items().stream().map(ItemQuota::quota).toList())
        .as("floors by score order until the pool is out; fraud gets nothing")
        .containsExactly(0L, 100L, 100L, 0L);
    assertThat(short_.items().get(0).reason()).as("a's reason").isEqualTo("budget_exhausted");
    assertThat(short_.items().get(3).reason()).as("d's reason").isEqualTo("fraud_zeroed");

    // pool = 1000 - 300 of floors = 700 by score 0.1 : 0.9 : 0.5.
    Allocation rich =
        QuotaAllocator.allocate(items, new AllocationParams(1000, 1.0, 5000, 100, 1.0, 0, byScore));
    assertThat(rich.granted()).as("the whole pool is granted").isEqualTo(1000);
    assertThat(rich.items().get(1).scoreQuota())
        .as("b's share is 0.9/1.5 of 700")
        .isBetween(419L, 421L);
    assertThat(rich.items().get(1).reason()).as("b's reason").isEqualTo("floor_and_score");

    // Retention weight 1: an even spread whatever the scores.
    Allocation even =
        QuotaAllocator.allocate(
            items,
            new AllocationParams(1000, 1.0, 5000, 100, 1.0, 0, new BusinessWeights(0, 0, 1)));
    assertThat(even.items().subList(0, 3).stream().map(ItemQuota::quota).toList())
        .as("retention weight 1 spreads the pool evenly")
        .allSatisfy(q -> assertThat(q).isBetween(333L, 334L));
  }

  @Test
  void creatorCapStopsOneCreatorTakingThePool() {
    List<Candidate> items = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      items.add(new Candidate("big" + i, "big", 10, false, true));
    }
    items.add(new Candidate("small", "small", 0.01, false, true));
    Allocation allocation =
        QuotaAllocator.allocate(
            items,
            new AllocationParams(
                10_000, 1.0, 10_000, 10, 0.3, 0, BusinessWeights.normalised(1, 1, 0)));
    long big =
        allocation.items().stream()
            .filter(q -> q.creatorId().equals("big"))
            .mapToLong(ItemQuota::quota)
            .sum();
    assertThat(big).as("the big creator stops at 30% of the pool").isEqualTo(3000);
    assertThat(allocation.items().get(10).quota())
        .as("the small creator gets the rest (the cap binds only per creator)")
        .isEqualTo(3000);
    assertThat(allocation.items().get(0).reason())
        .as("reason of a capped item")
        .isEqualTo("creator_cap");
  }

  @Test
  void equalScoresRankByItemIdAndBadInputIsRejected() {
    BusinessWeights weights = BusinessWeights.normalised(1, 1, 0);
    List<Candidate> tied = new ArrayList<>();
    for (String id : List.of("e", "b", "d", "a", "c")) {
      tied.add(new Candidate(id, "creator-" + id, 0.5, false, true));
    }
    Allocation allocation =
        QuotaAllocator.allocate(tied, new AllocationParams(20, 1.0, 100, 10, 1.0, 0, weights));
    assertThat(allocation.items().stream().filter(q -> q.quota() > 0).map(ItemQuota::itemId))
        .as("with room for two floors among equal scores, the smallest ids get them")
        .containsExactly("b", "a");

    AllocationParams params = new AllocationParams(100, 1.0, 100, 10, 1.0, 0, weights);
    assertThatThrownBy(
            () ->
                QuotaAllocator.allocate(
                    List.of(
                        new Candidate("x", "c", 1, false, true),
                        new Candidate("x", "d", 2, true, true)),
                    params))
        .as("an item id that repeats")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item x repeats");
    assertThatThrownBy(
            () ->
                QuotaAllocator.allocate(
                    List.of(new Candidate("y", "c", Double.NaN, false, true)), params))
        .as("an eligible score that is not finite")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item y has score NaN");
    assertThat(
            QuotaAllocator.allocate(
                    List.of(new Candidate("z", "c", Double.NaN, true, true)), params)
                .items()
                .get(0)
                .reason())
        .as("a fraud-zeroed item's score does not matter")
        .isEqualTo(QuotaAllocator.REASON_FRAUD_ZEROED);
  }

  private static List<Candidate> randomCandidates(Random random) {
    int n = random.nextInt(MAX_ITEMS + 1);
    int creators = 1 + random.nextInt(Math.max(1, n / (1 + random.nextInt(10))));
    double fraudRate = random.nextDouble() * 0.3;
    List<Candidate> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      boolean fraud = random.nextDouble() < fraudRate;
      double score =
          random.nextInt(10) == 0 ? 0 : random.nextDouble() * (random.nextBoolean() ? 1 : 100);
      out.add(
          new Candidate(
              "item-" + i,
              "creator-" + random.nextInt(creators),
              fraud ? 0 : score,
              fraud,
              random.nextInt(20) != 0));
    }
    return out;
  }

  private static AllocationParams randomParams(Random random, int items) {
    long floor = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(50);
    long traffic =
        (long) (random.nextDouble() * 20 * floor * Math.max(1, items)) + random.nextInt(100);
    long budget =
        (long) (random.nextDouble() * 1.5 * floor * Math.max(1, items)) + random.nextInt(100);
    double cap = random.nextInt(5) == 0 ? 0.2 : random.nextDouble();
    double creatorShare = 0.01 + random.nextDouble() * 0.99;
    long creatorAbsolute = random.nextBoolean() ? 0 : random.nextInt(5000);
    BusinessWeights weights =
        BusinessWeights.normalised(
            random.nextDouble(), random.nextDouble(), random.nextDouble() + 1e-3);
    return new AllocationParams(
        budget, cap, traffic, floor, creatorShare, creatorAbsolute, weights);
  }
}
