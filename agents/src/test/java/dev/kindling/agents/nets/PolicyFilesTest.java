package dev.kindling.agents.nets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link PolicyFiles}: a saved and loaded policy is bit-identical (parameters, updater state,
 * outputs, metadata), a re-save replaces the older directory, and a missing or corrupt file is an
 * error naming the directory and the file.
 */
class PolicyFilesTest {

  private static final int OBSERVATION_SIZE = 4;
  private static final int ACTION_SIZE = SyntheticBandit.BEST.length;
  private static final int HISTORY_STEPS = 2;
  private static final int AGENTS = 2;
  private static final long SEED = 5L;
  private static final int ROWS = 64;
  private static final int TRAINED_ROUNDS = 3;
  private static final List<String> SCENARIOS = List.of("feed", "search");
  private static final String RUN_DATE = "2024-01-07";
  private static final NetworkShape SHAPE =
      NetworkShape.of(OBSERVATION_SIZE, ACTION_SIZE, HISTORY_STEPS, AGENTS, SEED);

  @TempDir Path dir;

  @BeforeAll
  static void float32() {
    Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
  }

  /** Networks after a few rounds, so the updater state is not the initial one. */
  private static LocalTd3BcStep trainedStep(TransitionBatch batch) {
    LocalTd3BcStep step = LocalTd3BcStep.create(SHAPE, Td3BcConfig.defaults());
    for (int round = 0; round < TRAINED_ROUNDS; round++) {
      step.round(batch);
    }
    return step;
  }

  private static PolicyFiles.Metadata metadata(int rounds) {
    return PolicyFiles.metadata(rounds, RUN_DATE, SCENARIOS, SHAPE, Td3BcConfig.defaults());
  }

  /**
   * The reference actions travel in the metadata; metadata written before they existed reads as a
   * config without them (κ 0, none), so older policies still load and warm-start.
   */
  @Test
  void referenceActionsRoundTripAndOlderMetadataReadsWithout() throws IOException {
    TransitionBatch batch = SyntheticBandit.replay(SHAPE, ROWS, SEED);
    List<Double> action = List.of(0.3, 0.4, 0.1, 0.0, 0.2, 0.0, 0.04);
    Td3BcConfig anchored = Td3BcConfig.defaults().withReferenceActions(List.of(action, action));
    Path policy = dir.resolve("anchored");
    PolicyFiles.save(
        policy,
        trainedStep(batch).networks(),
        PolicyFiles.metadata(1, RUN_DATE, SCENARIOS, SHAPE, anchored));
    assertThat(PolicyFiles.readMetadata(policy).config()).isEqualTo(anchored);

    ObjectMapper json = new ObjectMapper();
    Path file = policy.resolve(PolicyFiles.METADATA_FILE);
    ObjectNode tree = (ObjectNode) json.readTree(file.toFile());
    ((ObjectNode) tree.get("config")).remove(List.of("referenceWeight", "referenceActions"));
    json.writeValue(file.toFile(), tree);
    Td3BcConfig older = PolicyFiles.load(policy).metadata().config();
    assertThat(older.referenceActions()).as("no reference in older metadata").isEmpty();
    assertThat(older.anchored()).isFalse();
    assertThat(older.alpha()).isEqualTo(anchored.alpha());
  }

  /**
   * A policy whose networks read the behaviour-sequence encoder records its shape and restores its
   * encoder layers; metadata written before the encoder existed (no {@code encoder} in the shape)
   * reads as a shape without one.
   */
  @Test
  void anEncoderPolicyRoundTripsAndOlderShapesReadWithoutAnEncoder() throws IOException {
    NetworkShape shape = SHAPE.withEncoder(EncoderShape.of(3, 4));
    TransitionBatch batch = SequenceBandit.replay(shape, ROWS, SEED);
    LocalTd3BcStep step = LocalTd3BcStep.create(shape, Td3BcConfig.defaults());
    step.round(batch);
    Path policy = dir.resolve("encoder");
    PolicyFiles.save(
        policy,
        step.networks(),
        PolicyFiles.metadata(1, RUN_DATE, SCENARIOS, shape, Td3BcConfig.defaults()));
    PolicyFiles.Policy loaded = PolicyFiles.load(policy);
    assertThat(loaded.metadata().shape()).isEqualTo(shape);
    for (int agent = 0; agent < AGENTS; agent++) {
      assertThat(
              Networks.act(
                  loaded.networks().actors().get(agent),
                  batch.history(),
                  batch.observation(),
                  batch.encoderStep()))
          .as("actor %d's outputs with the encoder", agent)
          .isEqualTo(
              Networks.act(
                  step.actor(agent), batch.history(), batch.observation(), batch.encoderStep()));
    }

    Path plain = dir.resolve("plain");
    PolicyFiles.save(
        plain,
        trainedStep(SyntheticBandit.replay(SHAPE, ROWS, SEED)).networks(),
        metadata(TRAINED_ROUNDS));
    ObjectMapper json = new ObjectMapper();
    Path file = plain.resolve(PolicyFiles.METADATA_FILE);
    ObjectNode tree = (ObjectNode) json.readTree(file.toFile());
    assertThat(tree.get("shape").has("encoder")).isTrue();
    ((ObjectNode) tree.get("shape")).remove("encoder");
    json.writeValue(file.toFile(), tree);
    assertThat(PolicyFiles.load(plain).metadata().shape()).isEqualTo(SHAPE);
  }

  @Test
  void aSavedPolicyLoadsBitIdentical() {
    TransitionBatch batch = SyntheticBandit.replay(SHAPE, ROWS, SEED);
    LocalTd3BcStep step = trainedStep(batch);
    Td3BcNetworks networks = step.networks();
    Path policy = dir.resolve("models").resolve("dt=" + RUN_DATE);

    PolicyFiles.save(policy, networks, metadata(TRAINED_ROUNDS));
    PolicyFiles.Policy loaded = PolicyFiles.load(policy);

    assertThat(loaded.metadata().roundsCompleted()).as("rounds").isEqualTo(TRAINED_ROUNDS);
    assertThat(loaded.metadata().runDate()).as("run date").isEqualTo(RUN_DATE);
    assertThat(loaded.metadata().scenarios()).as("scenario order").isEqualTo(SCENARIOS);
    assertThat(loaded.metadata().shape()).as("shape").isEqualTo(SHAPE);
    assertThat(loaded.metadata().config()).as("config").isEqualTo(Td3BcConfig.defaults());
    assertThat(loaded.metadata().formatVersion()).isEqualTo(PolicyFiles.FORMAT_VERSION);

    List<Td3BcNetworks.Named> saved = networks.named();
    List<Td3BcNetworks.Named> restored = loaded.networks().named();
    assertThat(restored).hasSameSizeAs(saved);
    for (int i = 0; i < saved.size(); i++) {
      String name = saved.get(i).name();
      assertThat(restored.get(i).name()).as("network order").isEqualTo(name);
      assertThat(restored.get(i).graph().params())
          .as("%s parameters, bit for bit", name)
          .isEqualTo(saved.get(i).graph().params());
      INDArray updater = saved.get(i).graph().getUpdater().getStateViewArray();
      if (updater != null) {
        assertThat(restored.get(i).graph().getUpdater().getStateViewArray())
            .as("%s updater state", name)
            .isEqualTo(updater);
      }
    }
    for (int agent = 0; agent < AGENTS; agent++) {
      assertThat(
              Networks.act(
                  loaded.networks().actors().get(agent), batch.history(), batch.observation()))
          .as("actor %d's outputs", agent)
          .isEqualTo(
              Networks.act(networks.actors().get(agent), batch.history(), batch.observation()));
    }
    assertThat(
            Networks.q(
                loaded.networks().critic1(),
                batch.history(),
                batch.observation(),
                batch.action(),
                batch.agent()))
        .as("critic_1's outputs")
        .isEqualTo(
            Networks.q(
                networks.critic1(),
                batch.history(),
                batch.observation(),
                batch.action(),
                batch.agent()));
  }

  @Test
  void savingAgainReplacesTheOlderDirectoryAndLeavesNoTemporaries() throws IOException {
    Path policy = dir.resolve("checkpoint");
    Td3BcNetworks first = Td3BcNetworks.fresh(SHAPE);
    PolicyFiles.save(policy, first, metadata(1));
    Td3BcNetworks second = Td3BcNetworks.fresh(SHAPE.withSeed(SEED + 100));
    PolicyFiles.save(policy, second, metadata(2));

    PolicyFiles.Policy loaded = PolicyFiles.load(policy);
    assertThat(loaded.metadata().roundsCompleted()).as("the newer save wins").isEqualTo(2);
    assertThat(loaded.networks().critic1().params())
        .as("the newer networks")
        .isEqualTo(second.critic1().params());
    try (var siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString()).toList())
          .as("no temporary or old directory is left behind")
          .containsExactly("checkpoint");
    }
  }

  @Test
  void aMissingOrCorruptFileIsAnErrorNamingTheDirectoryAndTheFile() throws IOException {
    Path policy = dir.resolve("policy");
    PolicyFiles.save(policy, Td3BcNetworks.fresh(SHAPE), metadata(1));
    Path actor = policy.resolve(Td3BcNetworks.ACTOR_PREFIX + 1 + PolicyFiles.NETWORK_EXTENSION);

    byte[] bytes = Files.readAllBytes(actor);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(actor, bytes);
    assertThatThrownBy(() -> PolicyFiles.load(policy))
        .as("a changed network file")
        .isInstanceOf(PolicyFiles.PolicyFileException.class)
        .hasMessageContaining(policy.toString())
        .hasMessageContaining("corrupt actor_1.zip");

    Files.delete(actor);
    assertThatThrownBy(() -> PolicyFiles.load(policy))
        .as("a missing network file")
        .isInstanceOf(PolicyFiles.PolicyFileException.class)
        .hasMessageContaining(policy.toString())
        .hasMessageContaining("lacks actor_1.zip");

    Files.delete(policy.resolve(PolicyFiles.METADATA_FILE));
    assertThatThrownBy(() -> PolicyFiles.load(policy))
        .as("a missing metadata file")
        .hasMessageContaining("lacks " + PolicyFiles.METADATA_FILE);

    assertThatThrownBy(() -> PolicyFiles.load(dir.resolve("nowhere")))
        .as("a missing directory")
        .hasMessageContaining("nowhere")
        .hasMessageContaining("is not a directory");
  }

  @Test
  void leftoversOfAnInterruptedSaveOfOneTargetAreDeletedAndNothingElse() throws IOException {
    Path target = dir.resolve("models/dt=2024-01-02");
    Path tmp = Files.createDirectories(dir.resolve("models/.dt=2024-01-02.tmp-1234"));
    Files.writeString(tmp.resolve("actor-0.zip"), "half written");
    Files.createDirectories(dir.resolve("models/.dt=2024-01-02.old-5678"));
    Path otherDate = Files.createDirectories(dir.resolve("models/.dt=2024-01-03.tmp-9999"));
    Path otherModel = Files.createDirectories(dir.resolve("models/dt=2024-01-01"));

    assertThat(PolicyFiles.deleteLeftovers(target)).isEqualTo(2);

    try (var left = Files.list(dir.resolve("models"))) {
      assertThat(left.toList())
          .as("another date's temporary directory may belong to a live run: kept")
          .containsExactlyInAnyOrder(otherDate, otherModel);
    }
    assertThat(PolicyFiles.deleteLeftovers(dir.resolve("nowhere/dt=2024-01-02"))).isZero();
  }
}
