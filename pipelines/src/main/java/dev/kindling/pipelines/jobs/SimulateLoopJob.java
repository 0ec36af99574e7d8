package dev.kindling.pipelines.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.struct;

import dev.kindling.agents.loop.KindlingServingPolicy;
import dev.kindling.agents.loop.LoopInteractions;
import dev.kindling.agents.loop.LoopObservations;
import dev.kindling.agents.loop.QuotaHeatingPolicy;
import dev.kindling.agents.loop.StartOfDayState;
import dev.kindling.agents.replay.EncoderReplay;
import dev.kindling.agents.serving.PolicyArtifactException;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.sim.HeatingPlan;
import dev.kindling.agents.sim.HeatingPolicy;
import dev.kindling.agents.sim.ImpressionEvent;
import dev.kindling.agents.sim.ItemStats;
import dev.kindling.agents.sim.LoggingServingPolicy;
import dev.kindling.agents.sim.ManualHeatingPolicy;
import dev.kindling.agents.sim.RequestContext;
import dev.kindling.agents.sim.Scenario;
import dev.kindling.agents.sim.ServingDecision;
import dev.kindling.agents.sim.ServingPolicy;
import dev.kindling.agents.sim.SimDay;
import dev.kindling.agents.sim.SimItem;
import dev.kindling.agents.sim.Simulator;
import dev.kindling.features.metrics.DailyMetrics;
import dev.kindling.features.metrics.ExposureMetrics;
import dev.kindling.features.schema.DailyMetricsSchema;
import dev.kindling.features.schema.EvaluationSchema;
import dev.kindling.features.schema.UserMindStateSchema;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code simulate-loop} stage: the closed-loop evaluation of one arm (a policy and a seed). The
 * arm's world is simulated day by day into its own lakehouse ({@code
 * <lakehouse.root>/<simulate-loop.dir>/seed=S/policy=A}, A the arm's name, deleted first so a
 * re-run replaces it): the warm-up days served by the logging policy and manual heating (identical
 * for every arm of a seed), then the loop days served by the arm's policy. Every day's raw logs are
 * validated in the arm; the {@code kindling} arm runs the whole nightly job there after each day
 * but the last, and serves the next day through {@link PolicyClient} loaded from the arm's {@code
 * LATEST} ({@link KindlingServingPolicy}, {@link QuotaHeatingPolicy}); when a day's policy was not
 * published it keeps serving the last one and says so. Each loop day's {@link DailyMetrics} and
 * exposure Lorenz curve go to the main lakehouse's {@code evaluation} table (run {@code
 * simulate-loop}), computed once the next day exists (next-day retention); the last day's retention
 * is null.
 *
 * <p>Costs: the simulation runs on the driver; per day one raw write, one validate (or one nightly
 * run), the metrics' twenty-odd small Spark jobs over the arm's validated events of the metric
 * window, and one {@code replaceRows} commit. The kindling arm collects each day's start-of-day
 * states (one small row per user active the day before) to the driver.
 */
public final class SimulateLoopJob {

  private static final Logger LOG = LoggerFactory.getLogger(SimulateLoopJob.class);
  private static final String STAGE = "simulate-loop";
  private static final double NANOS_PER_SECOND = 1e9;

  /** Steps of the exposure Lorenz curve written per day: points 0..100. */
  public static final int LORENZ_POINTS = 100;

  /** The curve's metric name in {@code evaluation}. */
  public static final String EXPOSURE_LORENZ = "exposure_lorenz";

  /** The estimator of an observed metric. */
  public static final String OBSERVED = "observed";

  /** The metrics the summary averages over the loop days, in print order. */
  public static final List<String> SUMMARY_METRICS =
      List.of(
          DailyMetricsSchema.EXPOSURE_GINI,
          DailyMetricsSchema.CTR,
          DailyMetricsSchema.NEW_CONTENT_CTR,
          DailyMetricsSchema.COLD_START_SUCCESS_RATE,
          DailyMetricsSchema.INTEREST_CATEGORIES,
          DailyMetricsSchema.INTEREST_ENTROPY,
          DailyMetricsSchema.NEXT_DAY_RETENTION,
          DailyMetricsSchema.GMV,
          DailyMetricsSchema.MEAN_DWELL_MS,
          DailyMetricsSchema.HEATING_COST,
          DailyMetricsSchema.HEATED_SHARE);

  /** The first metric column of a {@link DailyMetricsSchema} row (after dt and policy). */
  private static final int FIRST_METRIC_FIELD = 2;

  private static final String STATE = "_state";

  private final SparkSession spark;
  private final SimulateLoopConfig config;
  private final Consumer<KindlingServingPolicy.Served> observer;

  public SimulateLoopJob(SparkSession spark, SimulateLoopConfig config) {
    this(spark, config, null);
  }

  /**
   * A job whose kindling arm also hands every served request's inputs and decision to {@code
   * observer} (called from the simulator's threads). For tests of the serving adapter.
   */
  SimulateLoopJob(
      SparkSession spark,
      SimulateLoopConfig config,
      Consumer<KindlingServingPolicy.Served> observer) {
    this.spark = spark;
    this.config = config;
    this.observer = observer;
  }

  public SimulateLoopResult run() {
    long started = System.nanoTime();
    Lakehouse main = new Lakehouse(spark, config.lakehouseRoot());
    main.deletePath(config.armDir());
    Lakehouse arm = new Lakehouse(spark, config.armRoot());
    LOG.info(
        "simulate-loop: arm {} ({} policy) seed {} in {}: {} warm-up days from {}, loop days {}..{}",
        config.arm(),
        config.policy(),
        config.seed(),
        arm.root(),
        config.warmUpDays(),
        config.startDate(),
        config.firstLoopDate(),
        config.lastDate());
    RawLogWriter writer = new RawLogWriter(spark, arm, STAGE);
    SwitchedServing serving = new SwitchedServing();
    SwitchedHeating heating = new SwitchedHeating();
    Simulator simulator = new Simulator(config.world(), serving, heating);
    ServingPolicy logging = LoggingServingPolicy.fromConfig(config.world());
    HeatingPolicy manual = ManualHeatingPolicy.fromConfig(config.world());
    boolean kindling = config.policy().equals(ConfigKeys.LOOP_POLICY_KINDLING);
    LoopObservations observations = kindling ? new LoopObservations(config.replayParams()) : null;

    PolicyClient client = null;
    Traffic traffic = new Traffic();
    Map<LocalDate, String> servedBy = new LinkedHashMap<>();
    List<DailyMetrics> daily = new ArrayList<>();
    long loopImpressions = 0;
    int total = config.warmUpDays() + config.days();
    for (int i = 0; i < total; i++) {
      LocalDate day = config.startDate().plusDays(i);
      boolean loopDay = i >= config.warmUpDays();
      if (!loopDay || config.policy().equals(ConfigKeys.LOOP_POLICY_POPULARITY)) {
        serving.use(logging);
        heating.use(manual);
      } else if (config.policy().equals(ConfigKeys.LOOP_POLICY_EPSILON)) {
        serving.use(
            new LoggingServingPolicy(config.epsilon(), config.world().explorationProtectionDays()));
        heating.use(manual);
      } else {
        client = latestPolicy(arm, day, client);
        servedBy.put(day, client.manifest().runDate());
        serving.use(
            new KindlingServingPolicy(
                client,
                observations,
                startOfDayStates(arm, day),
                client.shape().hasEncoder() ? interactions(arm, day) : null,
                observer));
        heating.use(
            new QuotaHeatingPolicy(
                client, traffic.feedRequests, traffic.impressions, config.heatingCap()));
      }
      RawLogWriter.DayWriter events = writer.day(day);
      Traffic counted = new Traffic();
      SimDay simulated =
          simulator.simulateDay(
              day,
              event -> {
                events.accept(event);
                counted.add(event);
              });
      events.finish();
      writer.writeItemsAndUsers(simulator);
      traffic = counted;
      if (loopDay) {
        loopImpressions += simulated.impressions();
      }
      LOG.info(
          "simulate-loop {} ({}): {} impressions, {} clicks, {} heated, {} active users",
          day,
          loopDay ? config.arm() : "warm-up",
          simulated.impressions(),
          simulated.clicks(),
          simulated.heatedImpressions(),
          simulated.activeUsers());
      if (kindling && i < total - 1) {
        runNightly(day);
      } else {
        new ValidateJob(spark, config.validate(day)).run();
      }
      if (loopDay && i > config.warmUpDays()) {
        daily.add(writeMetrics(main, arm, day.minusDays(1)));
      }
    }
    daily.add(writeMetrics(main, arm, config.lastDate()));
    SimulateLoopResult result =
        new SimulateLoopResult(
            config.arm(),
            config.seed(),
            arm.root(),
            config.firstLoopDate(),
            config.lastDate(),
            loopImpressions,
            daily,
            means(daily),
            servedBy,
            (System.nanoTime() - started) / NANOS_PER_SECOND);
    LOG.info("{}", result);
    return result;
  }

  /** Runs the nightly job for {@code day} in the arm; a failure is logged and the loop goes on. */
  private void runNightly(LocalDate day) {
    try {
      new NightlyJob(spark, config.nightly(day)).run();
    } catch (KindlingException e) {
      LOG.warn(
          "simulate-loop: the nightly run of {} in the {} arm failed, so no policy was published"
              + " for it; the next day is served by the last published policy. Reason: {}",
          day,
          config.arm(),
          e.getMessage());
    }
  }

  /**
   * The policy serving {@code day}: the arm's {@code LATEST}, which should be the artifact of the
   * day before; an older one (publish blocked or failed) is served with a warning, and without any
   * the previous client stays.
   */
  private PolicyClient latestPolicy(Lakehouse arm, LocalDate day, PolicyClient previous) {
    LocalDate expected = day.minusDays(1);
    PolicyClient client;
    try {
      client = PolicyClient.loadLatest(arm.localPath(TrainJob.POLICY_ARTIFACTS));
    } catch (PolicyArtifactException e) {
      if (previous == null) {
        throw Errors.of(
            "simulate-loop cannot serve "
                + day
                + ": no policy was published in "
                + arm.root()
                + ".",
            "The kindling arm serves each loop day with the policy the nightly job published for"
                + " the day before, and that run failed or its publication was refused ("
                + e.getMessage()
                + ").",
            "Read the nightly warnings above; check that publish.allow-unevaluated or the"
                + " evaluation gate lets a policy through, or add warm-up days"
                + " (simulate-loop.warm-up-days).");
      }
      LOG.warn(
          "simulate-loop {}: LATEST cannot be loaded ({}); keeping the policy of {}",
          day,
          e.getMessage(),
          previous.manifest().runDate());
      return previous;
    }
    if (!client.manifest().runDate().equals(expected.toString())) {
      LOG.warn(
          "simulate-loop {}: no policy was published for {} (blocked or failed); serving the last"
              + " published one, {}",
          day,
          expected,
          client.manifest().runDate());
    } else {
      LOG.info(
          "simulate-loop {}: serving the policy published for {} ({} items with a quota)",
          day,
          expected,
          client.quotaItems());
    }
    return client;
  }

  /**
   * Per user, the start-of-day state the replay stage uses for {@code day}: the latest {@code
   * user_mind_state} row of the partition of the day before (the partition ReplayJob passes).
   */
  private Map<String, StartOfDayState> startOfDayStates(Lakehouse arm, LocalDate day) {
    Column dt = col(UserMindStateSchema.DT);
    Column state =
        struct(
            col(UserMindStateSchema.EXPLOITATION_SCORE),
            col(UserMindStateSchema.CURIOSITY),
            col(UserMindStateSchema.FATIGUE),
            col(UserMindStateSchema.SATISFACTION),
            col(UserMindStateSchema.INTEREST_BREADTH),
            col(UserMindStateSchema.INTEREST_ENTROPY),
            col(UserMindStateSchema.DAYS_ACTIVE),
            col(UserMindStateSchema.IN_PROTECTION_PERIOD));
    List<Row> rows =
        JobGroups.run(
            spark,
            STAGE,
            "collect the start-of-day states of " + day,
            () ->
                arm.read(Table.USER_MIND_STATE, day.minusDays(1))
                    .where(dt.lt(lit(Date.valueOf(day))))
                    .groupBy(UserMindStateSchema.USER_ID)
                    .agg(max_by(state, dt).as(STATE))
                    .select(col(UserMindStateSchema.USER_ID), col(STATE + ".*"))
                    .collectAsList());
    Map<String, StartOfDayState> states = new HashMap<>(rows.size() * 2);
    for (Row r : rows) {
      states.put(
          r.getString(0),
          new StartOfDayState(
              r.getDouble(1),
              r.getDouble(2),
              r.getDouble(3),
              r.getDouble(4),
              r.getInt(5),
              r.getDouble(6),
              r.getInt(7),
              r.getBoolean(8)));
    }
    LOG.info("simulate-loop {}: {} users start the day with a mind state", day, states.size());
    return states;
  }

  /**
   * Per user, the impressions of the encoder window's days before {@code day} ({@code
   * replay.encoder.window-days}, the served day included, so the days before it), as the replay's
   * encoder columns of {@code day} will read them; the served day's own come from the simulator.
   * Cost: one read of those days' validated events, grouped by user and collected (every
   * impression: item ID, time and two flags).
   */
  private LoopInteractions interactions(Lakehouse arm, LocalDate day) {
    ReplayConfig.Encoder encoder =
        config
            .nightly(day)
            .replay()
            .encoder()
            .orElseThrow(
                () ->
                    Errors.of(
                        "simulate-loop "
                            + day
                            + ": the published policy reads the behaviour-sequence encoder but"
                            + " replay.encoder.enabled is false.",
                        "The loop serves with the encoder inputs its replay builds.",
                        "Set replay.encoder.enabled=true for the arm, or start it afresh."));
    List<Row> rows =
        JobGroups.run(
            spark,
            STAGE,
            "collect the recent impressions before " + day,
            () ->
                EncoderReplay.impressionsByUser(
                        arm.read(
                            Table.VALIDATED_EVENTS,
                            day.minusDays(encoder.windowDays() - 1L),
                            day.minusDays(1)))
                    .collectAsList());
    Map<String, LoopInteractions.History> histories = new HashMap<>(rows.size() * 2);
    long impressions = 0;
    for (Row r : rows) {
      List<Row> shown = r.getList(1);
      int n = shown.size();
      long[] ts = new long[n];
      String[] items = new String[n];
      boolean[] clicked = new boolean[n];
      boolean[] completed = new boolean[n];
      for (int i = 0; i < n; i++) {
        Row one = shown.get(i);
        ts[i] = ((Timestamp) one.get(0)).getTime();
        items[i] = one.getString(2);
        clicked[i] = !one.isNullAt(3) && one.getBoolean(3);
        completed[i] = !one.isNullAt(4) && one.getBoolean(4);
      }
      histories.put(r.getString(0), new LoopInteractions.History(ts, items, clicked, completed));
      impressions += n;
    }
    LOG.info(
        "simulate-loop {}: {} impressions of {} users before it for the encoder",
        day,
        impressions,
        histories.size());
    return new LoopInteractions(histories);
  }

  /** Computes and writes the metrics and the Lorenz curve of {@code day}; returns the metrics. */
  private DailyMetrics writeMetrics(Lakehouse main, Lakehouse arm, LocalDate day) {
    Dataset<Row> events =
        arm.read(
                Table.VALIDATED_EVENTS,
                day.minusDays(config.metrics().lookbackDays()),
                day.plusDays(1))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> items = arm.rawItems();
      DailyMetrics metrics;
      double[] curve;
      try {
        metrics =
            JobGroups.run(
                spark,
                STAGE,
                "metrics of " + day,
                () -> DailyMetrics.compute(events, items, day, config.arm(), config.metrics()));
        curve =
            JobGroups.run(
                spark,
                STAGE,
                "exposure Lorenz curve of " + day,
                () -> ExposureMetrics.lorenzCurve(events, items, day, LORENZ_POINTS));
      } catch (IllegalArgumentException e) {
        throw Errors.of(
            "simulate-loop cannot measure "
                + day
                + " of the "
                + config.arm()
                + " arm: "
                + e.getMessage()
                + ".",
            "The metrics read the arm's validated_events, which the validate stage (or the nightly"
                + " run) writes for every simulated day.",
            "Read the warnings above for a failed stage of that day and re-run the arm.");
      }
      List<Row> rows = evaluationRows(metrics, curve);
      JobGroups.run(
          spark,
          STAGE,
          "write evaluation rows of " + day,
          () ->
              main.replaceRows(
                  Table.EVALUATION,
                  day,
                  predicate(config.seed(), config.arm()),
                  spark.createDataFrame(rows, EvaluationSchema.SCHEMA)));
      return metrics;
    } finally {
      events.unpersist();
    }
  }

  /** The {@code evaluation} rows this loop owns for one date: its run, seed and arm. */
  static String predicate(long seed, String arm) {
    return EvaluationSchema.RUN
        + " = '"
        + EvaluationSchema.RUN_SIMULATE_LOOP
        + "' AND "
        + EvaluationSchema.SEED
        + " = "
        + seed
        + " AND "
        + EvaluationSchema.POLICY
        + " = '"
        + arm
        + "'";
  }

  /** One metric row per {@link DailyMetricsSchema} value and one curve row per point. */
  private List<Row> evaluationRows(DailyMetrics metrics, double[] curve) {
    Date dt = Date.valueOf(metrics.dt());
    Row values = metrics.toRow();
    String[] names = DailyMetricsSchema.SCHEMA.fieldNames();
    List<Row> rows = new ArrayList<>();
    for (int f = FIRST_METRIC_FIELD; f < names.length; f++) {
      Object value = values.get(f);
      rows.add(
          RowFactory.create(
              dt,
              EvaluationSchema.RUN_SIMULATE_LOOP,
              config.seed(),
              config.arm(),
              EvaluationSchema.KIND_METRIC,
              names[f],
              OBSERVED,
              value == null ? null : ((Number) value).doubleValue(),
              null,
              null,
              metrics.impressions(),
              null,
              null));
    }
    for (int p = 0; p < curve.length; p++) {
      rows.add(
          RowFactory.create(
              dt,
              EvaluationSchema.RUN_SIMULATE_LOOP,
              config.seed(),
              config.arm(),
              EvaluationSchema.KIND_CURVE,
              EXPOSURE_LORENZ,
              null,
              curve[p],
              null,
              null,
              metrics.catalogItems(),
              p,
              null));
    }
    return rows;
  }

  /** Per summary metric, the mean of its non-null daily values; null when every day's is null. */
  private static Map<String, Double> means(List<DailyMetrics> daily) {
    String[] names = DailyMetricsSchema.SCHEMA.fieldNames();
    Map<String, Double> means = new LinkedHashMap<>();
    for (String metric : SUMMARY_METRICS) {
      int field = List.of(names).indexOf(metric);
      double sum = 0;
      int n = 0;
      for (DailyMetrics day : daily) {
        Object value = day.toRow().get(field);
        if (value != null) {
          sum += ((Number) value).doubleValue();
          n++;
        }
      }
      means.put(metric, n == 0 ? null : sum / n);
    }
    return means;
  }

  /** A day's traffic, counted from its impressions: the next day's heating forecast. */
  private static final class Traffic {
    long impressions;
    long feedRequests;

    void add(ImpressionEvent event) {
      impressions++;
      if (event.position() == 0 && event.scenario().equals(Scenario.FEED.logName())) {
        feedRequests++;
      }
    }
  }

  /** The serving policy of the day being simulated; switched between days only. */
  private static final class SwitchedServing implements ServingPolicy {
    private volatile ServingPolicy current;

    void use(ServingPolicy policy) {
      current = policy;
    }

    @Override
    public ServingDecision decide(RequestContext context) {
      return current.decide(context);
    }
  }

  /** The heating policy of the day being simulated; switched between days only. */
  private static final class SwitchedHeating implements HeatingPolicy {
    private volatile HeatingPolicy current;

    void use(HeatingPolicy policy) {
      current = policy;
    }

    @Override
    public HeatingPlan plan(LocalDate day, List<SimItem> items, List<ItemStats> stats, long seed) {
      return current.plan(day, items, stats, seed);
    }
  }
}
