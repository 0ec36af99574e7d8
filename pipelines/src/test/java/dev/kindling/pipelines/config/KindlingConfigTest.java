package dev.kindling.pipelines.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kindling.pipelines.KindlingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KindlingConfigTest {

  @TempDir Path dir;

  private Path write(String hocon) throws IOException {
    Path file = dir.resolve("test.conf");
    Files.writeString(file, hocon);
    return file;
  }

  @Test
  void defaultsApplyWhenTheFileIsSilent() throws IOException {
    KindlingConfig config = KindlingConfig.load(write(""), List.of());
    assertThat(config.get(ConfigKeys.LAKEHOUSE_ROOT)).isEqualTo("./lakehouse");
    assertThat(config.get(ConfigKeys.SCENARIOS)).containsExactly("feed", "search", "detail");
  }

  @Test
  void overridesWinOverTheFileAndKeepUriValuesWhole() throws IOException {
    KindlingConfig config =
        KindlingConfig.load(
            write("lakehouse.root = /from/file\nspark.shuffle-partitions = 4"),
            List.of("lakehouse.root=s3a://bucket/kindling//x", "spark.shuffle-partitions=16"));
    assertThat(config.get(ConfigKeys.LAKEHOUSE_ROOT))
        .as("an override replaces the file's value, '//' included")
        .isEqualTo("s3a://bucket/kindling//x");
    assertThat(config.get(ConfigKeys.SPARK_SHUFFLE_PARTITIONS)).isEqualTo(16);
  }

  @Test
  void listsAcceptCommaSeparatedOverrides() {
    KindlingConfig config = KindlingConfig.defaults(List.of("scenarios=feed, home"));
    assertThat(config.get(ConfigKeys.SCENARIOS)).containsExactly("feed", "home");
  }

  @Test
  void unknownKeyIsAnErrorThatSuggestsTheClosestKey() throws IOException {
    Path file = write("lakehouse.rot = /x");
    assertThatThrownBy(() -> KindlingConfig.load(file, List.of()))
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("Unknown config key 'lakehouse.rot'")
        .hasMessageContaining("Did you mean 'lakehouse.root'");
  }

  @Test
  void invalidValueNamesTheKeyTheValueAndTheAllowedRange() {
    assertThatThrownBy(() -> KindlingConfig.defaults(List.of("spark.shuffle-partitions=-3")))
        .isInstanceOf(KindlingException.class)
        .hasMessageContaining("'spark.shuffle-partitions'")
        .hasMessageContaining("'-3'")
        .hasMessageContaining("an integer in [1, 100000]");
    assertThatThrownBy(() -> KindlingConfig.defaults(List.of("spark.shuffle-partitions=many")))
        .hasMessageContaining("'many'");
  }

  @Test
  void malformedOverrideAndMissingFileAreClearErrors() {
    assertThatThrownBy(() -> KindlingConfig.defaults(List.of("lakehouse.root")))
        .hasMessageContaining("Malformed --conf 'lakehouse.root'")
        .hasMessageContaining("key=value");
    assertThatThrownBy(() -> KindlingConfig.load(dir.resolve("nope.conf"), List.of()))
        .hasMessageContaining("nope.conf does not exist");
  }

  @Test
  void sparkConfIsFreeFormAndKeepsDottedNames() throws IOException {
    KindlingConfig config =
        KindlingConfig.load(
            write("spark.conf { \"spark.executor.memory\" = 4g }"),
            List.of("spark.conf.spark.executor.cores=3"));
    assertThat(config.sparkConf())
        .containsEntry("spark.executor.memory", "4g")
        .containsEntry("spark.executor.cores", "3");
  }

  @Test
  void shippedConfigFilesLoad() {
    Path conf = Path.of(System.getProperty("user.dir")).getParent().resolve("conf");
    for (String name : List.of("local.conf", "cluster.conf")) {
      KindlingConfig config = KindlingConfig.load(conf.resolve(name), List.of());
      assertThat(config.describe())
          .as(name + " lists every declared key")
          .hasSizeGreaterThanOrEqualTo(ConfigKeys.all().size());
    }
  }
}
