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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link PolicyClient} in a child JVM whose class path is this test's minus every Spark, Scala,
 * Hadoop and Delta jar: it loads two published artifacts, one plain and one whose actors read the
 * behaviour-sequence encoder with its item vectors, and answers act as the trained networks do (the
 * encoder's from the user's interactions, as the replay's encoder columns of them).
 */
class PolicyClientWithoutSparkTest {

  private static final LocalDate DAY = LocalDate.parse("2024-01-07");
  private static final double TOLERANCE = 1e-5;
  private static final int REQUESTS = 20;
  private static final long TIMEOUT_MINUTES = 3;

  @TempDir Path dir;

  @Test
  void aChildJvmWithoutSparkLoadsTheArtifactsAndActsAsTheNetworks() throws Exception {
    Path root = dir.resolve("artifacts/policy");
    ArtifactFixtures.publish(dir, root, DAY, 11L, 7);
    Td3BcNetworks networks = PolicyFiles.load(dir.resolve("models/dt=" + DAY)).networks();
    Path encoderRoot = dir.resolve("artifacts/encoder-policy");
    ArtifactFixtures.publishEncoder(dir, encoderRoot, DAY, 13L);
    Td3BcNetworks encoderNetworks =
        PolicyFiles.load(dir.resolve("encoder-models/dt=" + DAY)).networks();
    List<ArtifactFixtures.Request> requests = ArtifactFixtures.requests(REQUESTS, 9L);
    Random random = new Random(17L);
    List<List<SequenceInputs.Interaction>> interactions = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      interactions.add(ArtifactFixtures.interactions(random));
    }
    Path input = dir.resolve("requests.txt");
    Path encoderInput = dir.resolve("encoder-requests.txt");
    Files.write(input, lines(requests, null), StandardCharsets.UTF_8);
    Files.write(encoderInput, lines(requests, interactions), StandardCharsets.UTF_8);

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
    command.add(encoderRoot.toString());
    command.add(encoderInput.toString());
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
    assertThat(acts).as("one answer per request of each policy").hasSize(2 * REQUESTS);
    assertThat(output.stream().filter(l -> l.equals("quota 40")))
        .as("quotas served by both")
        .hasSize(2);
    double worst = 0.0;
    double worstEncoder = 0.0;
    SequenceInputs inputs =
        new SequenceInputs(ArtifactFixtures.ENCODER, ArtifactFixtures.itemVectors()::get);
    for (int i = 0; i < REQUESTS; i++) {
      float[] expected = ArtifactFixtures.networkOutput(networks, requests.get(i));
      worst = Math.max(worst, difference(acts.get(i), expected));
      float[] expectedEncoder =
          ArtifactFixtures.encoderNetworkOutput(
              encoderNetworks, requests.get(i), inputs.of(interactions.get(i)));
      worstEncoder = Math.max(worstEncoder, difference(acts.get(REQUESTS + i), expectedEncoder));
    }
    assertThat(worst).as("largest difference from the network's output").isLessThan(TOLERANCE);
    assertThat(worstEncoder)
        .as("largest difference from the encoder network's output on the replay's inputs")
        .isLessThan(TOLERANCE);
  }

  /** The request lines of {@code requests}, with {@code interactions} (none when null). */
  private static List<String> lines(
      List<ArtifactFixtures.Request> requests,
      List<List<SequenceInputs.Interaction>> interactions) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      ArtifactFixtures.Request request = requests.get(i);
      StringBuilder line =
          new StringBuilder(request.scenario())
              .append('|')
              .append(text(request.observation()))
              .append('|')
              .append(interactions == null ? "" : ServingProbe.text(interactions.get(i)));
      for (float[] step : request.recentSteps()) {
        line.append('|').append(text(step));
      }
      lines.add(line.toString());
    }
    return lines;
  }

  private static double difference(String act, float[] expected) {
    float[] actual = ServingProbe.floats(act.substring("act ".length()));
    assertThat(actual).as("values of " + act).hasSize(expected.length);
    double worst = 0.0;
    for (int k = 0; k < expected.length; k++) {
      worst = Math.max(worst, Math.abs(actual[k] - expected[k]));
    }
    return worst;
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
