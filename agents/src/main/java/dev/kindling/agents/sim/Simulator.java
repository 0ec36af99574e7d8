package dev.kindling.agents.sim;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user-behaviour simulator: a seeded world of users, creators and items served day by day by a
 * {@link ServingPolicy} and a {@link HeatingPolicy}, streaming every impression to a sink in the
 * raw log contract. Same config and seed give identical output whatever the thread count.
 *
 * <p>World. Users have latent Dirichlet interests over the categories and a mind state (curiosity,
 * fatigue that rises with runs of one category and recovers overnight, satisfaction as an EWMA of
 * outcomes) that drives clicks, session length and the daily return probability; new users sign up
 * every day. Creators have Zipf popularity; items are published every day with a category, latent
 * quality and attractiveness, and a share is clickbait (clicked, rarely completed).
 *
 * <p>Platform. Each request is ranked by a linear score over {@link RankingFeatures} computed from
 * what the platform observes (clicks, its own counters refreshed nightly, its quality estimate),
 * never from latent truths. A user's day starts in {@code feed}; after a click it moves to {@code
 * detail} of the clicked item's category, sometimes to {@code search} of a category drawn from the
 * user's interests.
 *
 * <p>Propensity. For a request with {@code n} candidates, slate size {@code m = min(k, n)},
 * exploration probability {@code e}, and heating probability {@code H} ({@code H = 0} outside the
 * feed or with an empty pool), the logged propensity of item {@code i} in slot {@code p} is
 *
 * <ul>
 *   <li>organic slot: {@code (1 - H / m) * ((1 - e) * 1[greedy(p) = i] + e / n)}: the slot is not
 *       the heated one with probability {@code 1 - H / m}; a uniformly random ordered sample puts
 *       any candidate in any slot with probability {@code 1 / n};
 *   <li>heated slot: {@code (H / m) * w(i) / sum(w)}: the request is heated with probability {@code
 *       H}, the heated slot is uniform over the {@code m} slots, the item is drawn by heating
 *       weight. Heated items are not feed candidates that day, so the two routes never collide.
 * </ul>
 *
 * Both lie in (0, 1] for every impression the process can produce.
 *
 * <p>Cost: memory grows with users and items, not with impressions; events are produced in waves of
 * {@value #USERS_PER_CHUNK}-user chunks, a few chunks per thread at a time.
 */
public final class Simulator {

  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

  /** How many recent clicks the platform keeps per user (and hands to the serving policy). */
  public static final int RECENT_CLICKS_KEPT = 20;

  /** Users simulated by one task; the unit of parallelism. */
  public static final int USERS_PER_CHUNK = 512;

  private static final int CHUNKS_PER_THREAD_PER_WAVE = 4;

  // Random stream coordinates.
  private static final long STREAM_WORLD = 1;
  private static final long STREAM_DAY = 2;
  private static final long STREAM_HEATING = 3;
  private static final long STREAM_USER_DAY = 4;

  // Time.
  private static final long SECOND_MS = 1_000L;
  private static final long HOUR_MS = 3_600_000L;
  private static final long DAY_MS = 86_400_000L;
  private static final long PUBLISH_WINDOW_MS = HOUR_MS;
  private static final long SIGNUP_WINDOW_MS = HOUR_MS;
  private static final long SESSION_EARLIEST_MS = HOUR_MS;
  private static final long SESSION_START_SPAN_MS = 21 * HOUR_MS;
  private static final long SLOT_GAP_MS = 150L;
  private static final long BROWSE_MS_PER_REQUEST = 4 * SECOND_MS;
  private static final int BROWSE_JITTER_MS = 6_000;
  private static final int INITIAL_ITEM_HISTORY_DAYS = 180;
  private static final int INITIAL_USER_HISTORY_DAYS = 365;

  // Creators and items.
  private static final double CREATOR_PRODUCTION_EXPONENT = 0.5;
  private static final double CREATOR_HOME_CATEGORY_SHARE = 0.8;
  private static final double QUALITY_MEAN = 0.55;
  private static final double QUALITY_SD = 0.18;
  private static final double CLICKBAIT_QUALITY_MEAN = 0.15;
  private static final double CLICKBAIT_QUALITY_SD = 0.08;
  private static final double CLICKBAIT_ATTRACTIVENESS_MEAN = 0.85;
  private static final double CLICKBAIT_ATTRACTIVENESS_SD = 0.08;
  private static final double ATTRACTIVENESS_FROM_QUALITY = 0.5;
  private static final double ATTRACTIVENESS_FROM_FAME = 0.3;
  private static final double ATTRACTIVENESS_BASE = 0.1;
  private static final double ATTRACTIVENESS_SD = 0.1;
  private static final double QUALITY_SCORE_NOISE_SD = 0.2;
  private static final double PRIOR_CLICK_SCALE = 3_000.0;
  private static final double PRIOR_CLICK_LOG_SD = 1.0;

  // Users.
  private static final double CURIOSITY_MIN = 0.05;
  private static final double CURIOSITY_SPAN = 0.45;
  private static final double INITIAL_SATISFACTION = 0.5;
  private static final double RETURN_BASE = 0.3;
  private static final double RETURN_SATISFACTION_GAIN = 0.6;
  private static final double RETURN_MIN = 0.05;
  private static final double RETURN_MAX = 0.95;
  private static final int MAX_REQUESTS_PER_SESSION = 30;
  private static final double CONTINUE_BASE = 0.75;
  private static final double CONTINUE_SATISFACTION_GAIN = 0.3;
  private static final double CONTINUE_FATIGUE_COST = 0.5;
  private static final double CONTINUE_MIN = 0.05;
  private static final double CONTINUE_MAX = 0.95;
  private static final double DETAIL_AFTER_CLICK_PROB = 0.5;
  private static final double SEARCH_PROB = 0.12;

  // Clicks and engagement.
  private static final double POSITION_DECAY = 0.85;
  private static final double CLICK_BIAS = -4.5;
  private static final double CLICK_INTEREST_WEIGHT = 3.0;
  private static final double CLICK_ATTRACTIVENESS_WEIGHT = 2.0;
  private static final double CLICK_CURIOSITY_WEIGHT = 1.5;
  private static final double CLICK_FATIGUE_WEIGHT = 2.0;
  private static final double COMPLETION_BIAS = -0.5;
  private static final double COMPLETION_QUALITY_WEIGHT = 5.0;
  private static final double COMPLETION_INTEREST_WEIGHT = 1.0;
  private static final double COMPLETION_FATIGUE_WEIGHT = 1.0;
  private static final double NEUTRAL_QUALITY = 0.5;
  private static final double MEDIAN_ITEM_LENGTH_MS = 60_000.0;
  private static final double ITEM_LENGTH_LOG_SD = 0.5;
  private static final double PARTIAL_VIEW_MIN = 0.05;
  private static final double PARTIAL_VIEW_SPAN = 0.45;
  private static final double SHARE_RATE_PER_QUALITY = 0.15;
  private static final double PURCHASE_RATE = 0.02;
  private static final double PURCHASE_QUALITY_OFFSET = 0.5;
  private static final double MEDIAN_PURCHASE = 30.0;
  private static final double PURCHASE_LOG_SD = 0.8;
  private static final double CENTS = 100.0;

  // Mind state dynamics.
  private static final double FATIGUE_STEP = 0.015;
  private static final double FATIGUE_RELIEF = 0.05;
  private static final double FATIGUE_OVERNIGHT_KEEP = 0.3;
  private static final double SATISFACTION_RATE = 0.1;
  private static final double OUTCOME_COMPLETED = 1.0;
  private static final double OUTCOME_DISAPPOINTED = 0.0;
  private static final double OUTCOME_NO_CLICK = 0.2;
  private static final double NOVEL_INTEREST_THRESHOLD = 0.3;
  private static final double CURIOSITY_STEP = 0.05;
  private static final double CURIOSITY_OVERNIGHT_REVERSION = 0.1;
  private static final float AFFINITY_DAILY_DECAY = 0.9f;

  // Platform.
  private static final double POPULARITY_DAILY_DECAY = 0.9;
  private static final double QUALITY_PRIOR_STRENGTH = 5.0;
  private static final double FRESHNESS_SCALE_DAYS = 3.0;
  private static final int FRESH_WINDOW_DAYS = 2;
  private static final int FEED_POPULAR_CANDIDATES = 150;
  private static final int FEED_FRESH_CANDIDATES = 30;
  private static final int FEED_AFFINITY_CANDIDATES = 40;
  private static final int CATEGORY_POPULAR_CANDIDATES = 60;
  private static final int CATEGORY_FRESH_CANDIDATES = 10;

  private final SimulatorConfig config;
  private final ServingPolicy servingPolicy;
  private final HeatingPolicy heatingPolicy;

  private final double[] creatorFame;
  private final double[] creatorProductionCumulative;
  private final int[] creatorHomeCategory;

  private final List<SimItem> items = new ArrayList<>();
  private final Map<String, Integer> itemIndexById = new HashMap<>();
  private final List<SimUser> users = new ArrayList<>();
  private final List<UserState> userStates = new ArrayList<>();

  private long[] publishEpochDay = new long[0];
  private long[] impressions = new long[0];
  private long[] clicks = new long[0];
  private long[] completions = new long[0];
  private double[] decayedClicks = new double[0];
  private double[] qualityClicks = new double[0];
  private double[] qualityCompletions = new double[0];

  private LocalDate nextDay;

  /** A world built from {@code config}, served by the given policies; nothing simulated yet. */
  public Simulator(
      SimulatorConfig config, ServingPolicy servingPolicy, HeatingPolicy heatingPolicy) {
    this.config = config;
    this.servingPolicy = servingPolicy;
    this.heatingPolicy = heatingPolicy;
    this.nextDay = config.startDate();
    SplittableRandom world = SimRandom.generator(config.seed(), STREAM_WORLD);
    int creators = config.creators();
    creatorFame = new double[creators];
    creatorProductionCumulative = new double[creators];
    creatorHomeCategory = new int[creators];
    double production = 0;
    for (int c = 0; c < creators; c++) {
      creatorFame[c] = 1.0 / Math.pow(c + 1, config.creatorZipfExponent());
      production += Math.pow(creatorFame[c], CREATOR_PRODUCTION_EXPONENT);
      creatorProductionCumulative[c] = production;
      creatorHomeCategory[c] = world.nextInt(config.categories());
    }
    long startMillis = startOfDayMillis(config.startDate());
    List<SimItem> initial = new ArrayList<>();
    int[] initialCreators = new int[config.initialItems()];
    for (int i = 0; i < config.initialItems(); i++) {
      long ageMs = 1 + world.nextLong(INITIAL_ITEM_HISTORY_DAYS * DAY_MS);
      initialCreators[i] = drawCreator(world);
      initial.add(newItem(world, i, initialCreators[i], Instant.ofEpochMilli(startMillis - ageMs)));
    }
    addItems(initial);
    for (SimItem item : initial) {
      double priorClicks =
          PRIOR_CLICK_SCALE
              * creatorFame[initialCreators[item.index()]]
              * item.attractiveness()
              * Math.exp(PRIOR_CLICK_LOG_SD * world.nextGaussian());
      decayedClicks[item.index()] = priorClicks;
      qualityClicks[item.index()] = priorClicks;
      qualityCompletions[item.index()] = priorClicks * item.latentQuality();
    }
    for (int u = 0; u < config.initialUsers(); u++) {
      long ageMs = 1 + world.nextLong(INITIAL_USER_HISTORY_DAYS * DAY_MS);
      addUser(world, Instant.ofEpochMilli(startMillis - ageMs));
    }
    LOG.info(
        "Simulator world built: {} users, {} items, {} creators, {} categories, seed {}",
        users.size(),
        items.size(),
        creators,
        config.categories(),
        config.seed());
  }

  /** A world from {@code config} served by its default logging and manual heating policies. */
  public static Simulator withDefaultPolicies(SimulatorConfig config) {
    return new Simulator(
        config, LoggingServingPolicy.fromConfig(config), ManualHeatingPolicy.fromConfig(config));
  }

  /** The config this world was built from. */
  public SimulatorConfig config() {
    return config;
  }

  /** The next day {@link #simulateDay} accepts. */
  public LocalDate nextDay() {
    return nextDay;
  }

  /** Every item published so far, in index order (an unmodifiable view). */
  public List<SimItem> items() {
    return Collections.unmodifiableList(items);
  }

  /** Every user signed up so far, in index order (an unmodifiable view). */
  public List<SimUser> users() {
    return Collections.unmodifiableList(users);
  }

  /** The platform's cumulative counters per item, aligned with {@link #items()}. */
  public List<ItemStats> itemStats() {
    List<ItemStats> stats = new ArrayList<>(items.size());
    for (SimItem item : items) {
      int i = item.index();
      stats.add(new ItemStats(item.itemId(), impressions[i], clicks[i], completions[i]));
    }
    return stats;
  }

  /**
   * Simulates {@code day}: publishes its items, signs up its users, serves every active user's
   * session, streams each impression to {@code sink} in a deterministic order (users in index
   * order), then runs the platform's nightly update.
   *
   * @param day must equal {@link #nextDay()}: days are simulated in order without gaps
   * @param sink receives every impression; called from the calling thread only
   */
  public SimDay simulateDay(LocalDate day, Consumer<ImpressionEvent> sink) {
    if (!day.equals(nextDay)) {
      throw new IllegalArgumentException(
          "simulateDay needs consecutive days: expected "
              + nextDay
              + ", got "
              + day
              + "; build a new Simulator to start over");
    }
    long epochDay = day.toEpochDay();
    SplittableRandom dayRng = SimRandom.generator(config.seed(), STREAM_DAY, epochDay);
    long dayStart = startOfDayMillis(day);
    List<SimItem> published = new ArrayList<>();
    for (int i = 0; i < config.newItemsPerDay(); i++) {
      long publishMs = dayStart + dayRng.nextLong(PUBLISH_WINDOW_MS);
      int creator = drawCreator(dayRng);
      published.add(newItem(dayRng, items.size() + i, creator, Instant.ofEpochMilli(publishMs)));
    }
    addItems(published);
    List<SimUser> signedUp = new ArrayList<>();
    for (int u = 0; u < config.newUsersPerDay(); u++) {
      long signupMs = dayStart + dayRng.nextLong(SIGNUP_WINDOW_MS);
      signedUp.add(addUser(dayRng, Instant.ofEpochMilli(signupMs)));
    }
    HeatingPlan plan =
        heatingPolicy.plan(
            day, items(), itemStats(), SimRandom.derive(config.seed(), STREAM_HEATING, epochDay));
    DayView view = new DayView(day, plan);
    DayTotals totals = serveUsers(view, sink);
    nightlyUpdate(totals);
    nextDay = day.plusDays(1);
    SimDay result =
        new SimDay(
            day,
            totals.impressions,
            totals.requests,
            totals.clicks,
            totals.heated,
            totals.activeUsers,
            published,
            signedUp);
    LOG.info(
        "Simulated {}: {} impressions, {} requests, {} clicks, {} heated, {} active users,"
            + " {} new items, {} new users",
        day,
        result.impressions(),
        result.requests(),
        result.clicks(),
        result.heatedImpressions(),
        result.activeUsers(),
        published.size(),
        signedUp.size());
    return result;
  }

  private DayTotals serveUsers(DayView view, Consumer<ImpressionEvent> sink) {
    DayTotals totals = new DayTotals(items.size());
    int userCount = userStates.size();
    int chunks = (userCount + USERS_PER_CHUNK - 1) / USERS_PER_CHUNK;
    int wave = config.threads() * CHUNKS_PER_THREAD_PER_WAVE;
    ExecutorService pool =
        config.threads() > 1 ? Executors.newFixedThreadPool(config.threads()) : null;
    try {
      for (int first = 0; first < chunks; first += wave) {
        List<Callable<ChunkOutput>> tasks = new ArrayList<>();
        for (int c = first; c < Math.min(chunks, first + wave); c++) {
          int from = c * USERS_PER_CHUNK;
          int to = Math.min(userCount, from + USERS_PER_CHUNK);
          tasks.add(() -> serveChunk(view, from, to));
        }
        for (ChunkOutput output : run(pool, tasks)) {
          totals.add(output, sink);
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return totals;
  }

  private static List<ChunkOutput> run(ExecutorService pool, List<Callable<ChunkOutput>> tasks) {
    List<ChunkOutput> outputs = new ArrayList<>(tasks.size());
    try {
      if (pool == null) {
        for (Callable<ChunkOutput> task : tasks) {
          outputs.add(task.call());
        }
        return outputs;
      }
      for (Future<ChunkOutput> future : pool.invokeAll(tasks)) {
        outputs.add(future.get());
      }
      return outputs;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("simulation interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("simulating a chunk of users failed", e.getCause());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("simulating a chunk of users failed", e);
    }
  }

  private ChunkOutput serveChunk(DayView view, int fromUser, int toUser) {
    ChunkOutput out = new ChunkOutput();
    RequestScratch scratch = new RequestScratch(items.size());
    for (int u = fromUser; u < toUser; u++) {
      serveUser(view, userStates.get(u), scratch, out);
    }
    return out;
  }

  private void serveUser(DayView view, UserState user, RequestScratch scratch, ChunkOutput out) {
    SplittableRandom rng =
        SimRandom.generator(config.seed(), STREAM_USER_DAY, view.epochDay, user.user.index());
    boolean signedUpToday = user.signupEpochDay == view.epochDay;
    double returnProb =
        SimRandom.clamp(
            RETURN_BASE + RETURN_SATISFACTION_GAIN * user.satisfaction, RETURN_MIN, RETURN_MAX);
    if (!signedUpToday && rng.nextDouble() >= returnProb) {
      return;
    }
    out.activeUsers++;
    int daysSinceSignup = (int) (view.epochDay - user.signupEpochDay);
    long t = view.dayStart + SESSION_EARLIEST_MS + rng.nextLong(SESSION_START_SPAN_MS);
    Scenario scenario = Scenario.FEED;
    int contextCategory = -1;
    int sourceItem = -1;
    String requestPrefix = "r" + view.day + "-" + user.user.userId() + "-";
    List<ServedRequest> earlierToday = new ArrayList<>();
    for (int request = 0; request < MAX_REQUESTS_PER_SESSION; request++) {
      int n = buildCandidates(view, user, scenario, contextCategory, sourceItem, rng, scratch);
      int m = Math.min(config.slateSize(scenario), n);
      if (m == 0 || t + m * SLOT_GAP_MS >= view.dayStart + DAY_MS) {
        break;
      }
      RequestContext context =
          new RequestContext(
              scenario,
              user.user.userId(),
              daysSinceSignup,
              user.recentClickedItemIds(items),
              user.observedAffinity,
              user.shownCategoryRun,
              request,
              requestPrefix + request,
              Instant.ofEpochMilli(t),
              earlierToday);
      ServingDecision decision = servingPolicy.decide(context);
      float[] weights = decision.weights();
      double e = decision.exploreProb();
      boolean explore = rng.nextDouble() < e;
      int[] greedy = greedySlate(view, user, weights, n, m, scratch);
      int[] slate = explore ? uniformSlate(n, m, rng, scratch) : greedy;
      double heatProb = scenario == Scenario.FEED ? view.heatingRequestProb : 0.0;
      int heatedSlot = -1;
      int heatedItem = -1;
      if (heatProb > 0 && rng.nextDouble() < heatProb) {
        heatedSlot = rng.nextInt(m);
        heatedItem =
            view.heatingPool[SimRandom.drawCumulative(view.heatingCumulative, rng.nextDouble())];
      }
      String requestId = requestPrefix + request;
      int firstClicked = -1;
      int clicksInRequest = 0;
      long dwellTotal = 0;
      int[] slateCategories = new int[m];
      boolean[] slateClicks = new boolean[m];
      String[] slateItems = new String[m];
      boolean[] slateCompleted = new boolean[m];
      long[] slateMillis = new long[m];
      for (int p = 0; p < m; p++) {
        boolean heated = p == heatedSlot;
        int item = heated ? heatedItem : slate[p];
        double propensity =
            heated
                ? heatProb / m * view.heatingShareOf(item)
                : (1 - heatProb / m) * ((1 - e) * (greedy[p] == item ? 1 : 0) + e / n);
        SimItem it = items.get(item);
        Reaction reaction = react(user, it, p, rng);
        showCategory(user, it.category());
        slateCategories[p] = it.category();
        slateClicks[p] = reaction.clicked;
        slateItems[p] = it.itemId();
        slateCompleted[p] = reaction.completed;
        slateMillis[p] = t + p * SLOT_GAP_MS;
        if (reaction.clicked) {
          clicksInRequest++;
          dwellTotal += reaction.dwellMs;
          if (firstClicked < 0) {
            firstClicked = item;
          }
          user.recordClick(item, it.category());
          updateAfterClick(user, it, reaction.completed);
        }
        ImpressionEvent event =
            new ImpressionEvent(
                requestId + "-" + p,
                Instant.ofEpochMilli(slateMillis[p]),
                view.day,
                user.user.userId(),
                it.itemId(),
                scenario.logName(),
                requestId,
                p,
                reaction.clicked,
                reaction.clicked ? reaction.dwellMs : null,
                reaction.completed,
                reaction.shared,
                reaction.purchaseAmount,
                heated,
                explore,
                e,
                propensity,
                weights);
        out.add(event, item, reaction.completed);
      }
      out.requests++;
      earlierToday.add(
          new ServedRequest(
              scenario,
              Instant.ofEpochMilli(t),
              slateCategories,
              slateClicks,
              weights,
              e,
              slateItems,
              slateCompleted,
              slateMillis));
      if (clicksInRequest == 0) {
        user.satisfaction += SATISFACTION_RATE * (OUTCOME_NO_CLICK - user.satisfaction);
      }
      t += m * SLOT_GAP_MS + BROWSE_MS_PER_REQUEST + rng.nextInt(BROWSE_JITTER_MS) + dwellTotal;
      double continueProb =
          SimRandom.clamp(
              CONTINUE_BASE
                  + CONTINUE_SATISFACTION_GAIN * (user.satisfaction - INITIAL_SATISFACTION)
                  - CONTINUE_FATIGUE_COST * user.fatigue,
              CONTINUE_MIN,
              CONTINUE_MAX);
      if (rng.nextDouble() >= continueProb) {
        break;
      }
      if (firstClicked >= 0 && rng.nextDouble() < DETAIL_AFTER_CLICK_PROB) {
        scenario = Scenario.DETAIL;
        sourceItem = firstClicked;
        contextCategory = items.get(firstClicked).category();
      } else if (rng.nextDouble() < SEARCH_PROB) {
        scenario = Scenario.SEARCH;
        sourceItem = -1;
        contextCategory = drawInterest(user, rng);
      } else {
        scenario = Scenario.FEED;
        sourceItem = -1;
        contextCategory = -1;
      }
    }
  }

  private Reaction react(UserState user, SimItem item, int position, SplittableRandom rng) {
    double interest = user.relativeInterest[item.category()];
    double appeal =
        CLICK_BIAS
            + CLICK_INTEREST_WEIGHT * interest
            + CLICK_ATTRACTIVENESS_WEIGHT * item.attractiveness()
            + CLICK_CURIOSITY_WEIGHT * user.curiosity * (1 - interest)
            - CLICK_FATIGUE_WEIGHT * user.fatigue;
    double clickProb = Math.pow(POSITION_DECAY, position) * SimRandom.sigmoid(appeal);
    if (rng.nextDouble() >= clickProb) {
      return Reaction.NOT_CLICKED;
    }
    double completeProb =
        SimRandom.sigmoid(
            COMPLETION_BIAS
                + COMPLETION_QUALITY_WEIGHT * (item.latentQuality() - NEUTRAL_QUALITY)
                + COMPLETION_INTEREST_WEIGHT * interest
                - COMPLETION_FATIGUE_WEIGHT * user.fatigue);
    boolean completed = rng.nextDouble() < completeProb;
    double lengthMs = MEDIAN_ITEM_LENGTH_MS * Math.exp(ITEM_LENGTH_LOG_SD * rng.nextGaussian());
    double viewed = completed ? 1.0 : PARTIAL_VIEW_MIN + PARTIAL_VIEW_SPAN * rng.nextDouble();
    long dwellMs = Math.round(lengthMs * viewed);
    boolean shared = completed && rng.nextDouble() < SHARE_RATE_PER_QUALITY * item.latentQuality();
    double purchase = 0.0;
    if (rng.nextDouble() < PURCHASE_RATE * (PURCHASE_QUALITY_OFFSET + item.latentQuality())) {
      double amount = MEDIAN_PURCHASE * Math.exp(PURCHASE_LOG_SD * rng.nextGaussian());
      purchase = Math.round(amount * CENTS) / CENTS;
    }
    return new Reaction(true, dwellMs, completed, shared, purchase);
  }

  private static void showCategory(UserState user, int category) {
    if (category == user.lastShownCategory) {
      user.shownCategoryRun++;
      user.fatigue = Math.min(1.0, user.fatigue + FATIGUE_STEP);
    } else {
      user.lastShownCategory = category;
      user.shownCategoryRun = 1;
      user.fatigue *= 1 - FATIGUE_RELIEF;
    }
  }

  private static void updateAfterClick(UserState user, SimItem item, boolean completed) {
    double outcome = completed ? OUTCOME_COMPLETED : OUTCOME_DISAPPOINTED;
    user.satisfaction += SATISFACTION_RATE * (outcome - user.satisfaction);
    if (user.relativeInterest[item.category()] < NOVEL_INTEREST_THRESHOLD) {
      double target = completed ? 1.0 : 0.0;
      user.curiosity += CURIOSITY_STEP * (target - user.curiosity);
    }
  }

  private static int drawInterest(UserState user, SplittableRandom rng) {
    double u = rng.nextDouble();
    double cumulative = 0;
    for (int c = 0; c < user.latentInterest.length; c++) {
      cumulative += user.latentInterest[c];
      if (u < cumulative) {
        return c;
      }
    }
    return user.latentInterest.length - 1;
  }

  private int buildCandidates(
      DayView view,
      UserState user,
      Scenario scenario,
      int category,
      int sourceItem,
      SplittableRandom rng,
      RequestScratch scratch) {
    scratch.reset();
    if (scenario == Scenario.FEED) {
      scratch.addFirst(view.globalPopular, FEED_POPULAR_CANDIDATES, view.heated);
      scratch.addSample(view.freshAll, FEED_FRESH_CANDIDATES, rng, view.heated);
      int top = user.topObservedCategory();
      if (top >= 0) {
        scratch.addFirst(view.categoryPopular[top], FEED_AFFINITY_CANDIDATES, view.heated);
      }
    } else {
      scratch.skip(sourceItem);
      scratch.addFirst(view.categoryPopular[category], CATEGORY_POPULAR_CANDIDATES, null);
      scratch.addSample(view.freshByCategory[category], CATEGORY_FRESH_CANDIDATES, rng, null);
    }
    return scratch.size;
  }

  private int[] greedySlate(
      DayView view, UserState user, float[] weights, int n, int m, RequestScratch scratch) {
    float maxAffinity = 0f;
    for (float a : user.observedAffinity) {
      maxAffinity = Math.max(maxAffinity, a);
    }
    double[] scores = scratch.scores;
    for (int j = 0; j < n; j++) {
      int i = scratch.candidates[j];
      int c = items.get(i).category();
      double relevance = maxAffinity > 0 ? user.observedAffinity[c] / maxAffinity : 0.0;
      double freshness = Math.exp(-(view.epochDay - publishEpochDay[i]) / FRESHNESS_SCALE_DAYS);
      double novelty = 1.0 / (1.0 + user.observedAffinity[c]);
      scores[j] =
          weights[RankingFeatures.RELEVANCE_INDEX] * relevance
              + weights[RankingFeatures.POPULARITY_INDEX] * view.popularity[i]
              + weights[RankingFeatures.FRESHNESS_INDEX] * Math.min(1.0, freshness)
              + weights[RankingFeatures.NOVELTY_INDEX] * novelty
              + weights[RankingFeatures.QUALITY_ESTIMATE_INDEX] * view.qualityEstimate[i]
              + weights[RankingFeatures.HEATED_INDEX] * (view.heated[i] ? 1.0 : 0.0);
    }
    int[] slate = new int[m];
    boolean[] taken = scratch.taken;
    Arrays.fill(taken, 0, n, false);
    for (int p = 0; p < m; p++) {
      int best = -1;
      for (int j = 0; j < n; j++) {
        if (!taken[j] && (best < 0 || scores[j] > scores[best])) {
          best = j;
        }
      }
      taken[best] = true;
      slate[p] = scratch.candidates[best];
    }
    return slate;
  }

  private static int[] uniformSlate(int n, int m, SplittableRandom rng, RequestScratch scratch) {
    int[] pool = Arrays.copyOf(scratch.candidates, n);
    int[] slate = new int[m];
    for (int p = 0; p < m; p++) {
      int j = p + rng.nextInt(n - p);
      int swap = pool[p];
      pool[p] = pool[j];
      pool[j] = swap;
      slate[p] = pool[p];
    }
    return slate;
  }

  private void nightlyUpdate(DayTotals totals) {
    for (int i = 0; i < items.size(); i++) {
      impressions[i] += totals.itemImpressions[i];
      clicks[i] += totals.itemClicks[i];
      completions[i] += totals.itemCompletions[i];
      decayedClicks[i] = decayedClicks[i] * POPULARITY_DAILY_DECAY + totals.itemClicks[i];
      qualityClicks[i] += totals.itemClicks[i];
      qualityCompletions[i] += totals.itemCompletions[i];
    }
    for (UserState user : userStates) {
      user.fatigue *= FATIGUE_OVERNIGHT_KEEP;
      user.curiosity += CURIOSITY_OVERNIGHT_REVERSION * (user.baseCuriosity - user.curiosity);
      user.shownCategoryRun = 0;
      user.lastShownCategory = -1;
      for (int c = 0; c < user.observedAffinity.length; c++) {
        user.observedAffinity[c] *= AFFINITY_DAILY_DECAY;
      }
    }
  }

  private int drawCreator(SplittableRandom rng) {
    return SimRandom.drawCumulative(creatorProductionCumulative, rng.nextDouble());
  }

  private SimItem newItem(SplittableRandom rng, int index, int creator, Instant publishTs) {
    int category =
        rng.nextDouble() < CREATOR_HOME_CATEGORY_SHARE
            ? creatorHomeCategory[creator]
            : rng.nextInt(config.categories());
    boolean clickbait = rng.nextDouble() < config.clickbaitShare();
    double quality;
    double attractiveness;
    double qualityScore;
    if (clickbait) {
      quality = SimRandom.clampedNormal(rng, CLICKBAIT_QUALITY_MEAN, CLICKBAIT_QUALITY_SD);
      attractiveness =
          SimRandom.clampedNormal(rng, CLICKBAIT_ATTRACTIVENESS_MEAN, CLICKBAIT_ATTRACTIVENESS_SD);
      qualityScore = SimRandom.clampedNormal(rng, attractiveness, QUALITY_SCORE_NOISE_SD);
    } else {
      quality = SimRandom.clampedNormal(rng, QUALITY_MEAN, QUALITY_SD);
      attractiveness =
          SimRandom.clampedNormal(
              rng,
              ATTRACTIVENESS_BASE
                  + ATTRACTIVENESS_FROM_QUALITY * quality
                  + ATTRACTIVENESS_FROM_FAME * creatorFame[creator],
              ATTRACTIVENESS_SD);
      qualityScore = SimRandom.clampedNormal(rng, quality, QUALITY_SCORE_NOISE_SD);
    }
    return new SimItem(
        index,
        String.format("i%08d", index),
        String.format("c%06d", creator),
        category,
        publishTs,
        qualityScore,
        quality,
        attractiveness,
        clickbait);
  }

  private void addItems(List<SimItem> added) {
    int total = items.size() + added.size();
    publishEpochDay = Arrays.copyOf(publishEpochDay, total);
    impressions = Arrays.copyOf(impressions, total);
    clicks = Arrays.copyOf(clicks, total);
    completions = Arrays.copyOf(completions, total);
    decayedClicks = Arrays.copyOf(decayedClicks, total);
    qualityClicks = Arrays.copyOf(qualityClicks, total);
    qualityCompletions = Arrays.copyOf(qualityCompletions, total);
    for (SimItem item : added) {
      items.add(item);
      itemIndexById.put(item.itemId(), item.index());
      publishEpochDay[item.index()] = Math.floorDiv(item.publishTs().toEpochMilli(), DAY_MS);
    }
  }

  private SimUser addUser(SplittableRandom rng, Instant signupTs) {
    int index = users.size();
    SimUser user = new SimUser(index, String.format("u%08d", index), signupTs);
    double[] interest =
        SimRandom.dirichlet(rng, config.categories(), config.interestConcentration());
    double curiosity = CURIOSITY_MIN + CURIOSITY_SPAN * rng.nextDouble();
    UserState state =
        new UserState(user, Math.floorDiv(signupTs.toEpochMilli(), DAY_MS), interest, curiosity);
    state.satisfaction = INITIAL_SATISFACTION;
    users.add(user);
    userStates.add(state);
    return user;
  }

  private static long startOfDayMillis(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The read-only platform snapshot every worker reads during one day. */
  private final class DayView {
    final LocalDate day;
    final long epochDay;
    final long dayStart;
    final double[] popularity;
    final double[] qualityEstimate;
    final boolean[] heated;
    final int[] heatingPool;
    final double[] heatingCumulative;
    final double heatingRequestProb;
    final int[] globalPopular;
    final int[][] categoryPopular;
    final int[] freshAll;
    final int[][] freshByCategory;

    DayView(LocalDate day, HeatingPlan plan) {
      this.day = day;
      this.epochDay = day.toEpochDay();
      this.dayStart = startOfDayMillis(day);
      int count = items.size();
      popularity = new double[count];
      qualityEstimate = new double[count];
      double maxLog = 0;
      for (int i = 0; i < count; i++) {
        maxLog = Math.max(maxLog, Math.log1p(decayedClicks[i]));
      }
      for (int i = 0; i < count; i++) {
        popularity[i] = maxLog > 0 ? Math.log1p(decayedClicks[i]) / maxLog : 0.0;
        qualityEstimate[i] =
            (qualityCompletions[i] + QUALITY_PRIOR_STRENGTH * items.get(i).qualityScore())
                / (qualityClicks[i] + QUALITY_PRIOR_STRENGTH);
      }
      heated = new boolean[count];
      List<HeatingPlan.HeatedItem> pool = plan.items();
      heatingPool = new int[pool.size()];
      heatingCumulative = new double[pool.size()];
      double cumulative = 0;
      for (int k = 0; k < pool.size(); k++) {
        Integer index = itemIndexById.get(pool.get(k).itemId());
        if (index == null) {
          throw new IllegalArgumentException(
              "heating plan for " + day + " names unknown item " + pool.get(k).itemId());
        }
        if (heated[index]) {
          throw new IllegalArgumentException(
              "heating plan for " + day + " names item " + pool.get(k).itemId() + " twice");
        }
        heated[index] = true;
        heatingPool[k] = index;
        cumulative += pool.get(k).weight();
        heatingCumulative[k] = cumulative;
      }
      heatingRequestProb = pool.isEmpty() ? 0.0 : plan.requestProbability();
      Integer[] byPopularity = new Integer[count];
      for (int i = 0; i < count; i++) {
        byPopularity[i] = i;
      }
      Arrays.sort(
          byPopularity,
          Comparator.comparingDouble((Integer i) -> -popularity[i]).thenComparingInt(i -> i));
      int categories = config.categories();
      List<List<Integer>> perCategory = new ArrayList<>();
      List<List<Integer>> freshPerCategory = new ArrayList<>();
      for (int c = 0; c < categories; c++) {
        perCategory.add(new ArrayList<>());
        freshPerCategory.add(new ArrayList<>());
      }
      List<Integer> global = new ArrayList<>();
      for (Integer i : byPopularity) {
        int c = items.get(i).category();
        if (global.size() < FEED_POPULAR_CANDIDATES) {
          global.add(i);
        }
        if (perCategory.get(c).size() < CATEGORY_POPULAR_CANDIDATES) {
          perCategory.get(c).add(i);
        }
      }
      List<Integer> fresh = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (epochDay - publishEpochDay[i] < FRESH_WINDOW_DAYS) {
          fresh.add(i);
          freshPerCategory.get(items.get(i).category()).add(i);
        }
      }
      globalPopular = toArray(global);
      freshAll = toArray(fresh);
      categoryPopular = new int[categories][];
      freshByCategory = new int[categories][];
      for (int c = 0; c < categories; c++) {
        categoryPopular[c] = toArray(perCategory.get(c));
        freshByCategory[c] = toArray(freshPerCategory.get(c));
      }
    }

    double heatingShareOf(int item) {
      for (int k = 0; k < heatingPool.length; k++) {
        if (heatingPool[k] == item) {
          double previous = k == 0 ? 0.0 : heatingCumulative[k - 1];
          return (heatingCumulative[k] - previous) / heatingCumulative[heatingPool.length - 1];
        }
      }
      throw new IllegalStateException("item " + item + " is not in the heating pool");
    }

    private int[] toArray(List<Integer> values) {
      return values.stream().mapToInt(Integer::intValue).toArray();
    }
  }

  /** A user's reaction to one impression. */
  private record Reaction(
      boolean clicked, long dwellMs, boolean completed, boolean shared, double purchaseAmount) {
    static final Reaction NOT_CLICKED = new Reaction(false, 0L, false, false, 0.0);
  }

  /** Per-worker buffers for building and ranking one request's candidates. */
  private static final class RequestScratch {
    final int[] stamp;
    int generation;
    int[] candidates = new int[0];
    double[] scores = new double[0];
    boolean[] taken = new boolean[0];
    int size;

    RequestScratch(int itemCount) {
      stamp = new int[itemCount];
    }

    void reset() {
      generation++;
      size = 0;
    }

    void skip(int item) {
      if (item >= 0) {
        stamp[item] = generation;
      }
    }

    void addFirst(int[] source, int limit, boolean[] excluded) {
      int added = 0;
      for (int k = 0; k < source.length && added < limit; k++) {
        if (add(source[k], excluded)) {
          added++;
        }
      }
    }

    void addSample(int[] source, int draws, SplittableRandom rng, boolean[] excluded) {
      if (source.length == 0) {
        return;
      }
      for (int k = 0; k < draws; k++) {
        add(source[rng.nextInt(source.length)], excluded);
      }
    }

    private boolean add(int item, boolean[] excluded) {
      if (stamp[item] == generation || (excluded != null && excluded[item])) {
        return false;
      }
      stamp[item] = generation;
      if (size == candidates.length) {
        int capacity = Math.max(16, size * 2);
        candidates = Arrays.copyOf(candidates, capacity);
        scores = Arrays.copyOf(scores, capacity);
        taken = Arrays.copyOf(taken, capacity);
      }
      candidates[size++] = item;
      return true;
    }
  }

  /** One chunk's impressions in order, with the item indices for the nightly counters. */
  private static final class ChunkOutput {
    final List<ImpressionEvent> events = new ArrayList<>();
    int[] itemIndices = new int[64];
    boolean[] completedFlags = new boolean[64];
    long requests;
    int activeUsers;

    void add(ImpressionEvent event, int itemIndex, boolean completed) {
      int k = events.size();
      if (k == itemIndices.length) {
        itemIndices = Arrays.copyOf(itemIndices, k * 2);
        completedFlags = Arrays.copyOf(completedFlags, k * 2);
      }
      itemIndices[k] = itemIndex;
      completedFlags[k] = completed;
      events.add(event);
    }
  }

  /** One day's running totals, accumulated on the calling thread in event order. */
  private static final class DayTotals {
    final long[] itemImpressions;
    final long[] itemClicks;
    final long[] itemCompletions;
    long impressions;
    long requests;
    long clicks;
    long heated;
    int activeUsers;

    DayTotals(int itemCount) {
      itemImpressions = new long[itemCount];
      itemClicks = new long[itemCount];
      itemCompletions = new long[itemCount];
    }

    void add(ChunkOutput output, Consumer<ImpressionEvent> sink) {
      requests += output.requests;
      activeUsers += output.activeUsers;
      for (int k = 0; k < output.events.size(); k++) {
        ImpressionEvent event = output.events.get(k);
        int item = output.itemIndices[k];
        sink.accept(event);
        impressions++;
        itemImpressions[item]++;
        if (event.clicked()) {
          clicks++;
          itemClicks[item]++;
        }
        if (output.completedFlags[k]) {
          itemCompletions[item]++;
        }
        if (event.heated()) {
          heated++;
        }
      }
    }
  }
}
