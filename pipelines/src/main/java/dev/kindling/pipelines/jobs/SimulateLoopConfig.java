package dev.kindling.pipelines.jobs;

import dev.kindling.agents.sim.SimulatorConfig;
import dev.kindling.features.metrics.MetricParams;
import dev.kindling.features.replay.ReplayParams;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What {@link SimulateLoopJob} needs: the main lakehouse (where the {@code evaluation} rows go),
 * the arm (policy, seed, its own world lakehouse under the main root), the loop's length, the
 * simulated world, and the arm's own config for the nightly stages it runs.
 *
 * @param lakehouseRoot the main lakehouse
 * @param armDir the arm's world lakehouse, relative to {@code lakehouseRoot}
 * @param policy {@code popularity}, {@code epsilon} or {@code kindling}: what serves the loop days
 * @param arm the arm's name: its directory ({@code seed=S/policy=arm}) and the {@code policy} of
 *     its {@code evaluation} rows; the policy's name unless two arms of one policy differ in
 *     settings (e.g. {@code kindling-encoder})
 * @param seed the world's seed
 * @param warmUpDays days served by the logging policy before the loop
 * @param days loop days served by the arm's policy
 * @param epsilon the exploration rate of the {@code epsilon} arm
 * @param world the simulated world, seeded with {@code seed}
 * @param armConfig the whole config with {@code lakehouse.root} pointing at the arm
 * @param metrics the parameters of the daily metrics
 */
public record SimulateLoopConfig(
    String lakehouseRoot,
    String armDir,
    String policy,
    String arm,
    long seed,
    int warmUpDays,
    int days,
    double epsilon,
    SimulatorConfig world,
    KindlingConfig armConfig,
    MetricParams metrics) {

  public SimulateLoopConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(armDir, "armDir");
    Objects.requireNonNull(arm, "arm");
    Objects.requireNonNull(world, "world");
    Objects.requireNonNull(armConfig, "armConfig");
    Objects.requireNonNull(metrics, "metrics");
    if (!List.of(
            ConfigKeys.LOOP_POLICY_POPULARITY,
            ConfigKeys.LOOP_POLICY_EPSILON,
            ConfigKeys.LOOP_POLICY_KINDLING)
        .contains(policy)) {
      throw new IllegalArgumentException("unknown loop policy '" + policy + "'");
    }
    if (warmUpDays < 1 || days < 1) {
      throw new IllegalArgumentException(
          "warm-up and loop days must be at least 1, got " + warmUpDays + " and " + days);
    }
    if (world.seed() != seed) {
      throw new IllegalArgumentException(
          "the world's seed " + world.seed() + " must be the loop's seed " + seed);
    }
  }

  /** The first simulated (warm-up) day. */
  public LocalDate startDate() {
    return world.startDate();
  }

  /** The first loop day, served by the arm's policy. */
  public LocalDate firstLoopDate() {
    return world.startDate().plusDays(warmUpDays);
  }

  /** The last loop day. */
  public LocalDate lastDate() {
    return firstLoopDate().plusDays(days - 1L);
  }

  /** The arm's world lakehouse root. */
  public String armRoot() {
    return armConfig.get(ConfigKeys.LAKEHOUSE_ROOT);
  }

  /** The nightly run of day {@code day} in the arm's lakehouse, built as {@code nightly} does. */
  public NightlyConfig nightly(LocalDate day) {
    return NightlyConfig.from(armConfig, day);
  }

  /** The validate stage of day {@code day} in the arm's lakehouse. */
  public ValidateConfig validate(LocalDate day) {
    return ValidateConfig.from(armConfig, day);
  }

  /** The replay parameters the arm's replay stage builds observations with. */
  public ReplayParams replayParams() {
    return ReplayConfig.from(armConfig, startDate()).params();
  }

  /** The largest heated share of traffic ({@code allocate.heating-cap}). */
  public double heatingCap() {
    return armConfig.get(ConfigKeys.ALLOCATE_HEATING_CAP);
  }

  /** The arm's directory under a loops directory: {@code seed=S/policy=A}, A the arm's name. */
  public static String armDir(String loopsDir, long seed, String arm) {
    return loopsDir + "/seed=" + seed + "/policy=" + arm;
  }

  public static SimulateLoopConfig from(KindlingConfig config) {
    String root = config.get(ConfigKeys.LAKEHOUSE_ROOT);
    long seed = config.get(ConfigKeys.SIMULATE_LOOP_SEED);
    String policy = config.get(ConfigKeys.SIMULATE_LOOP_POLICY);
    String named = config.get(ConfigKeys.SIMULATE_LOOP_ARM);
    String arm = named.isEmpty() ? policy : named;
    String armDir = armDir(config.get(ConfigKeys.SIMULATE_LOOP_DIR), seed, arm);
    String trimmed = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    KindlingConfig armConfig =
        config.withOverrides(
            List.of(ConfigKeys.LAKEHOUSE_ROOT.path() + "=" + trimmed + "/" + armDir));
    SimulatorConfig world = SimulateConfig.from(config).simulator().withSeed(seed);
    return new SimulateLoopConfig(
        root,
        armDir,
        policy,
        arm,
        seed,
        config.get(ConfigKeys.SIMULATE_LOOP_WARM_UP_DAYS),
        config.get(ConfigKeys.SIMULATE_LOOP_DAYS),
        config.get(ConfigKeys.SIMULATE_LOOP_EPSILON),
        world,
        armConfig,
        MetricParams.defaults());
  }
}
