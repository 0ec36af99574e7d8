package dev.kindling.agents.nets;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Training stopped because a value that must be finite was not (NaN or infinite inputs, targets,
 * losses or parameters) or because Q left its allowed range: the networks of the round must not be
 * published or checkpointed. The message names what failed, the bad value or count, and what to
 * check.
 */
public final class TrainingDivergedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String quantity;

  TrainingDivergedException(String quantity, String message) {
    super(message);
    this.quantity = quantity;
  }

  private TrainingDivergedException(String quantity, String message, Throwable cause) {
    super(message, cause);
    this.quantity = quantity;
  }

  /**
   * The same failure placed in a training run: the message starts with {@code round <round> of
   * <rounds>}, the quantity is kept and this exception becomes the cause.
   *
   * @param round the failing round, counted from 1
   * @param rounds the rounds the run planned
   */
  public TrainingDivergedException inRound(int round, int rounds) {
    return new TrainingDivergedException(
        quantity, "round " + round + " of " + rounds + ": " + getMessage(), this);
  }

  /** The quantity at fault, e.g. {@code reward}, {@code td_target} or {@code critic_1 params}. */
  public String quantity() {
    return quantity;
  }

  /**
   * Throws unless every element of {@code values} is finite. Cost: one pass over the array, a
   * second one only when it fails (to count the bad elements).
   *
   * @param quantity what the array holds, for the message
   * @param values the array to check
   * @param hint what to check when it fails
   */
  public static void requireFinite(String quantity, INDArray values, String hint) {
    if (!BooleanIndexing.or(values, Conditions.notFinite())) {
      return;
    }
    long nan = values.isNaN().castTo(DataType.INT64).sumNumber().longValue();
    long infinite = values.isInfinite().castTo(DataType.INT64).sumNumber().longValue();
    throw new TrainingDivergedException(
        quantity,
        quantity
            + " holds "
            + nan
            + " NaN and "
            + infinite
            + " infinite values out of "
            + values.length()
            + "; "
            + hint);
  }

  /**
   * Throws unless {@code value} is finite.
   *
   * @param quantity what the value is, for the message
   * @param value the value to check
   * @param hint what to check when it fails
   */
  public static void requireFinite(String quantity, double value, String hint) {
    if (!Double.isFinite(value)) {
      throw new TrainingDivergedException(quantity, quantity + " is " + value + "; " + hint);
    }
  }

  /**
   * Throws when {@code |value|} exceeds {@code bound}: Q has diverged.
   *
   * @param quantity what the value is, for the message
   * @param value the value to check
   * @param bound the largest allowed magnitude
   */
  public static void requireWithin(String quantity, double value, double bound) {
    if (!(Math.abs(value) <= bound)) {
      throw new TrainingDivergedException(
          quantity,
          quantity
              + " is "
              + value
              + ", beyond the divergence bound "
              + bound
              + "; lower the learning rates or gamma, or raise the bound if rewards are that"
              + " large");
    }
  }
}
