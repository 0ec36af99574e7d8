package dev.kindling.features.ope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObdSampleTest {

  @Test
  void missingSampleFailsSayingWhereItWasExpected(@TempDir Path empty) {
    String before = System.getProperty(ObdSample.PROPERTY);
    System.setProperty(ObdSample.PROPERTY, empty.resolve("obd").toString());
    try {
      assertThatThrownBy(ObdSample::directory)
          .as("a missing sample fails, naming the place and how to point elsewhere")
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(empty.resolve("obd").toString())
          .hasMessageContaining(ObdSample.PROPERTY)
          .hasMessageContaining(ObdSample.ENV);
    } finally {
      if (before == null) {
        System.clearProperty(ObdSample.PROPERTY);
      } else {
        System.setProperty(ObdSample.PROPERTY, before);
      }
    }
  }

  @Test
  void priorsParseStrictly(@TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("prior_bts.yaml"),
        "men:\n  alpha:\n    - 47.0\n    - 8.0\n  beta:\n    - 12198.0\n    - 3566.0\n");
    Map<String, ObdSample.Prior> priors = ObdSample.priors(dir);
    assertThat(priors.get("men").alpha()).as("alphas by item").containsExactly(47.0, 8.0);
    assertThat(priors.get("men").beta()).as("betas by item").containsExactly(12198.0, 3566.0);

    Files.writeString(dir.resolve("prior_bts.yaml"), "men:\n  alpha: [47.0, 8.0]\n");
    assertThatThrownBy(() -> ObdSample.priors(dir))
        .as("another YAML layout is refused, not misread")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("line 2");
  }
}
