package dev.kindling.agents.system;

/** An outside weight source gave no usable weights; the message is the recorded reason. */
public final class WeightSourceException extends Exception {

  private static final long serialVersionUID = 1L;

  public WeightSourceException(String reason) {
    super(reason);
  }

  public WeightSourceException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
