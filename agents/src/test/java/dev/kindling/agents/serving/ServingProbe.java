package dev.kindling.agents.serving;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A main for {@link PolicyClientWithoutSparkTest}'s child JVM: reports whether Spark is on the
 * class path, loads the LATEST artifact of an artifact root with {@link PolicyClient}, and prints
 * act's answer for every request of an input file (one line each: the scenario, then the raw
 * observation, then the recent steps, separated by {@code |}, values by spaces).
 */
final class ServingProbe {

  private ServingProbe() {}

  public static void main(String[] args) throws Exception {
    try {
      Class.forName("org.apache.spark.sql.Row");
      System.out.println("spark present");
    } catch (ClassNotFoundException e) {
      System.out.println("spark absent");
    }
    PolicyClient client = PolicyClient.loadLatest(Path.of(args[0]));
    List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
    for (String line : lines) {
      String[] parts = line.split("\\|", -1);
      float[] observation = floats(parts[1]);
      float[][] recent = new float[parts.length - 2][];
      for (int i = 2; i < parts.length; i++) {
        recent[i - 2] = floats(parts[i]);
      }
      Action action = client.act(parts[0], observation, recent);
      StringBuilder out = new StringBuilder("act");
      for (float weight : action.weights()) {
        out.append(' ').append(Float.toString(weight));
      }
      out.append(' ').append(Float.toString(action.explorationProbability()));
      System.out.println(out.toString().toLowerCase(Locale.ROOT));
    }
    System.out.println("quota " + client.quota("item-1"));
  }

  static float[] floats(String text) {
    String[] tokens = text.trim().split(" ");
    float[] values = new float[tokens.length];
    for (int i = 0; i < tokens.length; i++) {
      values[i] = Float.parseFloat(tokens[i]);
    }
    return values;
  }
}
