package dev.kindling.pipelines.jobs;

import dev.kindling.agents.system.AllocationParams;
import dev.kindling.agents.system.BusinessWeights;
import dev.kindling.agents.system.KpiGapController;
import dev.kindling.agents.system.OpenAiWeightSource;
import dev.kindling.agents.system.OutsideWeightSource;
import dev.kindling.agents.system.WeightResolver;
import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link AllocateJob} needs: the lakehouse, the run date, the budget, caps and floor, the
 * traffic forecast window, the business weights and where they come from. Validated on
 * construction.
 *
 * @param lakehouseRoot the lakehouse root
 * @param runDate D: the scores allocated; the quotas serve D + 1
 * @param budgetPool heated impressions the budget pays for
 * @param heatingCap largest share of forecast traffic that may be heated
 * @param maxCtrCost largest relative loss of overall CTR the heating may cause, as estimated from
 *     the forecast window's heated and organic CTR ({@link AllocationParams#ctrBudgetedCap})
 * @param floorQuota fairness floor per eligible item (0 = none)
 * @param maxAgeDays only scored items younger than this at the end of D are eligible
 * @param creatorCapShare largest share of the pool one creator may take
 * @param creatorCapImpressions absolute per-creator cap (0 = none)
 * @param forecastDays days D−forecastDays+1..D whose mean daily impressions forecast D + 1
 * @param newContentHours an impression is on new content when its item is younger than this
 * @param configuredWeights the configured business weights
 * @param controller the KPI-gap controller
 * @param resolver bounds and the outside deviation limit
 * @param weightSource config, controller or outside
 * @param outside the outside source's endpoint, model, API-key variable and timeout
 */
public record AllocateConfig(
    String lakehouseRoot,
    LocalDate runDate,
    long budgetPool,
    double heatingCap,
    double maxCtrCost,
    long floorQuota,
    double maxAgeDays,
    double creatorCapShare,
    long creatorCapImpressions,
    int forecastDays,
    int newContentHours,
    BusinessWeights configuredWeights,
    KpiGapController controller,
    WeightResolver resolver,
    String weightSource,
    Outside outside) {

  /**
   * The outside weight source's settings.
   *
   * @param baseUrl the OpenAI-compatible endpoint's base URL
   * @param model the model name
   * @param apiKeyEnv the NAME of the environment variable with the API key
   * @param timeout connect and response timeout
   */
  public record Outside(String baseUrl, String model, String apiKeyEnv, Duration timeout) {

    /** Checks the fields are present. */
    public Outside {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(apiKeyEnv, "apiKeyEnv");
      Objects.requireNonNull(timeout, "timeout");
    }
  }

  /** Checks every field; throws {@link IllegalArgumentException} naming the bad value. */
  public AllocateConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    Objects.requireNonNull(configuredWeights, "configuredWeights");
    Objects.requireNonNull(controller, "controller");
    Objects.requireNonNull(resolver, "resolver");
    Objects.requireNonNull(outside, "outside");
    if (!Set.of(
            WeightResolver.SOURCE_CONFIG,
            WeightResolver.SOURCE_CONTROLLER,
            WeightResolver.SOURCE_OUTSIDE)
        .contains(weightSource)) {
      throw new IllegalArgumentException("unknown weight source '" + weightSource + "'");
    }
    if (!(maxCtrCost >= 0 && maxCtrCost <= 1)) {
      throw new IllegalArgumentException("maxCtrCost must be in [0, 1], got " + maxCtrCost);
    }
    if (!(maxAgeDays > 0)) {
      throw new IllegalArgumentException("maxAgeDays must be > 0, got " + maxAgeDays);
    }
    if (forecastDays < 1 || newContentHours < 1) {
      throw new IllegalArgumentException(
          "forecastDays and newContentHours must be positive, got "
              + forecastDays
              + " and "
              + newContentHours);
    }
    // The allocation's own checks, with a forecast of 0 (fields are not assigned yet here).
    new AllocationParams(
        budgetPool,
        heatingCap,
        0,
        floorQuota,
        creatorCapShare,
        creatorCapImpressions,
        configuredWeights);
  }

  /**
   * The allocation parameters for {@code forecastTraffic}, {@code weights} and the heating cap in
   * force ({@code heatingCap} or lower, see {@link AllocationParams#ctrBudgetedCap}).
   */
  public AllocationParams params(long forecastTraffic, BusinessWeights weights, double cap) {
    return new AllocationParams(
        budgetPool,
        cap,
        forecastTraffic,
        floorQuota,
        creatorCapShare,
        creatorCapImpressions,
        weights);
  }

  /** The outside weight source when {@code weightSource} is outside; the key from the env. */
  public Optional<OutsideWeightSource> outsideSource() {
    if (!WeightResolver.SOURCE_OUTSIDE.equals(weightSource)) {
      return Optional.empty();
    }
    return Optional.of(
        new OpenAiWeightSource(
            outside.baseUrl(),
            outside.model(),
            outside.apiKeyEnv(),
            outside.timeout(),
            System::getenv));
  }

  /**
   * The allocate config of {@code runDate} from the {@code allocate.*} keys.
   *
   * @throws dev.kindling.pipelines.KindlingException when the keys do not form a valid config
   */
  public static AllocateConfig from(KindlingConfig config, LocalDate runDate) {
    try {
      double min = config.get(ConfigKeys.ALLOCATE_WEIGHT_MIN);
      double max = config.get(ConfigKeys.ALLOCATE_WEIGHT_MAX);
      return new AllocateConfig(
          config.get(ConfigKeys.LAKEHOUSE_ROOT),
          runDate,
          config.get(ConfigKeys.ALLOCATE_BUDGET),
          config.get(ConfigKeys.ALLOCATE_HEATING_CAP),
          config.get(ConfigKeys.ALLOCATE_MAX_CTR_COST),
          config.get(ConfigKeys.ALLOCATE_FLOOR_QUOTA),
          config.get(ConfigKeys.ALLOCATE_MAX_AGE_DAYS),
          config.get(ConfigKeys.ALLOCATE_CREATOR_CAP_SHARE),
          config.get(ConfigKeys.ALLOCATE_CREATOR_CAP_IMPRESSIONS),
          config.get(ConfigKeys.ALLOCATE_FORECAST_DAYS),
          config.get(ConfigKeys.ALLOCATE_NEW_CONTENT_HOURS),
          BusinessWeights.normalised(
              config.get(ConfigKeys.ALLOCATE_WEIGHT_SATISFACTION),
              config.get(ConfigKeys.ALLOCATE_WEIGHT_REVENUE),
              config.get(ConfigKeys.ALLOCATE_WEIGHT_RETENTION)),
          new KpiGapController(
              config.get(ConfigKeys.ALLOCATE_TARGET_NEW_CONTENT_SHARE),
              config.get(ConfigKeys.ALLOCATE_TARGET_CTR),
              config.get(ConfigKeys.ALLOCATE_CONTROLLER_STEP),
              min,
              max),
          new WeightResolver(min, max, config.get(ConfigKeys.ALLOCATE_OUTSIDE_MAX_DEVIATION)),
          config.get(ConfigKeys.ALLOCATE_WEIGHT_SOURCE),
          new Outside(
              config.get(ConfigKeys.ALLOCATE_OUTSIDE_BASE_URL),
              config.get(ConfigKeys.ALLOCATE_OUTSIDE_MODEL),
              config.get(ConfigKeys.ALLOCATE_OUTSIDE_API_KEY_ENV),
              Duration.ofMillis(config.get(ConfigKeys.ALLOCATE_OUTSIDE_TIMEOUT_MS))));
    } catch (IllegalArgumentException e) {
      throw Errors.of(
          "Invalid allocate configuration: " + e.getMessage() + ".",
          "The allocate.* keys must form a valid allocation (weights not all 0, bounds that"
              + " admit three weights summing to 1).",
          "Fix the keys under 'allocate' (bin/kindling config lists them).");
    }
  }
}
