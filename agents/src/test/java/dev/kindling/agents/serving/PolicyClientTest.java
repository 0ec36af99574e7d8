package dev.kindling.agents.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcNetworks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
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
   * A policy whose actors read the behaviour-sequence encoder, published with its item vectors: the
   * loaded client's act with the user's interactions equals the actor network on the replay's
   * encoder columns of the same interactions ({@code ReplayBatches.encoderBatch}), for histories
   * shorter and longer than N, unknown items included; so does the unpublished model's client given
   * the built inputs. Without the interactions act is refused; publishing without vectors is
   * refused; the manifest records the vectors and their source.
   */
  @Test
  void actWithTheEncoderEqualsTheActorNetworkOnTheReplaysEncoderInputs() throws IOException {
    PolicyArtifacts.Publication published = ArtifactFixtures.publishEncoder(dir, root(), DAY, 11L);
    Path model = dir.resolve("encoder-models/dt=" + DAY);
    Td3BcNetworks networks = PolicyFiles.load(model).networks();
    PolicyClient client = PolicyClient.load(published.directory());
    PolicyClient unpublished =
        PolicyClient.fromModel(model, ArtifactFixtures.normaliser().normalisation());
    SequenceInputs inputs =
        new SequenceInputs(ArtifactFixtures.ENCODER, ArtifactFixtures.itemVectors()::get);

    Random random = new Random(5L);
    double worst = 0.0;
    double worstUnpublished = 0.0;
    int longer = 0;
    for (ArtifactFixtures.Request request : ArtifactFixtures.requests(REQUESTS, 3L)) {
      List<SequenceInputs.Interaction> newestFirst = ArtifactFixtures.interactions(random);
      longer += newestFirst.size() > ArtifactFixtures.ENCODER.recentSteps() ? 1 : 0;
      SequenceInputs.Encoded sequence = inputs.of(newestFirst);
      float[] expected = ArtifactFixtures.encoderNetworkOutput(networks, request, sequence);
      Action action =
          client.act(request.scenario(), request.observation(), request.recentSteps(), newestFirst);
      Action fromModel =
          unpublished.act(
              request.scenario(), request.observation(), request.recentSteps(), sequence);
      for (int i = 0; i <= ArtifactFixtures.ACTION; i++) {
        worst = Math.max(worst, Math.abs(expected[i] - value(action, i)));
        worstUnpublished = Math.max(worstUnpublished, Math.abs(expected[i] - value(fromModel, i)));
      }
    }
    assertThat(longer).as("requests with more interactions than N").isPositive();
    assertThat(worst)
        .as("largest difference between the published client's act and the actor with the encoder")
        .isLessThan(TOLERANCE);
    assertThat(worstUnpublished)
        .as("largest difference between the unpublished model's act and the actor")
        .isLessThan(TOLERANCE);

    ArtifactManifest manifest = client.manifest();
    assertThat(manifest.formatVersion()).isEqualTo(ArtifactManifest.FORMAT_VERSION_ITEM_VECTORS);
    assertThat(manifest.itemVectors())
        .as("the manifest names the vectors and their source")
        .isEqualTo(
            new ArtifactManifest.ItemVectors(ItemVectorFile.FILE_NAME, 8, 3, "2024-01-06", 4L));
    assertThat(manifest.files()).containsKey(ItemVectorFile.FILE_NAME);
    assertThatThrownBy(() -> client.act("feed", new float[ArtifactFixtures.OBS], new float[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("recent interactions");
    assertThatThrownBy(
            () ->
                unpublished.act("feed", new float[ArtifactFixtures.OBS], new float[0][], List.of()))
        .as("an unpublished model's client has no item vectors")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no item vectors");

    Path quotas = dir.resolve(QuotaFile.FILE_NAME);
    QuotaFile.write(quotas, ArtifactFixtures.quotas());
    Path otherRoot = dir.resolve("other");
    assertThatThrownBy(
            () ->
                PolicyArtifacts.publish(
                    otherRoot,
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
        .as("an encoder policy without its item vectors")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no item vectors were given");
    assertThat(otherRoot).as("nothing published").doesNotExist();

    Path tampered = dir.resolve("tampered-vectors");
    copyTree(published.directory(), tampered);
    Path file = tampered.resolve(ItemVectorFile.FILE_NAME);
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 2] ^= 0x01;
    Files.write(file, bytes);
    assertThatThrownBy(() -> PolicyClient.load(tampered))
        .as("a changed item vector")
        .isInstanceOf(PolicyArtifactException.class)
        .hasMessageContaining(ItemVectorFile.FILE_NAME + " has sha256");
  }

  private static float value(Action action, int i) {
    return i < ArtifactFixtures.ACTION ? action.weight(i) : action.explorationProbability();
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
            .replace("\"format_version\" : 1", "\"format_version\" : 3")
            .getBytes(StandardCharsets.UTF_8);
    Files.write(newer.resolve(ArtifactManifest.FILE_NAME), changed);
    Files.writeString(
        newer.resolve(ArtifactManifest.CHECKSUM_FILE), PolicyArtifacts.sha256(changed));
    assertThatThrownBy(() -> PolicyClient.load(newer))
        .as("another format version")
        .isInstanceOf(PolicyArtifactException.class)
        .hasMessageContaining("format version 3");
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
