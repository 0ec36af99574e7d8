package dev.kindling.pipelines.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.kindling.agents.nets.NetworkShape;
import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcConfig;
import dev.kindling.agents.nets.Td3BcNetworks;
import dev.kindling.agents.serving.Action;
import dev.kindling.agents.serving.ArtifactManifest;
import dev.kindling.agents.serving.PolicyArtifacts;
import dev.kindling.agents.serving.PolicyClient;
import dev.kindling.agents.serving.QuotaFile;
import dev.kindling.features.SparkTestSession;
import dev.kindling.features.replay.ObservationSpec;
import dev.kindling.features.replay.ReplayParams;
import dev.kindling.features.schema.FeatureSpecSchema;
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
}
