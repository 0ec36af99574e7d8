package dev.kindling.agents.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.agents.nets.PolicyFiles;
import dev.kindling.agents.nets.Td3BcNetworks;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PolicyClient} in a child JVM whose class path is this test's minus every Spark, Scala,
 * Hadoop and Delta jar: it loads a published artifact and answers act as the trained network does.
 */
class PolicyClientWithoutSparkTest {

  private static final LocalDate DAY = LocalDate.parse("2024-01-07");
  private static final double TOLERANCE = 1e-5;
  private static final int REQUESTS = 20;
  private static final long TIMEOUT_MINUTES = 3;

  @TempDir Path dir;

  @Test
  void aChildJvmWithoutSparkLoadsTheArtifactAndActsAsTheNetwork() throws Exception {
    Path root = dir.resolve("artifacts/policy");
    ArtifactFixtures.publish(dir, root, DAY, 11L, 7);
    Td3BcNetworks networks = PolicyFiles.load(dir.resolve("models/dt=" + DAY)).networks();
    List<ArtifactFixtures.Request> requests = ArtifactFixtures.requests(REQUESTS, 9L);
    List<String> lines = new ArrayList<>();
    for (ArtifactFixtures.Request request : requests) {
      StringBuilder line =
          new StringBuilder(request.scenario()).append('|').append(text(request.observation()));
      for (float[] step : request.recentSteps()) {
        line.append('|').append(text(step));
      }
      lines.add(line.toString());
    }
    Path input = dir.resolve("requests.txt");
    Files.write(input, lines, StandardCharsets.UTF_8);

    String fullPath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> kept = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (String entry : fullPath.split(File.pathSeparator)) {
      (isSparkStack(entry) ? dropped : kept).add(entry);
    }
    assertThat(dropped).as("Spark jars removed from the child's class path").isNotEmpty();
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>();
    command.add(javaBin.toString());
    command.add("-Xmx1g");
    command.add("-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"));
    String cache = System.getProperty("org.bytedeco.javacpp.cachedir");
    if (cache != null) {
      command.add("-Dorg.bytedeco.javacpp.cachedir=" + cache);
    }
    command.add("-cp");
    command.add(String.join(File.pathSeparator, kept));
    command.add(ServingProbe.class.getName());
    command.add(root.toString());
    command.add(input.toString());
    Path errFile = dir.resolve("child.err");
    Process process = new ProcessBuilder(command).redirectError(errFile.toFile()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES))
        .as("the child finished")
        .isTrue();
    assertThat(process.exitValue())
        .as("child exit code; stdout:\n" + out + "\nstderr:\n" + Files.readString(errFile))
        .isZero();

    List<String> output = out.lines().collect(Collectors.toList());
    assertThat(output).as("the child had no Spark").contains("spark absent");
    List<String> acts = output.stream().filter(l -> l.startsWith("act ")).toList();
    assertThat(acts).as("one answer per request").hasSize(REQUESTS);
    double worst = 0.0;
    for (int i = 0; i < REQUESTS; i++) {
      float[] actual = ServingProbe.floats(acts.get(i).substring("act ".length()));
      float[] expected = ArtifactFixtures.networkOutput(networks, requests.get(i));
      assertThat(actual).as("values of answer " + i).hasSize(expected.length);
      for (int k = 0; k < expected.length; k++) {
        worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
      }
    }
    assertThat(worst).as("largest difference from the network's output").isLessThan(TOLERANCE);
    assertThat(output).as("quotas served").contains("quota 40");
  }

  private static boolean isSparkStack(String entry) {
    String name = Path.of(entry).getFileName().toString().toLowerCase(Locale.ROOT);
    String path = entry.replace('\\', '/');
    return name.contains("spark")
        || name.contains("scala")
        || name.contains("hadoop")
        || name.contains("delta")
        || path.contains("/org/apache/spark/")
        || path.contains("/org/scala-lang/")
        || path.contains("/org/apache/hadoop/")
        || path.contains("/io/delta/");
  }

  private static String text(float[] values) {
    StringBuilder text = new StringBuilder();
    for (float value : values) {
      if (text.length() > 0) {
        text.append(' ');
      }
      text.append(Float.toString(value));
    }
    return text.toString();
  }
}
