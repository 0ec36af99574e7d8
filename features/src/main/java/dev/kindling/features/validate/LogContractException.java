package dev.kindling.features.validate;

/**
 * A raw log whose schema breaks the log contract (a required column missing, or a column of a type
 * that cannot be cast to the contract's): the whole log is unusable, so the run stops. The message,
 * built by {@link ContractErrors}, names the log, the column, the expected and the found type, and
 * how to fix it.
 */
public final class LogContractException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String log;
  private final String column;
  private final String expectedType;
  private final String foundType;

  LogContractException(
      String message, String log, String column, String expectedType, String foundType) {
    super(message);
    this.log = log;
    this.column = column;
    this.expectedType = expectedType;
    this.foundType = foundType;
  }

  /** The raw log at fault: {@code events}, {@code items} or {@code users}. */
  public String log() {
    return log;
  }

  /** The column at fault. */
  public String column() {
    return column;
  }

  /** The contract's type of the column, in Spark's simple-string form (e.g. {@code int}). */
  public String expectedType() {
    return expectedType;
  }

  /** The type found in the log, or {@code absent} when the column is missing. */
  public String foundType() {
    return foundType;
  }
}
