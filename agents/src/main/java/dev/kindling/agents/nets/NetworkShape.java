package dev.kindling.agents.nets;

import java.io.Serializable;

/**
 * The sizes, learning rates and seed of the MA-RDPG networks: the communication encoder, the
 * centralized critic and the per-scenario actors. Validated on construction; every factory in
 * {@link Networks} reads only this record.
 *
 * <p>An action, as the critic and the history see it, is the ranking weights followed by the
 * exploration probability: {@link #jointActionSize()} = {@code actionSize + 1}.
 *
 * @param observationSize length of an observation vector {@code o}
 * @param actionSize number of ranking weights (the actor's softmax output; 6 in the log contract)
 * @param historySteps T, the number of previous (o, a) steps the LSTM encoder reads
 * @param agents number of scenarios, each with its own private actor
 * @param messageSize LSTM units, the length of the communication message h
 * @param actorHidden1 width of the actor's first hidden layer (32 in MA-RDPG)
 * @param actorHidden2 width of the actor's second hidden layer (32 in MA-RDPG)
 * @param criticHidden1 width of the critic's first hidden layer
 * @param criticHidden2 width of the critic's second hidden layer
 * @param actorLearningRate Adam learning rate of the actors
 * @param criticLearningRate Adam learning rate of the critics
 * @param seed seed of the weight initialisation
 * @param encoder the behaviour-sequence encoder every actor and critic reads beside the observation
 *     ({@link Networks#addSequenceEncoder}), or null for networks without one (every policy written
 *     before the encoder existed loads as null)
 */
public record NetworkShape(
    int observationSize,
    int actionSize,
    int historySteps,
    int agents,
    int messageSize,
    int actorHidden1,
    int actorHidden2,
    int criticHidden1,
    int criticHidden2,
    double actorLearningRate,
    double criticLearningRate,
    long seed,
    EncoderShape encoder)
    implements Serializable {

  /** Length of the exploration-probability output (one sigmoid). */
  public static final int EXPLORATION_SIZE = 1;

  /** LSTM units of the communication encoder by default. */
  public static final int DEFAULT_MESSAGE_SIZE = 32;

  /** Actor hidden width by default, as in MA-RDPG (32/32). */
  public static final int DEFAULT_ACTOR_HIDDEN = 32;

  /** Critic hidden width by default (64/64). */
  public static final int DEFAULT_CRITIC_HIDDEN = 64;

  /** Adam learning rate of the actors by default. */
  public static final double DEFAULT_ACTOR_LEARNING_RATE = 1e-3;

  /** Adam learning rate of the critics by default. */
  public static final double DEFAULT_CRITIC_LEARNING_RATE = 1e-3;

  /** Validates every field; throws {@link IllegalArgumentException} naming the bad value. */
  public NetworkShape {
    requirePositive("observationSize", observationSize);
    requirePositive("actionSize", actionSize);
    requirePositive("historySteps", historySteps);
    requirePositive("agents", agents);
    requirePositive("messageSize", messageSize);
    requirePositive("actorHidden1", actorHidden1);
    requirePositive("actorHidden2", actorHidden2);
    requirePositive("criticHidden1", criticHidden1);
    requirePositive("criticHidden2", criticHidden2);
    requireRate("actorLearningRate", actorLearningRate);
    requireRate("criticLearningRate", criticLearningRate);
  }

  /**
   * A shape with the default message size, hidden widths and learning rates.
   *
   * @param observationSize length of an observation vector
   * @param actionSize number of ranking weights
   * @param historySteps T, steps of history the encoder reads
   * @param agents number of scenarios
   * @param seed seed of the weight initialisation
   */
  public static NetworkShape of(
      int observationSize, int actionSize, int historySteps, int agents, long seed) {
    return new NetworkShape(
        observationSize,
        actionSize,
        historySteps,
        agents,
        DEFAULT_MESSAGE_SIZE,
        DEFAULT_ACTOR_HIDDEN,
        DEFAULT_ACTOR_HIDDEN,
        DEFAULT_CRITIC_HIDDEN,
        DEFAULT_CRITIC_HIDDEN,
        DEFAULT_ACTOR_LEARNING_RATE,
        DEFAULT_CRITIC_LEARNING_RATE,
        seed,
        null);
  }

  /** The same shape with another seed (twin critics differ only by seed). */
  public NetworkShape withSeed(long newSeed) {
    return new NetworkShape(
        observationSize,
        actionSize,
        historySteps,
        agents,
        messageSize,
        actorHidden1,
        actorHidden2,
        criticHidden1,
        criticHidden2,
        actorLearningRate,
        criticLearningRate,
        newSeed,
        encoder);
  }

  /** The same shape with other learning rates. */
  public NetworkShape withLearningRates(double actorRate, double criticRate) {
    return new NetworkShape(
        observationSize,
        actionSize,
        historySteps,
        agents,
        messageSize,
        actorHidden1,
        actorHidden2,
        criticHidden1,
        criticHidden2,
        actorRate,
        criticRate,
        seed,
        encoder);
  }

  /**
   * The same shape whose actors and critics read a behaviour-sequence encoder of {@code
   * encoderShape}, or none when it is null.
   */
  public NetworkShape withEncoder(EncoderShape encoderShape) {
    return new NetworkShape(
        observationSize,
        actionSize,
        historySteps,
        agents,
        messageSize,
        actorHidden1,
        actorHidden2,
        criticHidden1,
        criticHidden2,
        actorLearningRate,
        criticLearningRate,
        seed,
        encoderShape);
  }

  /** Whether the actors and critics read a behaviour-sequence encoder. */
  public boolean hasEncoder() {
    return encoder != null;
  }

  /** Length of the encoding the actors and critics read: the encoder's output, or 0 without one. */
  public int encodingSize() {
    return encoder == null ? 0 : encoder.outputSize();
  }

  /** Length of a joint action: the ranking weights followed by the exploration probability. */
  public int jointActionSize() {
    return actionSize + EXPLORATION_SIZE;
  }

  /** Features per history step: the observation followed by the joint action. */
  public int historyFeatures() {
    return observationSize + jointActionSize();
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(
          "NetworkShape." + name + " must be positive, got " + value);
    }
  }

  private static void requireRate(String name, double value) {
    if (!(value > 0.0 && value < 1.0)) {
      throw new IllegalArgumentException(
          "NetworkShape." + name + " must lie in (0, 1), got " + value);
    }
  }
}
