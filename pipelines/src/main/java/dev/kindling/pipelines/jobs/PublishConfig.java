package dev.kindling.pipelines.jobs;

import dev.kindling.pipelines.config.ConfigKeys;
import dev.kindling.pipelines.config.KindlingConfig;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PublishJob} needs: the lakehouse, the run date, the scenarios (the feature spec's
 * layout), whether an unevaluated policy may be published, how many artifacts to keep, and the git
 * commit of the build.
 *
 * @param lakehouseRoot the lakehouse root
 * @param runDate D, the policy and quotas to publish
 * @param scenarios the scenarios in agent order, as the policy was trained with
 * @param allowUnevaluated publish with the gate recorded as {@code not_evaluated} when there is no
 *     evaluation
 * @param keep artifact directories kept under {@code artifacts/policy}
 * @param gitCommit the build's git commit ({@value #GIT_COMMIT_PROPERTY}), or {@value
 *     #UNKNOWN_COMMIT}
 */
public record PublishConfig(
    String lakehouseRoot,
    LocalDate runDate,
    List<String> scenarios,
    boolean allowUnevaluated,
    int keep,
    String gitCommit) {

  /**
   * The JVM system property carrying the build's git commit; {@code bin/kindling} sets it from the
   * checkout the jar was run from (Maven here has no plugin to stamp it into the jar offline).
   */
  public static final String GIT_COMMIT_PROPERTY = "kindling.git-commit";

  /** The git commit recorded when {@value #GIT_COMMIT_PROPERTY} is not set. */
  public static final String UNKNOWN_COMMIT = "unknown";

  /** Checks every field; throws {@link IllegalArgumentException} naming the bad value. */
  public PublishConfig {
    Objects.requireNonNull(lakehouseRoot, "lakehouseRoot");
    Objects.requireNonNull(runDate, "runDate");
    scenarios = List.copyOf(scenarios);
    gitCommit = gitCommit == null || gitCommit.isBlank() ? UNKNOWN_COMMIT : gitCommit.trim();
    if (keep < 1) {
      throw new IllegalArgumentException("PublishConfig.keep must be positive, got " + keep);
    }
  }

  /** The publish config of {@code runDate} from the {@code publish.*} keys and the JVM's commit. */
  public static PublishConfig from(KindlingConfig config, LocalDate runDate) {
    return new PublishConfig(
        config.get(ConfigKeys.LAKEHOUSE_ROOT),
        runDate,
        config.get(ConfigKeys.SCENARIOS),
        config.get(ConfigKeys.PUBLISH_ALLOW_UNEVALUATED),
        config.get(ConfigKeys.PUBLISH_KEEP),
        System.getProperty(GIT_COMMIT_PROPERTY, UNKNOWN_COMMIT));
  }
}
