package dev.kindling.pipelines.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.nets.EncoderShape;
import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.serving.Action;
import dev.kindling.agents.serving.ArtifactManifest;
import dev.kindling.agents.serving.ItemVectorFile;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.serving.QuotaFile;
import dev.kindling.agents.serving.SequenceInputs;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.replay.ReplayParams;
import dev.kindling.features.schema.FeatureSpecSchema;
import dev.kindling.features.schema.ItemEmbeddingsSchema;
import dev.kindling.pipelines.KindlingException;
import dev.kindling.pipelines.config.KindlingConfig;
import dev.kindling.pipelines.lakehouse.Lakehouse;
import dev.kindling.pipelines.lakehouse.Table;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PublishJob} on a lakehouse holding a trained policy (fresh networks of the default replay
 * layout saved as {@code models/dt=D}) and its {@code replay_feature_spec} partition: the clear
 * refusals (no quota file, an unevaluated policy without publish.allow-unevaluated), then a
 * publication whose manifest carries the feature spec and which the serving client loads; and
 * republishing. The real train → publish → warm start path is in {@link TrainJobTest}. The tests
 * run in order on one lakehouse.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PublishJobTest {

  @TempDir static Path dir;

  private static SparkSession spark;
  private static Path root;
  private static final LocalDate DAY = LocalDate.parse("2024-01-07");
  private static final List<String> NAMES = ObservationSpec.featureNames(JobFixtures.SCENARIOS);

  @BeforeAll
  static void modelAndFeatureSpec() {
    spark = SparkTestSession.get();
    root = dir.resolve("lakehouse");
    NetworkShape shape =
        NetworkShape.of(
            NAMES.size(),
            ReplayParams.DEFAULT_ACTION_LENGTH,
            ReplayParams.DEFAULT_HISTORY_STEPS,
            JobFixtures.SCENARIOS.size(),
            7L);
    PolicyFiles.save(
        root.resolve(TrainJob.MODELS).resolve(PolicyArtifacts.directoryName(DAY)),
        Td3BcNetworks.fresh(shape),
        PolicyFiles.metadata(
            2, DAY.toString(), JobFixtures.SCENARIOS, shape, Td3BcConfig.defaults()));
    List<Row> spec = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      spec.add(
          RowFactory.create(
              Date.valueOf(DAY), NAMES.get(i), i, 0.5 * i, i == 0 ? 0.0 : 2.0, null, null));
    }
    new Lakehouse(spark, root.toString())
        .replacePartition(
            Table.REPLAY_FEATURE_SPEC,
            DAY,
            spark.createDataFrame(spec, FeatureSpecSchema.TABLE_SCHEMA));
  }

  private static PublishConfig publishConfig(String... overrides) {
    List<String> all = new ArrayList<>();
    all.add("lakehouse.root=" + root);
    all.addAll(List.of(overrides));
    return PublishConfig.from(KindlingConfig.defaults(all), DAY);
  }

  @Test
  @Order(1)
  void withoutTheQuotaFileItFailsNamingItAndTheAllocateCommand() {
    assertThatThrownBy(
            () -> new PublishJob(spark, publishConfig("publish.allow-unevaluated=true")).run())
        .as("publish without quotas/dt=D/quotas.bin")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining(QuotaFile.FILE_NAME)
        .hasMessageContaining("bin/kindling allocate --run-date " + DAY);
    assertThat(Files.exists(root.resolve("artifacts/policy/LATEST")))
        .as("nothing published")
        .isFalse();
  }

  @Test
  @Order(2)
  void anUnevaluatedPolicyIsRefusedUnlessTheConfigAllowsIt() throws IOException {
    Path quotas = root.resolve(AllocateJob.quotaFilePath(DAY));
    Files.createDirectories(quotas.getParent());
    QuotaFile.write(quotas, Map.of("item-a", 12L, "item-b", 3L));

    assertThatThrownBy(() -> new PublishJob(spark, publishConfig()).run())
        .as("publish.allow-unevaluated defaults to false")
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("not been evaluated")
        .hasMessageContaining("publish.allow-unevaluated=true");
    assertThat(Files.exists(root.resolve("artifacts/policy/LATEST")))
        .as("nothing published")
        .isFalse();
  }

  @Test
  @Order(3)
  void publishesAnArtifactTheClientLoadsAndRepublishesInPlace() throws IOException {
    PublishResult result =
        new PublishJob(spark, publishConfig("publish.allow-unevaluated=true")).run();

    String name = PolicyArtifacts.directoryName(DAY);
    assertThat(result.latest()).as("LATEST after publishing").isEqualTo(name);
    assertThat(
            Files.readString(root.resolve("artifacts/policy/LATEST"), StandardCharsets.UTF_8)
                .trim())
        .as("LATEST holds the directory name")
        .isEqualTo(name);
    assertThat(result.quotaItems()).as("quota items").isEqualTo(2L);
    assertThat(result.gate()).as("gate").isEqualTo(ArtifactManifest.GATE_NOT_EVALUATED);

    PolicyClient client = PolicyClient.loadLatest(root.resolve("artifacts/policy"));
    ArtifactManifest manifest = client.manifest();
    assertThat(manifest.gitCommit())
        .as("commit without bin/kindling")
        .isEqualTo(PublishConfig.UNKNOWN_COMMIT);
    assertThat(manifest.normalisation().names())
        .as("the feature spec names the observation in order")
        .isEqualTo(NAMES);
    assertThat(manifest.normalisation().mean(3)).as("a feature's mean").isEqualTo(1.5);
    assertThat(manifest.normalisation().std(0)).as("a constant feature's std").isZero();
    assertThat(client.quota("item-a")).as("a quota").isEqualTo(12L);
    Action action =
        client.act(
            JobFixtures.SCENARIOS.get(0),
            new float[client.shape().observationSize()],
            new float[0][]);
    float sum = 0f;
    for (float weight : action.weights()) {
      sum += weight;
    }
    assertThat(sum).as("the ranking weights are a softmax").isCloseTo(1f, within(1e-5f));

    PublishResult again =
        new PublishJob(spark, publishConfig("publish.allow-unevaluated=true")).run();
    assertThat(again.directory())
        .as("republishing replaces the same directory")
        .isEqualTo(result.directory());
    assertThat(PolicyClient.loadLatest(root.resolve("artifacts/policy")).manifest().files())
        .as("the same files again")
        .isEqualTo(manifest.files());
  }

  /**
   * A policy whose actors read the behaviour-sequence encoder ships the item vectors of the
   * item_embeddings partition and Delta version its replay_feature_spec records, even after that
   * partition was rebuilt; the loaded client acts on them as the model does on the inputs built
   * from those vectors.
   */
  @Test
  @Order(4)
  void anEncoderPolicyShipsTheItemVectorsItsReplayRecorded() {
    LocalDate day = DAY.plusDays(1);
    EncoderShape encoder = EncoderShape.of(4, 5);
    NetworkShape shape =
        NetworkShape.of(
                NAMES.size(),
                ReplayParams.DEFAULT_ACTION_LENGTH,
                ReplayParams.DEFAULT_HISTORY_STEPS,
                JobFixtures.SCENARIOS.size(),
                9L)
            .withEncoder(encoder);
    Path model = root.resolve(TrainJob.MODELS).resolve(PolicyArtifacts.directoryName(day));
    PolicyFiles.save(
        model,
        Td3BcNetworks.fresh(shape),
        PolicyFiles.metadata(
            1, day.toString(), JobFixtures.SCENARIOS, shape, Td3BcConfig.defaults()));
    Lakehouse lakehouse = new Lakehouse(spark, root.toString());
    lakehouse.replacePartition(Table.ITEM_EMBEDDINGS, DAY, embeddings(1f));
    long recorded = lakehouse.version(Table.ITEM_EMBEDDINGS);
    lakehouse.replacePartition(Table.ITEM_EMBEDDINGS, DAY, embeddings(-1f));
    List<Row> spec = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      spec.add(
          RowFactory.create(
              Date.valueOf(day), NAMES.get(i), i, 0.0, 1.0, Date.valueOf(DAY), recorded));
    }
    lakehouse.replacePartition(
        Table.REPLAY_FEATURE_SPEC,
        day,
        spark.createDataFrame(spec, FeatureSpecSchema.TABLE_SCHEMA));
    Path quotas = root.resolve(AllocateJob.quotaFilePath(day));
    try {
      Files.createDirectories(quotas.getParent());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    QuotaFile.write(quotas, Map.of("item-a", 5L));

    PublishResult result =
        new PublishJob(
                spark,
                PublishConfig.from(
                    KindlingConfig.defaults(
                        List.of("lakehouse.root=" + root, "publish.allow-unevaluated=true")),
                    day))
            .run();

    PolicyClient client = PolicyClient.load(Path.of(result.directory()));
    assertThat(client.manifest().itemVectors())
        .as("the vectors of the recorded partition and version")
        .isEqualTo(
            new ArtifactManifest.ItemVectors(
                ItemVectorFile.FILE_NAME, 3, 4, DAY.toString(), recorded));
    PolicyClient unpublished = PolicyClient.fromModel(model, client.manifest().normalisation());
    List<SequenceInputs.Interaction> interactions =
        List.of(
            new SequenceInputs.Interaction("item-a", true, false, 1.0),
            new SequenceInputs.Interaction("item-c", false, false, 3.0),
            new SequenceInputs.Interaction("item-b", true, true, 30.0));
    String scenario = JobFixtures.SCENARIOS.get(0);
    float[] observation = new float[NAMES.size()];
    Action served = client.act(scenario, observation, new float[0][], interactions);
    Action recordedVectors =
        unpublished.act(
            scenario,
            observation,
            new float[0][],
            new SequenceInputs(encoder, vectors(1f)::get).of(interactions));
    Action laterVectors =
        unpublished.act(
            scenario,
            observation,
            new float[0][],
            new SequenceInputs(encoder, vectors(-1f)::get).of(interactions));
    for (int i = 0; i < served.size(); i++) {
      assertThat(served.weight(i))
          .as("weight " + i + " from the recorded vectors")
          .isCloseTo(recordedVectors.weight(i), within(1e-5f));
    }
    assertThat(served).as("not the rebuilt partition's vectors").isNotEqualTo(laterVectors);
  }

  /** Items a, b and c with vectors scaled by {@code sign}. */
  private static Map<String, float[]> vectors(float sign) {
    return Map.of(
        "item-a", new float[] {sign, 0f, 0.5f, 0f},
        "item-b", new float[] {0f, sign, 0f, 0.5f},
        "item-c", new float[] {0.5f * sign, 0.5f, -sign, 0f});
  }

  /** The item_embeddings partition of DAY holding {@link #vectors}. */
  private static Dataset<Row> embeddings(float sign) {
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, float[]> entry : vectors(sign).entrySet()) {
      List<Float> values = new ArrayList<>();
      for (float value : entry.getValue()) {
        values.add(value);
      }
      rows.add(
          RowFactory.create(
              entry.getKey(),
              "cat",
              Date.valueOf(DAY),
              values,
              ItemEmbeddingsSchema.SOURCE_LEARNED,
              false,
              10L,
              "word2vec",
              Map.of("dimension", "4")));
    }
    return spark.createDataFrame(rows, ItemEmbeddingsSchema.SCHEMA);
  }
}
