package dev.kindling.agents.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.nets.EncoderInputs;
import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.Networks;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.replay.ReplayBatches;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PolicyArtifacts} and {@link PolicyClient} on artifacts of the demo's shape: act equals the
 * trained network on the inputs training builds, a changed byte in any file or a missing, extra or
 * newer-format file is refused naming the file, LATEST moves atomically under a polling reader,
 * publication is idempotent and keeps the last N, and act is thread-safe.
 */
class PolicyClientTest {

  private static final LocalDate DAY = LocalDate.parse("2024-01-07");
  private static final double TOLERANCE = 1e-5;
  private static final int REQUESTS = 60;

  @TempDir Path dir;

  private Path root() {
    return dir.resolve("artifacts/policy");
  }

  @Test
  void actEqualsTheActorNetworkOnTheInputsTrainingBuilds() {
    Path model = dir.resolve("models/dt=" + DAY);
    PolicyArtifacts.Publication published = ArtifactFixtures.publish(dir, root(), DAY, 11L, 7);
    Td3BcNetworks networks = PolicyFiles.load(model).networks();
    PolicyClient client = PolicyClient.load(published.directory());

    double worst = 0.0;
    for (ArtifactFixtures.Request request : ArtifactFixtures.requests(REQUESTS, 3L)) {
      float[] expected = ArtifactFixtures.networkOutput(networks, request);
      float[] actual = ArtifactFixtures.clientOutput(client, request);
      for (int i = 0; i < expected.length; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
      }
    }
    assertThat(worst)
        .as("largest difference between act and the actor's output")
        .isLessThan(TOLERANCE);
    Map<String, Action> all = client.actAll(new float[ArtifactFixtures.OBS], new float[0][]);
    assertThat(all.keySet())
        .as("one action per scenario, in agent order")
        .containsExactly("feed", "search");
    assertThat(all.get("feed"))
        .as("actAll answers as act does")
        .isEqualTo(client.act("feed", new float[ArtifactFixtures.OBS], new float[0][]));
    assertThat(all.get("feed")).as("the two actors differ").isNotEqualTo(all.get("search"));
  }

  /**
   * A policy whose actors read the behaviour-sequence encoder: act with the user's interactions
   * built by {@link SequenceInputs} equals the actor network on the replay's encoder columns of the
   * same interactions ({@code ReplayBatches.encoderBatch}), for histories shorter and longer than
   * N, unknown items included; without the interactions it is refused. Publishing such a policy is
   * refused until the artifact ships the item vectors.
   */
  @Test
  void actWithTheEncoderEqualsTheActorNetworkOnTheReplaysEncoderInputs() {
    EncoderShape encoder = EncoderShape.of(3, 4);
    NetworkShape shape = ArtifactFixtures.SHAPE.withEncoder(encoder);
    Td3BcNetworks networks = Td3BcNetworks.fresh(shape);
    Path model = dir.resolve("models/encoder");
    PolicyFiles.save(
        model,
        networks,
        PolicyFiles.metadata(
            1, DAY.toString(), ArtifactFixtures.SCENARIOS, shape, Td3BcConfig.defaults()));
    PolicyClient client =
        PolicyClient.fromModel(model, ArtifactFixtures.normaliser().normalisation());
    Random random = new Random(5L);
    Map<String, float[]> vectors = new HashMap<>();
    for (int item = 0; item < 8; item++) {
      vectors.put("i" + item, new float[] {random.nextFloat(), -random.nextFloat(), 0.5f});
    }
    SequenceInputs inputs = new SequenceInputs(encoder, vectors::get);

    double worst = 0.0;
    int longer = 0;
    for (ArtifactFixtures.Request request : ArtifactFixtures.requests(REQUESTS, 3L)) {
      List<SequenceInputs.Interaction> newestFirst = new ArrayList<>();
      int count = random.nextInt(9);
      for (int i = 0; i < count; i++) {
        newestFirst.add(
            new SequenceInputs.Interaction(
                "i" + random.nextInt(10), random.nextBoolean(), random.nextBoolean(), 2.0 * i));
      }
      longer += count > encoder.recentSteps() ? 1 : 0;
      SequenceInputs.Encoded sequence = inputs.of(newestFirst);
      EncoderInputs columns =
          ReplayBatches.encoderBatch(List.of(ArtifactFixtures.encoderRow(sequence)), encoder)
              .step();
      ComputationGraph actor =
          networks.actors().get(ArtifactFixtures.SCENARIOS.indexOf(request.scenario()));
      float[] expected =
          Networks.act(actor, request.history(), request.obs(), columns).toFloatVector();
      Action action =
          client.act(request.scenario(), request.observation(), request.recentSteps(), sequence);
      for (int i = 0; i < ArtifactFixtures.ACTION; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - action.weight(i)));
      }
      worst =
          Math.max(
              worst, Math.abs(expected[ArtifactFixtures.ACTION] - action.explorationProbability()));
    }
    assertThat(longer).as("requests with more interactions than N").isPositive();
    assertThat(worst)
        .as("largest difference between act and the actor's output with the encoder")
        .isLessThan(TOLERANCE);
    assertThatThrownBy(() -> client.act("feed", new float[ArtifactFixtures.OBS], new float[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recent interactions");
    Path quotas = dir.resolve(QuotaFile.FILE_NAME);
    QuotaFile.write(quotas, ArtifactFixtures.quotas());
    assertThatThrownBy(
            () ->
                PolicyArtifacts.publish(
                    root(),
                    new PolicyArtifacts.Request(
                        DAY,
                        model,
                        quotas,
                        ArtifactFixtures.normaliser().normalisation(),
                        ArtifactManifest.GATE_NOT_EVALUATED,
                        List.of(),
                        Map.of(),
                        "unknown",
                        3)))
        .isInstanceOf(PolicyArtifactException.class)
        .hasMessageContaining("replay.encoder.enabled=false");
    assertThat(root()).as("nothing published").doesNotExist();
  }

  @Test
  void quotasAndManifestTravelWithThePolicy() throws IOException {
    PolicyArtifacts.Publication published = ArtifactFixtures.publish(dir, root(), DAY, 11L, 7);
    PolicyClient client = PolicyClient.load(published.directory());

    assertThat(client.quota("item-1")).as("a listed item's quota").isEqualTo(40L);
    assertThat(client.quota("unknown")).as("an unlisted item has no quota").isZero();
    ArtifactManifest manifest = client.manifest();
    assertThat(manifest.runDate()).as("run date").isEqualTo(DAY.toString());
    assertThat(manifest.gate()).as("gate").isEqualTo(ArtifactManifest.GATE_NOT_EVALUATED);
    assertThat(manifest.quotas().impressions()).as("quota total").isEqualTo(47L);
    assertThat(manifest.normalisation())
        .as("the manifest's feature spec is the training normalisation")
        .isEqualTo(ArtifactFixtures.normaliser().normalisation());
    assertThat(manifest.files().keySet())
        .as("files listed with checksums")
        .contains("policy.json", "actor_0.zip", "actor_1.zip", "critic_1.zip", "quotas.bin");
    assertThat(Files.readString(root().resolve("LATEST"), StandardCharsets.UTF_8).trim())
        .as("LATEST names the directory")
        .isEqualTo("dt=" + DAY);
    assertThat(PolicyFiles.load(published.directory()).metadata().runDate())
        .as("the artifact is a policy directory a warm start can load")
        .isEqualTo(DAY.toString());
  }

  @Test
  void aChangedByteInAnyFileIsRefusedNamingTheFile() throws IOException {
    Path published = ArtifactFixtures.publish(dir, root(), DAY, 11L, 7).directory();
    List<Path> files;
    try (Stream<Path> list = Files.list(published)) {
      files = list.sorted().toList();
    }
    assertThat(files).as("every file is tried").hasSizeGreaterThan(10);
    for (Path file : files) {
      Path copy = dir.resolve("tampered").resolve(file.getFileName().toString());
      copyTree(published, copy);
      Path target = copy.resolve(file.getFileName());
      byte[] bytes = Files.readAllBytes(target);
      bytes[bytes.length / 2] ^= 0x01;
      Files.write(target, bytes);
      assertThatThrownBy(() -> PolicyClient.load(copy))
          .as("a flipped byte in " + file.getFileName())
          .isInstanceOf(PolicyArtifactException.class)
          .hasMessageContaining(file.getFileName().toString())
          .hasMessageContaining("Re-publish");
    }
  }

  @Test
  void aMissingExtraOrNewerFormatFileIsRefused() throws IOException {
    Path published = ArtifactFixtures.publish(dir, root(), DAY, 11L, 7).directory();

    Path missing = dir.resolve("missing");
    copyTree(published, missing);
    Files.delete(missing.resolve("actor_1.zip"));
    assertThatThrownBy(() -> PolicyClient.load(missing))
        .as("a missing actor")
        .isInstanceOf(PolicyArtifactException.class)
        .hasMessageContaining("actor_1.zip is missing");

    Path extra = dir.resolve("extra");
    copyTree(published, extra);
    Files.writeString(extra.resolve("notes.txt"), "x");
    assertThatThrownBy(() -> PolicyClient.load(extra))
        .as("an extra file")
        .isInstanceOf(PolicyArtifactException.class)
        .hasMessageContaining("notes.txt is not listed");

    Path truncated = dir.resolve("truncated");
    copyTree(published, truncated);
    byte[] zip = Files.readAllBytes(truncated.resolve("actor_0.zip"));
    Files.write(truncated.resolve("actor_0.zip"), java.util.Arrays.copyOf(zip, zip.length / 2));
    assertThatThrownBy(() -> PolicyClient.load(truncated))
        .as("a partial file")
        .isInstanceOf(PolicyArtifactException.class)
        .hasMessageContaining("actor_0.zip has " + zip.length / 2 + " bytes");

    Path newer = dir.resolve("newer");
    copyTree(published, newer);
    String manifest = Files.readString(newer.resolve(ArtifactManifest.FILE_NAME));
    byte[] changed =
        manifest
            .replace("\"format_version\" : 1", "\"format_version\" : 2")
            .getBytes(StandardCharsets.UTF_8);
    Files.write(newer.resolve(ArtifactManifest.FILE_NAME), changed);
    Files.writeString(
        newer.resolve(ArtifactManifest.CHECKSUM_FILE), PolicyArtifacts.sha256(changed));
    assertThatThrownBy(() -> PolicyClient.load(newer))
        .as("another format version")
        .isInstanceOf(PolicyArtifactException.class)
        .hasMessageContaining("format version 2");
  }

  @Test
  void republishingIsIdempotentKeepsTheLastNAndNeverMovesLatestBack() throws IOException {
    for (int day = 0; day < 4; day++) {
      ArtifactFixtures.publish(dir, root(), DAY.plusDays(day), 11L + day, 2);
    }
    assertThat(artifactDirectories())
        .as("keep 2")
        .containsExactly("dt=2024-01-09", "dt=2024-01-10");
    String before = PolicyClient.loadLatest(root()).manifest().files().get("actor_0.zip").sha256();

    PolicyArtifacts.Publication again =
        ArtifactFixtures.publish(dir, root(), DAY.plusDays(3), 14L, 2);
    assertThat(again.manifest().files().get("actor_0.zip").sha256())
        .as("the same model republished gives the same files")
        .isEqualTo(before);
    assertThat(artifactDirectories())
        .as("republishing adds nothing")
        .containsExactly("dt=2024-01-09", "dt=2024-01-10");

    PolicyArtifacts.Publication backfill = ArtifactFixtures.publish(dir, root(), DAY, 11L, 2);
    assertThat(backfill.latest())
        .as("a backfill leaves LATEST on the newest date")
        .isEqualTo("dt=2024-01-10");
    assertThat(PolicyArtifacts.latest(root())).as("LATEST").isEqualTo("dt=2024-01-10");
    assertThat(artifactDirectories())
        .as("the backfilled date is the oldest and is pruned again")
        .containsExactly("dt=2024-01-09", "dt=2024-01-10");
  }

  @Test
  void aReaderPollingLatestWhilePublishingRunsNeverSeesAPartialArtifact() throws Exception {
    ArtifactFixtures.publish(dir, root(), DAY, 11L, 2);
    AtomicBoolean publishing = new AtomicBoolean(true);
    AtomicInteger loads = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    ExecutorService executor = Executors.newSingleThreadExecutor();
    Future<?> reader =
        executor.submit(
            () -> {
              while (publishing.get()) {
                try {
                  PolicyClient client = PolicyClient.loadLatest(root());
                  assertThat(
                          client
                              .act("feed", new float[ArtifactFixtures.OBS], new float[0][])
                              .size())
                      .isEqualTo(ArtifactFixtures.ACTION);
                  loads.incrementAndGet();
                } catch (Throwable e) {
                  failures.add(e);
                }
              }
            });
    int publications = 0;
    for (int round = 0; round < 8; round++) {
      // A new date, then the same date again (replacing the directory LATEST names).
      ArtifactFixtures.publish(dir, root(), DAY.plusDays(1 + round), 20L + round, 2);
      ArtifactFixtures.publish(dir, root(), DAY.plusDays(1 + round), 20L + round, 2);
      publications += 2;
    }
    publishing.set(false);
    reader.get(1, TimeUnit.MINUTES);
    executor.shutdown();

    assertThat(failures).as("loads that failed during " + publications + " publications").isEmpty();
    assertThat(loads.get()).as("complete loads while publishing").isPositive();
    assertThat(PolicyClient.loadLatest(root()).manifest().runDate())
        .as("the last publication is LATEST")
        .isEqualTo(DAY.plusDays(8).toString());
  }

  @Test
  void actIsThreadSafe() throws Exception {
    PolicyClient client =
        PolicyClient.load(ArtifactFixtures.publish(dir, root(), DAY, 11L, 7).directory());
    List<ArtifactFixtures.Request> requests = ArtifactFixtures.requests(REQUESTS, 5L);
    List<float[]> expected = new ArrayList<>();
    for (ArtifactFixtures.Request request : requests) {
      expected.add(ArtifactFixtures.clientOutput(client, request));
    }
    ExecutorService executor = Executors.newFixedThreadPool(4);
    List<Future<Integer>> results = new ArrayList<>();
    for (int thread = 0; thread < 4; thread++) {
      results.add(
          executor.submit(
              () -> {
                int mismatches = 0;
                for (int repeat = 0; repeat < 200; repeat++) {
                  for (int i = 0; i < requests.size(); i++) {
                    if (!java.util.Arrays.equals(
                        expected.get(i), ArtifactFixtures.clientOutput(client, requests.get(i)))) {
                      mismatches++;
                    }
                  }
                }
                return mismatches;
              }));
    }
    for (Future<Integer> result : results) {
      assertThat(result.get(1, TimeUnit.MINUTES))
          .as("answers that differ under contention")
          .isZero();
    }
    executor.shutdown();
  }

  private List<String> artifactDirectories() throws IOException {
    try (Stream<Path> list = Files.list(root())) {
      return list.filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("dt="))
          .sorted()
          .toList();
    }
  }

  static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> list = Files.list(from)) {
      for (Path file : list.toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }
}
