package dev.kindling.pipelines;

/**
 * A user-facing failure: what was wrong, why it matters and how to fix it. The CLI prints the
 * message alone (no stack trace) and exits non-zero; build instances with {@link Errors}.
 */
public class KindlingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public KindlingException(String message) {
    super(message);
  }

  public KindlingException(String message, Throwable cause) {
    super(message, cause);
  }
}
