package dev.kindling.pipelines.jobs;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * What one {@link EvaluateJob} did.
 *
 * @param runDate D
 * @param rows rows written to {@code evaluation} for (D, {@code run = 'evaluate'})
 * @param steps replay steps of D evaluated (the seeded sample)
 * @param offPolicySteps of those, steps with a logged exploration decision (IPS/SNIPS/DM/DR)
 * @param fqeSteps steps the fitted-Q-evaluation critic was fitted on
 * @param published the published policy evaluated besides the candidate ({@code dt=X}), or null
 * @param passed whether the candidate passed the promotion gate
 * @param failedChecks the failed gate checks with their figures; empty when it passed
 * @param seconds wall-clock seconds of the job
 */
public record EvaluateResult(
    LocalDate runDate,
    long rows,
    long steps,
    long offPolicySteps,
    long fqeSteps,
    String published,
    boolean passed,
    List<String> failedChecks,
    double seconds) {

  /** Copies the failed checks. */
  public EvaluateResult {
    failedChecks = List.copyOf(failedChecks);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "evaluate %s: gate %s%s; %d evaluation rows (%d steps, %d with a logged exploration"
            + " decision, FQE on %d; published policy %s); %.1f s",
        runDate,
        passed ? "passed" : "FAILED",
        failedChecks.isEmpty() ? "" : " (" + String.join("; ", failedChecks) + ")",
        rows,
        steps,
        offPolicySteps,
        fqeSteps,
        published == null ? "none" : published,
        seconds);
  }
}
