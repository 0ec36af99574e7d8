package dev.kindling.agents.sim;

import java.time.LocalDate;

/**
 * Every knob of the simulated world and of its default logging and heating policies. Validated on
 * construction; {@link #defaults()} is the embedded demo size.
 *
 * @param startDate first simulated day (UTC); the initial users and items exist before it
 * @param seed seed of every random draw: same config and seed give the same logs
 * @param initialUsers users who signed up before {@code startDate}
 * @param newUsersPerDay users who sign up on each simulated day
 * @param initialItems items published before {@code startDate}, with a pre-simulation click history
 *     drawn from their creator's popularity
 * @param newItemsPerDay items published at the start of each simulated day
 * @param categories number of content categories
 * @param creators number of creators
 * @param creatorZipfExponent exponent s of creator popularity 1 / rank^s (heavy tail)
 * @param interestConcentration Dirichlet alpha of users' latent category interests (small =
 *     concentrated)
 * @param feedSlateSize items per feed request
 * @param searchSlateSize items per search request
 * @param detailSlateSize items per detail request
 * @param clickbaitShare share of items that are clickbait (attractive, rarely completed)
 * @param heatingShare share of the newest items the manual heating puts in its pool
 * @param heatingRequestProb probability a feed request carries one heated slot, in [0, 1)
 * @param explorationRate the default logging policy's per-request exploration probability
 * @param explorationProtectionDays days after sign-up in which the default policy never explores
 * @param threads worker threads simulating users in parallel; output does not depend on it
 */
public record SimulatorConfig(
    LocalDate startDate,
    long seed,
    int initialUsers,
    int newUsersPerDay,
    int initialItems,
    int newItemsPerDay,
    int categories,
    int creators,
    double creatorZipfExponent,
    double interestConcentration,
    int feedSlateSize,
    int searchSlateSize,
    int detailSlateSize,
    double clickbaitShare,
    double heatingShare,
    double heatingRequestProb,
    double explorationRate,
    int explorationProtectionDays,
    int threads) {

  /** Upper bound on any population size, to keep IDs and arrays sane. */
  public static final int MAX_POPULATION = 50_000_000;

  /** Upper bound on the number of categories. */
  public static final int MAX_CATEGORIES = 1_000;

  /** Upper bound on any slate size. */
  public static final int MAX_SLATE_SIZE = 100;

  /** Upper bound on worker threads. */
  public static final int MAX_THREADS = 256;

  /** Upper bound on the creator Zipf exponent. */
  public static final double MAX_ZIPF_EXPONENT = 5.0;

  /** Upper bound on the Dirichlet alpha of interests. */
  public static final double MAX_INTEREST_CONCENTRATION = 100.0;

  private static final LocalDate DEMO_START = LocalDate.of(2024, 1, 1);
  private static final long DEMO_SEED = 20240101L;
  private static final int DEMO_INITIAL_USERS = 15_000;
  private static final int DEMO_NEW_USERS_PER_DAY = 700;
  private static final int DEMO_INITIAL_ITEMS = 6_000;
  private static final int DEMO_NEW_ITEMS_PER_DAY = 800;
  private static final int DEMO_CATEGORIES = 20;
  private static final int DEMO_CREATORS = 1_500;
  private static final double DEMO_ZIPF_EXPONENT = 1.1;
  private static final double DEMO_INTEREST_CONCENTRATION = 0.3;
  private static final int DEMO_FEED_SLATE = 10;
  private static final int DEMO_SEARCH_SLATE = 10;
  private static final int DEMO_DETAIL_SLATE = 6;
  private static final double DEMO_CLICKBAIT_SHARE = 0.1;
  private static final double DEMO_HEATING_SHARE = 0.1;
  private static final double DEMO_HEATING_REQUEST_PROB = 0.1;
  private static final double DEMO_EXPLORATION_RATE = 0.05;
  private static final int DEMO_PROTECTION_DAYS = 3;
  private static final int DEMO_THREADS = 2;

  public SimulatorConfig {
    requireNonNull("startDate", startDate);
    requireRange("initialUsers", initialUsers, 1, MAX_POPULATION);
    requireRange("newUsersPerDay", newUsersPerDay, 0, MAX_POPULATION);
    requireRange("initialItems", initialItems, 1, MAX_POPULATION);
    requireRange("newItemsPerDay", newItemsPerDay, 0, MAX_POPULATION);
    requireRange("categories", categories, 1, MAX_CATEGORIES);
    requireRange("creators", creators, 1, MAX_POPULATION);
    requireRange("creatorZipfExponent", creatorZipfExponent, 0.0, MAX_ZIPF_EXPONENT);
    requireOpenLowerRange(
        "interestConcentration", interestConcentration, 0.0, MAX_INTEREST_CONCENTRATION);
    requireRange("feedSlateSize", feedSlateSize, 1, MAX_SLATE_SIZE);
    requireRange("searchSlateSize", searchSlateSize, 1, MAX_SLATE_SIZE);
    requireRange("detailSlateSize", detailSlateSize, 1, MAX_SLATE_SIZE);
    requireRange("clickbaitShare", clickbaitShare, 0.0, 1.0);
    requireRange("heatingShare", heatingShare, 0.0, 1.0);
    if (!(heatingRequestProb >= 0 && heatingRequestProb < 1)) {
      throw invalid("heatingRequestProb", heatingRequestProb, "[0, 1)");
    }
    requireRange("explorationRate", explorationRate, 0.0, 1.0);
    requireRange("explorationProtectionDays", explorationProtectionDays, 0, MAX_POPULATION);
    requireRange("threads", threads, 1, MAX_THREADS);
  }

  /**
   * The embedded demo world: about 20k users over 7 days, producing 1–2M impressions in a few
   * minutes on 2 cores.
   */
  public static SimulatorConfig defaults() {
    return new SimulatorConfig(
        DEMO_START,
        DEMO_SEED,
        DEMO_INITIAL_USERS,
        DEMO_NEW_USERS_PER_DAY,
        DEMO_INITIAL_ITEMS,
        DEMO_NEW_ITEMS_PER_DAY,
        DEMO_CATEGORIES,
        DEMO_CREATORS,
        DEMO_ZIPF_EXPONENT,
        DEMO_INTEREST_CONCENTRATION,
        DEMO_FEED_SLATE,
        DEMO_SEARCH_SLATE,
        DEMO_DETAIL_SLATE,
        DEMO_CLICKBAIT_SHARE,
        DEMO_HEATING_SHARE,
        DEMO_HEATING_REQUEST_PROB,
        DEMO_EXPLORATION_RATE,
        DEMO_PROTECTION_DAYS,
        DEMO_THREADS);
  }

  /** This config with another seed. */
  public SimulatorConfig withSeed(long newSeed) {
    return new SimulatorConfig(
        startDate,
        newSeed,
        initialUsers,
        newUsersPerDay,
        initialItems,
        newItemsPerDay,
        categories,
        creators,
        creatorZipfExponent,
        interestConcentration,
        feedSlateSize,
        searchSlateSize,
        detailSlateSize,
        clickbaitShare,
        heatingShare,
        heatingRequestProb,
        explorationRate,
        explorationProtectionDays,
        threads);
  }

  /** This config with another population size (users and items at start and per day). */
  public SimulatorConfig withPopulation(
      int newInitialUsers, int newNewUsersPerDay, int newInitialItems, int newNewItemsPerDay) {
    return new SimulatorConfig(
        startDate,
        seed,
        newInitialUsers,
        newNewUsersPerDay,
        newInitialItems,
        newNewItemsPerDay,
        categories,
        creators,
        creatorZipfExponent,
        interestConcentration,
        feedSlateSize,
        searchSlateSize,
        detailSlateSize,
        clickbaitShare,
        heatingShare,
        heatingRequestProb,
        explorationRate,
        explorationProtectionDays,
        threads);
  }

  /** This config with another number of worker threads. */
  public SimulatorConfig withThreads(int newThreads) {
    return new SimulatorConfig(
        startDate,
        seed,
        initialUsers,
        newUsersPerDay,
        initialItems,
        newItemsPerDay,
        categories,
        creators,
        creatorZipfExponent,
        interestConcentration,
        feedSlateSize,
        searchSlateSize,
        detailSlateSize,
        clickbaitShare,
        heatingShare,
        heatingRequestProb,
        explorationRate,
        explorationProtectionDays,
        newThreads);
  }

  /** The slate size of a scenario. */
  public int slateSize(Scenario scenario) {
    return switch (scenario) {
      case FEED -> feedSlateSize;
      case SEARCH -> searchSlateSize;
      case DETAIL -> detailSlateSize;
    };
  }

  private static void requireNonNull(String name, Object value) {
    if (value == null) {
      throw new IllegalArgumentException("simulator config '" + name + "' must be set, got null");
    }
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(name, value, "[" + min + ", " + max + "]");
    }
  }

  private static void requireRange(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw invalid(name, value, "[" + min + ", " + max + "]");
    }
  }

  private static void requireOpenLowerRange(String name, double value, double min, double max) {
    if (!(value > min && value <= max)) {
      throw invalid(name, value, "(" + min + ", " + max + "]");
    }
  }

  private static IllegalArgumentException invalid(String name, Object value, String range) {
    return new IllegalArgumentException(
        "simulator config '"
            + name
            + "' is "
            + value
            + ", outside the allowed range "
            + range
            + "; set it within the range");
  }
}
