package dev.kindling.pipelines.jobs;

import dev.kindling.features.ope.OpeEstimate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks of the promotion gate that {@link EvaluateJob} writes and {@link PublishJob} honours,
 * each a pure function of the figures it judges, and the decision (every check passed).
 */
public final class PromotionGate {

  /** Check: the candidate's value against the logging policy's. */
  public static final String VALUE = "value";

  /** Check: the candidate's estimated CTR loss. */
  public static final String CTR_LOSS = "ctr_loss";

  /** Check: no exploration for users in their protection period. */
  public static final String PROTECTION_PERIOD = "protection_period_exploration";

  /** Check: the candidate's mean exploration probability against the status quo's rate. */
  public static final String EXPLORATION_RATE = "exploration_rate";

  private PromotionGate() {}

  /**
   * One check's outcome.
   *
   * @param metric the check's name ({@link #VALUE}, {@link #CTR_LOSS}, {@link #PROTECTION_PERIOD})
   * @param passed whether it passed
   * @param detail the figures it judged and the rule
   */
  public record Check(String metric, boolean passed, String detail) {

    /** The check as one line: name, outcome and figures. */
    public String describe() {
      return metric + " " + (passed ? "passed" : "failed") + ": " + detail;
    }
  }

  /**
   * Passes when the lower confidence bound of the candidate's value minus the logging policy's is
   * at least {@code -tolerance}: the candidate's value is not below the logging policy's by more
   * than the tolerance, judged on the paired difference (both values estimated on the same steps,
   * so the noise of the steps they share cancels and the interval is that of the difference
   * itself).
   *
   * @param candidate the candidate's estimate of reward per step
   * @param loggingValue the logging policy's value by the same estimator
   * @param difference the estimate of candidate minus logging on the same steps, with its interval
   * @param tolerance how far below the logging value the candidate may lie
   */
  public static Check value(
      OpeEstimate candidate, double loggingValue, OpeEstimate difference, double tolerance) {
    boolean passed = Double.isFinite(difference.lower()) && difference.lower() >= -tolerance;
    return new Check(
        VALUE,
        passed,
        String.format(
            Locale.ROOT,
            "DR reward per step: candidate %.4f, logging %.4f; candidate minus logging %.4f, %.0f%%"
                + " lower bound %.4f %s -evaluate.value-tolerance %.4f (%d steps; DR decides: it"
                + " is unbiased with the logged propensities whatever the reward model)",
            candidate.estimate(),
            loggingValue,
            difference.estimate(),
            difference.level() * 100,
            difference.lower(),
            passed ? ">=" : "<",
            -tolerance,
            difference.rows()));
  }

  /**
   * Passes when the relative CTR loss {@code 1 - candidateCtr / loggingCtr} is at most {@code
   * maxLoss}; a logging CTR of 0 cannot be lost.
   */
  public static Check ctrLoss(double candidateCtr, double loggingCtr, double maxLoss) {
    double loss = loggingCtr > 0 ? 1.0 - candidateCtr / loggingCtr : 0.0;
    boolean passed = Double.isFinite(loss) && loss <= maxLoss;
    return new Check(
        CTR_LOSS,
        passed,
        String.format(
            Locale.ROOT,
            "estimated CTR loss %.2f%% (candidate DR clicks per impression %.4f, logging %.4f) %s"
                + " evaluate.max-ctr-loss %.2f%%",
            loss * 100,
            candidateCtr,
            loggingCtr,
            passed ? "<=" : ">",
            maxLoss * 100));
  }

  /**
   * Passes when the exploration probability the policy serves is exactly 0 on every step of a user
   * in the protection period.
   *
   * @param protectedSteps steps whose raw observation has {@code in_protection_period = 1}
   * @param exploringSteps of those, steps served a positive exploration probability
   * @param maxServed the largest exploration probability served on them (0 when none)
   */
  public static Check protectionPeriod(long protectedSteps, long exploringSteps, double maxServed) {
    boolean passed = exploringSteps == 0;
    return new Check(
        PROTECTION_PERIOD,
        passed,
        protectedSteps == 0
            ? "no step of D's sample is of a user in the protection period; nothing to check"
            : String.format(
                Locale.ROOT,
                "%d of %d steps of users in their protection period served a positive exploration"
                    + " probability (largest %.6f); the rule is exactly 0 (no exploration in a new"
                    + " user's first days, enforced in PolicyClient.act)",
                exploringSteps,
                protectedSteps,
                maxServed));
  }

  /**
   * Passes when the candidate's mean served exploration probability lies within {@code [reference /
   * band, reference × band]}, the reference being the status quo's mean rate on the same steps
   * (each step's scenario's reference action, recorded with the policy when it was trained). The
   * off-policy value check cannot see a policy that drifts into exploring almost never or far more
   * than the platform does: both change what the next night's logs can teach (seen in the closed
   * loop: one seed's policy explored 0.2% of requests, another's 9.2%, against 4.3%). Without a
   * recorded reference there is nothing to compare with and the check passes, saying so.
   *
   * @param steps the steps both means are over
   * @param candidateMean the candidate's mean served exploration probability on them
   * @param referenceMean the status quo's mean rate on them, NaN when the policy records none
   * @param band the allowed factor, at least 1
   */
  public static Check explorationRate(
      long steps, double candidateMean, double referenceMean, double band) {
    if (Double.isNaN(referenceMean)) {
      return new Check(
          EXPLORATION_RATE,
          true,
          String.format(
              Locale.ROOT,
              "the candidate records no status-quo reference actions (train.reference-weight 0 or"
                  + " none found); mean exploration probability %.4f over %d steps, nothing to"
                  + " compare with",
              candidateMean,
              steps));
    }
    double low = referenceMean / band;
    double high = referenceMean * band;
    boolean passed = candidateMean >= low && candidateMean <= high;
    return new Check(
        EXPLORATION_RATE,
        passed,
        String.format(
            Locale.ROOT,
            "mean exploration probability %.4f (status quo %.4f) %s [%.4f, %.4f] (factor"
                + " evaluate.exploration-band %.2f; %d steps)",
            candidateMean,
            referenceMean,
            passed ? "within" : "outside",
            low,
            high,
            band,
            steps));
  }

  /** The decision: passed when every check passed; detail lists the failed checks, or all. */
  public static Check decision(List<Check> checks) {
    List<String> failed = new ArrayList<>();
    for (Check check : checks) {
      if (!check.passed()) {
        failed.add(check.describe());
      }
    }
    String detail =
        failed.isEmpty()
            ? "every check passed: "
                + String.join(", ", checks.stream().map(Check::metric).toList())
            : String.join("; ", failed);
    return new Check(dev.kindling.features.schema.EvaluationSchema.GATE, failed.isEmpty(), detail);
  }
}
