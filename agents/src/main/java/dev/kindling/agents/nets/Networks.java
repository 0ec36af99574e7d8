package dev.kindling.agents.nets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.rnn.LastTimeStepVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SelfAttentionLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Pure static factories for the MA-RDPG networks, shared by the local and the Spark trainer: the
 * communication encoder (an LSTM over the last T steps' (o, a) whose last time step is the message
 * h), the centralized critic Q(h, o, a, agent), one private actor per scenario, and the graph that
 * trains an actor through a frozen critic (TD3+BC). Every network is a float32 {@link
 * ComputationGraph} built from a {@link NetworkShape} alone, so equal shapes give equal networks.
 *
 * <p>Input layouts: history {@code [batch, historyFeatures, T]} (DL4J's NCW recurrent format, each
 * step the observation followed by the joint action, oldest step first); observation {@code [batch,
 * observationSize]}; joint action {@code [batch, actionSize + 1]} (ranking weights, then the
 * exploration probability); agent one-hot {@code [batch, agents]}. When the shape has an encoder
 * ({@link NetworkShape#hasEncoder()}), every graph also takes {@link #RECENT} (with its feature
 * mask) and {@link #OLDER} after those inputs ({@link #inputs}, {@link #inputMasks}): the actor's
 * own encoder ({@link #ACTOR_ENCODER}) and the critic's ({@link #CRITIC_ENCODER}) each read them
 * and set their encoding beside the message and the observation; in {@link #actorTraining} the
 * critic's encoder is frozen with the rest of the critic.
 *
 * <p><b>The actor update.</b> DL4J has no autodiff across two networks, so {@link
 * #actorTraining(NetworkShape, double)} builds one graph: the actor's layers (trainable, named as
 * in {@link #actor(NetworkShape)}) feed their joint action into a copy of the critic whose layers
 * are {@link FrozenLayerWithBackprop} (named as in {@link #critic(NetworkShape)}): the gradient of
 * Q flows back into the actor while the critic's parameters stay fixed. Three loss heads share the
 * backward pass: {@link #Q_OBJECTIVE} maximises λ·Q with {@link MaximiseOutputLoss} (λ travels as
 * that head's label), {@link #WEIGHTS_BEHAVIOUR} pulls the ranking weights towards the logged ones
 * with an entropy bonus ({@link BehaviourEntropyLoss}), and {@link #EXPLORATION_BEHAVIOUR} pulls
 * the exploration probability towards the logged one. Parameters move between the graphs by layer
 * name ({@link #copyCriticInto}, {@link #copyActorInto}, {@link #copyActorFrom}); they are cheap
 * copies of a few thousand floats. The alternative, computing dQ/da with the critic's own backward
 * pass and feeding it to the actor as an external error, needs DL4J's internal workspace API and
 * gives the same gradient; the combined graph also fits through {@code SparkComputationGraph}
 * unchanged.
 */
public final class Networks {

  /** Input: the history of (o, a) steps, {@code [batch, historyFeatures, T]}. */
  public static final String HISTORY = "history";

  /** Input: the observation o, {@code [batch, observationSize]}. */
  public static final String OBSERVATION = "observation";

  /** Critic input: the joint action a, {@code [batch, actionSize + 1]}. */
  public static final String ACTION = "action";

  /** Critic input: the acting agent (scenario) one-hot, {@code [batch, agents]}. */
  public static final String AGENT = "agent";

  /** Critic layer: the communication encoder's LSTM. */
  public static final String CRITIC_LSTM = "critic_lstm";

  /** Critic vertex: the message h, the LSTM's last time step. */
  public static final String CRITIC_MESSAGE = "critic_message";

  /** Critic vertex: h, o, a and the agent one-hot side by side. */
  public static final String CRITIC_MERGE = "critic_merge";

  /** Critic layer: first hidden layer. */
  public static final String CRITIC_HIDDEN_1 = "critic_hidden_1";

  /** Critic layer: second hidden layer. */
  public static final String CRITIC_HIDDEN_2 = "critic_hidden_2";

  /** Critic output: Q, {@code [batch, 1]}. */
  public static final String Q = "q";

  /** Actor layer: the actor's own communication encoder LSTM. */
  public static final String ACTOR_LSTM = "actor_lstm";

  /** Actor vertex: the actor's message h. */
  public static final String ACTOR_MESSAGE = "actor_message";

  /** Actor vertex: h and o side by side. */
  public static final String ACTOR_MERGE = "actor_merge";

  /** Actor layer: first hidden layer. */
  public static final String ACTOR_HIDDEN_1 = "actor_hidden_1";

  /** Actor layer: second hidden layer. */
  public static final String ACTOR_HIDDEN_2 = "actor_hidden_2";

  /** Actor output: softmax over the ranking weights, {@code [batch, actionSize]}. */
  public static final String WEIGHTS = "weights";

  /** Actor output: sigmoid exploration probability, {@code [batch, 1]}. */
  public static final String EXPLORATION = "exploration";

  /** Actor-training vertex: the actor's joint action fed to the frozen critic. */
  public static final String JOINT_ACTION = "joint_action";

  /** Actor-training head: maximises λ·Q; label {@code [batch, 1]} holds λ. */
  public static final String Q_OBJECTIVE = "q_objective";

  /** Actor-training head: behaviour regulariser on the weights; label = logged weights. */
  public static final String WEIGHTS_BEHAVIOUR = "weights_behaviour";

  /** Actor-training head: behaviour regulariser on exploration; label = logged probability. */
  public static final String EXPLORATION_BEHAVIOUR = "exploration_behaviour";

  /**
   * Input: a user's last N interactions, {@code [batch, stepFeatures, N]} (NCW, oldest first), with
   * a feature mask {@code [batch, N]} that is 1 on real steps; every row needs at least one real
   * step ({@link #addSequenceEncoder}).
   */
  public static final String RECENT = "recent";

  /**
   * Input: the summary of a user's interactions before the last N, {@code [batch, summaryFeatures]}
   * ({@link EncoderShape#summaryFeatures()}).
   */
  public static final String OLDER = "older";

  /** Suffix of an encoder's self-attention layer ({@link #addSequenceEncoder}). */
  public static final String ENCODER_ATTENTION = "_attention";

  /** Suffix of an encoder's masked average over the recent steps. */
  public static final String ENCODER_POOL = "_pool";

  /** Suffix of an encoder's vertex that sets the pooled steps beside the older summary. */
  public static final String ENCODER_MERGE = "_merge";

  /** Suffix of an encoder's output layer: the encoding, {@code [batch, outputSize]}. */
  public static final String ENCODER_OUTPUT = "_encoding";

  /** Prefix of an actor's behaviour-sequence encoder ({@link #addSequenceEncoder}). */
  public static final String ACTOR_ENCODER = "actor_encoder";

  /** Prefix of a critic's behaviour-sequence encoder ({@link #addSequenceEncoder}). */
  public static final String CRITIC_ENCODER = "critic_encoder";

  /**
   * The critic's parameterised layers, input to output, without its encoder's ({@link
   * #encoderLayers}).
   */
  public static final List<String> CRITIC_LAYERS =
      List.of(CRITIC_LSTM, CRITIC_HIDDEN_1, CRITIC_HIDDEN_2, Q);

  /**
   * The actor's parameterised layers, input to output, without its encoder's ({@link
   * #encoderLayers}).
   */
  public static final List<String> ACTOR_LAYERS =
      List.of(ACTOR_LSTM, ACTOR_HIDDEN_1, ACTOR_HIDDEN_2, WEIGHTS, EXPLORATION);

  private static final int Q_SIZE = 1;

  private Networks() {}

  /**
   * The centralized critic Q(h, o, a, agent): inputs {@link #HISTORY}, {@link #OBSERVATION}, {@link
   * #ACTION}, {@link #AGENT}; the LSTM encoder's message merged with o, a and the agent one-hot →
   * ReLU → ReLU → one linear output {@link #Q}, fitted with MSE to TD targets (Adam). Twin critics
   * are two calls with different seeds ({@link NetworkShape#withSeed}); target critics are {@link
   * ComputationGraph#clone()}s.
   */
  public static ComputationGraph critic(NetworkShape shape) {
    ComputationGraphConfiguration.GraphBuilder graph = base(shape, shape.criticLearningRate());
    addInputs(
        graph,
        shape,
        List.of(HISTORY, OBSERVATION, ACTION, AGENT),
        List.of(
            InputType.recurrent(shape.historyFeatures(), shape.historySteps()),
            InputType.feedForward(shape.observationSize()),
            InputType.feedForward(shape.jointActionSize()),
            InputType.feedForward(shape.agents())));
    addCritic(graph, shape, ACTION, false);
    graph.addLayer(
        Q,
        new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
            .nIn(shape.criticHidden2())
            .nOut(Q_SIZE)
            .activation(Activation.IDENTITY)
            .build(),
        CRITIC_HIDDEN_2);
    graph.setOutputs(Q);
    return initialised(graph);
  }

  /**
   * One scenario's private actor: inputs {@link #HISTORY}, {@link #OBSERVATION}; the actor's own
   * LSTM message merged with o → ReLU → ReLU → two outputs, {@link #WEIGHTS} (softmax over the
   * ranking weights) and {@link #EXPLORATION} (sigmoid exploration probability). The outputs carry
   * MSE and binary cross-entropy losses so the actor can also be fitted alone (behaviour cloning);
   * the TD3+BC update goes through {@link #actorTraining(NetworkShape, double)}.
   */
  public static ComputationGraph actor(NetworkShape shape) {
    ComputationGraphConfiguration.GraphBuilder graph = base(shape, shape.actorLearningRate());
    addInputs(
        graph,
        shape,
        List.of(HISTORY, OBSERVATION),
        List.of(
            InputType.recurrent(shape.historyFeatures(), shape.historySteps()),
            InputType.feedForward(shape.observationSize())));
    addActorBody(graph, shape);
    graph
        .addLayer(
            WEIGHTS,
            new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                .nIn(shape.actorHidden2())
                .nOut(shape.actionSize())
                .activation(Activation.SOFTMAX)
                .build(),
            ACTOR_HIDDEN_2)
        .addLayer(
            EXPLORATION,
            new OutputLayer.Builder(LossFunctions.LossFunction.XENT)
                .nIn(shape.actorHidden2())
                .nOut(NetworkShape.EXPLORATION_SIZE)
                .activation(Activation.SIGMOID)
                .build(),
            ACTOR_HIDDEN_2)
        .setOutputs(WEIGHTS, EXPLORATION);
    return initialised(graph);
  }

  /**
   * The TD3+BC actor-training graph: an actor (trainable, layers named as in {@link #actor}) whose
   * joint action feeds a frozen critic (layers named as in {@link #critic}, wrapped in {@link
   * FrozenLayerWithBackprop}). Inputs {@link #HISTORY}, {@link #OBSERVATION}, {@link #AGENT};
   * outputs, in order, {@link #Q_OBJECTIVE} (Q of the actor's action; label λ), {@link
   * #WEIGHTS_BEHAVIOUR} (the weights; label the logged weights) and {@link #EXPLORATION_BEHAVIOUR}
   * (the exploration probability; label the logged one). Minimising the summed loss maximises
   * λ·Q(h, o, π(h, o)) − ‖π − a_logged‖² + β·H(weights).
   *
   * <p>Precondition: before each fit, copy the trained critic in with {@link #copyCriticInto} and
   * the actor with {@link #copyActorInto}; after it, copy the actor out with {@link
   * #copyActorFrom}. The graph's Adam state belongs to the actor's layers only.
   *
   * @param entropyWeight β ≥ 0, the entropy bonus on the ranking weights
   */
  public static ComputationGraph actorTraining(NetworkShape shape, double entropyWeight) {
    ComputationGraphConfiguration.GraphBuilder graph = base(shape, shape.actorLearningRate());
    addInputs(
        graph,
        shape,
        List.of(HISTORY, OBSERVATION, AGENT),
        List.of(
            InputType.recurrent(shape.historyFeatures(), shape.historySteps()),
            InputType.feedForward(shape.observationSize()),
            InputType.feedForward(shape.agents())));
    addActorBody(graph, shape);
    graph
        .addLayer(
            WEIGHTS,
            new DenseLayer.Builder()
                .nIn(shape.actorHidden2())
                .nOut(shape.actionSize())
                .activation(Activation.SOFTMAX)
                .build(),
            ACTOR_HIDDEN_2)
        .addLayer(
            EXPLORATION,
            new DenseLayer.Builder()
                .nIn(shape.actorHidden2())
                .nOut(NetworkShape.EXPLORATION_SIZE)
                .activation(Activation.SIGMOID)
                .build(),
            ACTOR_HIDDEN_2)
        .addVertex(JOINT_ACTION, new MergeVertex(), WEIGHTS, EXPLORATION);
    addCritic(graph, shape, JOINT_ACTION, true);
    graph
        .addLayer(
            Q,
            new FrozenLayerWithBackprop(
                new DenseLayer.Builder()
                    .nIn(shape.criticHidden2())
                    .nOut(Q_SIZE)
                    .activation(Activation.IDENTITY)
                    .build()),
            CRITIC_HIDDEN_2)
        .addLayer(
            Q_OBJECTIVE,
            new LossLayer.Builder(new MaximiseOutputLoss()).activation(Activation.IDENTITY).build(),
            Q)
        .addLayer(
            WEIGHTS_BEHAVIOUR,
            new LossLayer.Builder(new BehaviourEntropyLoss(entropyWeight))
                .activation(Activation.IDENTITY)
                .build(),
            WEIGHTS)
        .addLayer(
            EXPLORATION_BEHAVIOUR,
            new LossLayer.Builder(new BehaviourEntropyLoss())
                .activation(Activation.IDENTITY)
                .build(),
            EXPLORATION)
        .setOutputs(Q_OBJECTIVE, WEIGHTS_BEHAVIOUR, EXPLORATION_BEHAVIOUR);
    return initialised(graph);
  }

  /**
   * Adds a behaviour-sequence encoder to {@code graph} under {@code prefix} and returns the name of
   * its output: multi-head scaled dot-product self-attention over the recent steps of {@link
   * #RECENT} (each step projected to {@code heads} query, key and value vectors; DL4J's {@link
   * SelfAttentionLayer}, masked keys get no weight) → the average over the real steps (a masked
   * {@link GlobalPoolingLayer}) → side by side with the older-history summary {@link #OLDER} → one
   * tanh layer of {@code outputSize} units. The recent steps are attended over in full, everything
   * older only through its summary, so the cost is bounded by N: {@code N² · attentionSize} per row
   * for the attention, linear in N for the projections.
   *
   * <p>The parameterised layers are {@code prefix + }{@link #ENCODER_ATTENTION} and {@code prefix +
   * }{@link #ENCODER_OUTPUT}. With {@code frozen} both are wrapped in {@link
   * FrozenLayerWithBackprop}: their parameters stay fixed while gradients still pass through them.
   * The graph's inputs {@link #RECENT} and {@link #OLDER} must be declared by the caller, with
   * their input types.
   *
   * <p>Precondition of every call: each row has at least one real recent step in its mask; a row
   * with none averages over nothing and gives NaN. A user with no history is one step of a zero
   * item vector and zero signals.
   *
   * @param graph the graph under construction
   * @param prefix the encoder's name prefix, unique in the graph
   * @param shape the encoder's sizes
   * @param frozen whether the encoder's parameters stay fixed when the graph is fitted
   * @return the name of the encoding layer
   */
  public static String addSequenceEncoder(
      ComputationGraphConfiguration.GraphBuilder graph,
      String prefix,
      EncoderShape shape,
      boolean frozen) {
    String attention = prefix + ENCODER_ATTENTION;
    String pool = prefix + ENCODER_POOL;
    String merge = prefix + ENCODER_MERGE;
    String output = prefix + ENCODER_OUTPUT;
    graph
        .addLayer(
            attention,
            frozenIf(
                frozen,
                new SelfAttentionLayer.Builder()
                    .nIn(shape.stepFeatures())
                    .nOut(shape.attentionSize())
                    .nHeads(shape.heads())
                    .headSize(shape.headSize())
                    .projectInput(true)
                    .build()),
            RECENT)
        .addLayer(
            pool,
            new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build(),
            attention)
        .addVertex(merge, new MergeVertex(), pool, OLDER)
        .addLayer(
            output,
            frozenIf(
                frozen,
                new DenseLayer.Builder()
                    .nIn(shape.attentionSize() + shape.summaryFeatures())
                    .nOut(shape.outputSize())
                    .activation(Activation.TANH)
                    .build()),
            merge);
    return output;
  }

  /**
   * Q(h, o, a, agent) for a batch, {@code [batch, 1]}: one inference pass of a critic (or a target
   * critic).
   */
  public static INDArray q(
      ComputationGraph critic,
      INDArray history,
      INDArray observation,
      INDArray action,
      INDArray agent) {
    return q(critic, history, observation, action, agent, null);
  }

  /**
   * Q(h, o, a, agent) for a batch, {@code [batch, 1]}, of a critic that may read a
   * behaviour-sequence encoder: one masked inference pass.
   *
   * @param encoder the rows' encoder inputs; null exactly when the critic has no encoder
   */
  public static INDArray q(
      ComputationGraph critic,
      INDArray history,
      INDArray observation,
      INDArray action,
      INDArray agent,
      EncoderInputs encoder) {
    INDArray[] base = {history, observation, action, agent};
    requireEncoderInputs(critic, encoder);
    return critic.output(false, inputs(base, encoder), inputMasks(base.length, encoder))[0];
  }

  /**
   * The joint action π(h, o) of an actor for a batch, {@code [batch, actionSize + 1]}: the softmax
   * weights followed by the exploration probability. One inference pass.
   */
  public static INDArray act(ComputationGraph actor, INDArray history, INDArray observation) {
    return act(actor, history, observation, null);
  }

  /**
   * The joint action π(h, o) of an actor that may read a behaviour-sequence encoder, {@code [batch,
   * actionSize + 1]}: one masked inference pass.
   *
   * @param encoder the rows' encoder inputs; null exactly when the actor has no encoder
   */
  public static INDArray act(
      ComputationGraph actor, INDArray history, INDArray observation, EncoderInputs encoder) {
    INDArray[] base = {history, observation};
    requireEncoderInputs(actor, encoder);
    INDArray[] outputs =
        actor.output(false, inputs(base, encoder), inputMasks(base.length, encoder));
    return Nd4j.hstack(outputs[0], outputs[1]);
  }

  /**
   * A network's inputs: {@code base} followed, when {@code encoder} is not null, by {@link #RECENT}
   * and {@link #OLDER}, the order every graph here declares them in.
   */
  public static INDArray[] inputs(INDArray[] base, EncoderInputs encoder) {
    if (encoder == null) {
      return base;
    }
    INDArray[] all = Arrays.copyOf(base, base.length + 2);
    all[base.length] = encoder.recent();
    all[base.length + 1] = encoder.older();
    return all;
  }

  /**
   * The feature masks of {@link #inputs}: null without an encoder, else null for every input but
   * {@link #RECENT}, which gets the recent steps' mask.
   */
  public static INDArray[] inputMasks(int baseInputs, EncoderInputs encoder) {
    if (encoder == null) {
      return null;
    }
    INDArray[] masks = new INDArray[baseInputs + 2];
    masks[baseInputs] = encoder.recentMask();
    return masks;
  }

  /** The names of the parameterised layers of the encoder under {@code prefix}, input to output. */
  public static List<String> encoderLayers(String prefix) {
    return List.of(prefix + ENCODER_ATTENTION, prefix + ENCODER_OUTPUT);
  }

  /** Whether {@code network} reads a behaviour-sequence encoder (has a {@link #RECENT} input). */
  public static boolean readsEncoder(ComputationGraph network) {
    return network.getConfiguration().getNetworkInputs().contains(RECENT);
  }

  /** Copies the critic's parameters into the frozen critic layers of an actor-training graph. */
  public static void copyCriticInto(ComputationGraph critic, ComputationGraph actorTraining) {
    copyLayers(critic, actorTraining, CRITIC_LAYERS, CRITIC_ENCODER);
  }

  /** Copies an actor's parameters into the trainable actor layers of an actor-training graph. */
  public static void copyActorInto(ComputationGraph actor, ComputationGraph actorTraining) {
    copyLayers(actor, actorTraining, ACTOR_LAYERS, ACTOR_ENCODER);
  }

  /** Copies the trained actor layers of an actor-training graph back into the actor. */
  public static void copyActorFrom(ComputationGraph actorTraining, ComputationGraph actor) {
    copyLayers(actorTraining, actor, ACTOR_LAYERS, ACTOR_ENCODER);
  }

  /**
   * The soft (Polyak) update of a target network, θ' ← τθ + (1−τ)θ', in place over {@code
   * params()}. Cost: two passes over the parameters.
   *
   * @param target the target network θ', updated in place
   * @param source the trained network θ, of the same architecture
   * @param tau τ in [0, 1]; 1 copies the source, 0 leaves the target
   */
  public static void softUpdate(ComputationGraph target, ComputationGraph source, double tau) {
    if (!(tau >= 0.0 && tau <= 1.0)) {
      throw new IllegalArgumentException("tau must lie in [0, 1], got " + tau);
    }
    if (target.numParams() != source.numParams()) {
      throw new IllegalArgumentException(
          "target and source differ in size: "
              + target.numParams()
              + " vs "
              + source.numParams()
              + " parameters; soft-update a target only from the network it was cloned from");
    }
    target.params().muli(1.0 - tau).addi(source.params().mul(tau));
  }

  private static ComputationGraphConfiguration.GraphBuilder base(
      NetworkShape shape, double learningRate) {
    return new NeuralNetConfiguration.Builder()
        .seed(shape.seed())
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER)
        .updater(new Adam(learningRate))
        .graphBuilder();
  }

  /**
   * Declares {@code names} with {@code types}, followed by {@link #RECENT} and {@link #OLDER} when
   * the shape has an encoder.
   */
  private static void addInputs(
      ComputationGraphConfiguration.GraphBuilder graph,
      NetworkShape shape,
      List<String> names,
      List<InputType> types) {
    List<String> allNames = new ArrayList<>(names);
    List<InputType> allTypes = new ArrayList<>(types);
    if (shape.hasEncoder()) {
      EncoderShape encoder = shape.encoder();
      allNames.add(RECENT);
      allNames.add(OLDER);
      allTypes.add(InputType.recurrent(encoder.stepFeatures(), encoder.recentSteps()));
      allTypes.add(InputType.feedForward(encoder.summaryFeatures()));
    }
    graph.addInputs(allNames.toArray(String[]::new));
    graph.setInputTypes(allTypes.toArray(InputType[]::new));
  }

  /**
   * The inputs of a merge: {@code base} followed by the encoding of the encoder added under {@code
   * prefix} when the shape has one.
   */
  private static String[] withEncoding(
      ComputationGraphConfiguration.GraphBuilder graph,
      NetworkShape shape,
      String prefix,
      boolean frozen,
      String... base) {
    if (!shape.hasEncoder()) {
      return base;
    }
    String[] all = Arrays.copyOf(base, base.length + 1);
    all[base.length] = addSequenceEncoder(graph, prefix, shape.encoder(), frozen);
    return all;
  }

  private static void requireEncoderInputs(ComputationGraph network, EncoderInputs encoder) {
    boolean reads = readsEncoder(network);
    if (reads && encoder == null) {
      throw new IllegalArgumentException(
          "the network reads a behaviour-sequence encoder (inputs "
              + RECENT
              + ", "
              + OLDER
              + ") but no encoder inputs were given; build the batch from a replay written with"
              + " replay.encoder.enabled=true");
    }
    if (!reads && encoder != null) {
      throw new IllegalArgumentException(
          "encoder inputs were given to a network without a behaviour-sequence encoder; build the"
              + " networks from a NetworkShape with an encoder");
    }
  }

  private static void addActorBody(
      ComputationGraphConfiguration.GraphBuilder graph, NetworkShape shape) {
    String[] merged = withEncoding(graph, shape, ACTOR_ENCODER, false, ACTOR_MESSAGE, OBSERVATION);
    graph
        .addLayer(
            ACTOR_LSTM,
            new LSTM.Builder()
                .nIn(shape.historyFeatures())
                .nOut(shape.messageSize())
                .activation(Activation.TANH)
                .build(),
            HISTORY)
        .addVertex(ACTOR_MESSAGE, new LastTimeStepVertex(HISTORY), ACTOR_LSTM)
        .addVertex(ACTOR_MERGE, new MergeVertex(), merged)
        .addLayer(
            ACTOR_HIDDEN_1,
            dense(
                shape.messageSize() + shape.observationSize() + shape.encodingSize(),
                shape.actorHidden1()),
            ACTOR_MERGE)
        .addLayer(
            ACTOR_HIDDEN_2, dense(shape.actorHidden1(), shape.actorHidden2()), ACTOR_HIDDEN_1);
  }

  private static void addCritic(
      ComputationGraphConfiguration.GraphBuilder graph,
      NetworkShape shape,
      String actionInput,
      boolean frozen) {
    int mergedSize =
        shape.messageSize()
            + shape.observationSize()
            + shape.jointActionSize()
            + shape.agents()
            + shape.encodingSize();
    String[] merged =
        withEncoding(
            graph, shape, CRITIC_ENCODER, frozen, CRITIC_MESSAGE, OBSERVATION, actionInput, AGENT);
    graph
        .addLayer(
            CRITIC_LSTM,
            frozenIf(
                frozen,
                new LSTM.Builder()
                    .nIn(shape.historyFeatures())
                    .nOut(shape.messageSize())
                    .activation(Activation.TANH)
                    .build()),
            HISTORY)
        .addVertex(CRITIC_MESSAGE, new LastTimeStepVertex(HISTORY), CRITIC_LSTM)
        .addVertex(CRITIC_MERGE, new MergeVertex(), merged)
        .addLayer(
            CRITIC_HIDDEN_1,
            frozenIf(frozen, dense(mergedSize, shape.criticHidden1())),
            CRITIC_MERGE)
        .addLayer(
            CRITIC_HIDDEN_2,
            frozenIf(frozen, dense(shape.criticHidden1(), shape.criticHidden2())),
            CRITIC_HIDDEN_1);
  }

  private static Layer dense(int in, int out) {
    return new DenseLayer.Builder().nIn(in).nOut(out).activation(Activation.RELU).build();
  }

  private static Layer frozenIf(boolean frozen, Layer layer) {
    return frozen ? new FrozenLayerWithBackprop(layer) : layer;
  }

  private static ComputationGraph initialised(ComputationGraphConfiguration.GraphBuilder graph) {
    ComputationGraph network = new ComputationGraph(graph.build());
    network.init();
    return network;
  }

  /**
   * Copies {@code layers}, and the encoder layers under {@code encoderPrefix} when the source reads
   * an encoder, by name.
   */
  private static void copyLayers(
      ComputationGraph source, ComputationGraph target, List<String> layers, String encoderPrefix) {
    List<String> all = new ArrayList<>(layers);
    if (readsEncoder(source) != readsEncoder(target)) {
      throw new IllegalArgumentException(
          "one network reads a behaviour-sequence encoder and the other does not; build both from"
              + " the same NetworkShape");
    }
    if (readsEncoder(source)) {
      all.addAll(encoderLayers(encoderPrefix));
    }
    for (String layer : all) {
      INDArray from = source.getLayer(layer).params();
      INDArray to = target.getLayer(layer).params();
      if (!Arrays.equals(from.shape(), to.shape())) {
        throw new IllegalArgumentException(
            "layer "
                + layer
                + " differs in shape between the networks: "
                + Arrays.toString(from.shape())
                + " vs "
                + Arrays.toString(to.shape())
                + "; build both from the same NetworkShape");
      }
      to.assign(from);
    }
  }
}
