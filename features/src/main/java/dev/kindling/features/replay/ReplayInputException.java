package dev.kindling.features.replay;

import java.time.LocalDate;
import java.util.Locale;

/**
 * The run date's events cannot make replay transitions at all: the whole stage stops. The message
 * names the missing column, the stage that needs it, why, and how to fix it; every such message is
 * built here.
 */
public final class ReplayInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String column;

  private ReplayInputException(String message, String column) {
    super(message);
    this.column = column;
  }

  /** The column the replay stage needed and did not get. */
  public String column() {
    return column;
  }

  /**
   * The error for events that carry no column {@code column} at all.
   *
   * @param column the absent column
   * @param runDate the run date
   */
  static ReplayInputException absentColumn(String column, LocalDate runDate) {
    return new ReplayInputException(
        String.format(
            Locale.ROOT,
            "The events of %s have no column '%s'. The replay stage needs it: a transition's"
                + " action a is the logging policy's ranking weights for the request, and the"
                + " critic and actors learn from logged (o, a, r) only. Fix: pass the validated"
                + " events (validation adds absent optional columns as nulls), and have the"
                + " platform log '%s' (array<float>, the ranking weights per request); until then,"
                + " skip replay and train for this date.",
            runDate,
            column,
            column),
        column);
  }

  /**
   * The error for a day whose every ranking request has a null {@code column}.
   *
   * @param column the column without values
   * @param runDate the run date
   * @param steps the day's ranking requests
   */
  static ReplayInputException noLoggedValues(String column, LocalDate runDate, long steps) {
    return new ReplayInputException(
        String.format(
            Locale.ROOT,
            "All %d ranking requests of %s have a null '%s': the logs carry no logged actions"
                + " (older logs or another platform). The replay stage needs '%s' to build"
                + " transitions: the critic and actors learn from logged (o, a, r) only. Fix: have"
                + " the platform log '%s' (array<float>, the ranking weights of each request) and"
                + " re-land and re-validate the day; until then, skip replay and train for this"
                + " date (validate, features, scoring, allocation and metrics do not need it).",
            steps,
            runDate,
            column,
            column,
            column),
        column);
  }
}
