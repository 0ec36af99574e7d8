package dev.kindling.agents.serving;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A main for {@link PolicyClientWithoutSparkTest}'s child JVM: reports whether Spark is on the
 * class path, then for each pair of arguments (an artifact root, an input file) loads the root's
 * LATEST artifact with {@link PolicyClient} and prints {@code policy}, act's answer for every
 * request of the file, and the quota of {@code item-1}. A request is one line: the scenario, the
 * raw observation, the user's recent interactions (newest first, {@code item,clicked,completed,age}
 * separated by {@code ;}, possibly none), then the recent steps, separated by {@code |}, values by
 * spaces.
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
    for (int pair = 0; pair + 1 < args.length; pair += 2) {
      PolicyClient client = PolicyClient.loadLatest(Path.of(args[pair]));
      System.out.println("policy");
      List<String> lines = Files.readAllLines(Path.of(args[pair + 1]), StandardCharsets.UTF_8);
      for (String line : lines) {
        String[] parts = line.split("\\|", -1);
        float[] observation = floats(parts[1]);
        List<SequenceInputs.Interaction> interactions = interactions(parts[2]);
        float[][] recent = new float[parts.length - 3][];
        for (int i = 3; i < parts.length; i++) {
          recent[i - 3] = floats(parts[i]);
        }
        Action action = client.act(parts[0], observation, recent, interactions);
        StringBuilder out = new StringBuilder("act");
        for (float weight : action.weights()) {
          out.append(' ').append(Float.toString(weight));
        }
        out.append(' ').append(Float.toString(action.explorationProbability()));
        System.out.println(out.toString().toLowerCase(Locale.ROOT));
      }
      System.out.println("quota " + client.quota("item-1"));
    }
  }

  /** The text of {@code interactions} in a request line (see the class comment). */
  static String text(List<SequenceInputs.Interaction> interactions) {
    StringBuilder text = new StringBuilder();
    for (SequenceInputs.Interaction interaction : interactions) {
      if (text.length() > 0) {
        text.append(';');
      }
      text.append(interaction.itemId())
          .append(',')
          .append(interaction.clicked())
          .append(',')
          .append(interaction.completed())
          .append(',')
          .append(interaction.ageHours());
    }
    return text.toString();
  }

  private static List<SequenceInputs.Interaction> interactions(String text) {
    List<SequenceInputs.Interaction> interactions = new ArrayList<>();
    if (text.isEmpty()) {
      return interactions;
    }
    for (String one : text.split(";")) {
      String[] fields = one.split(",");
      interactions.add(
          new SequenceInputs.Interaction(
              fields[0],
              Boolean.parseBoolean(fields[1]),
              Boolean.parseBoolean(fields[2]),
              Double.parseDouble(fields[3])));
    }
    return interactions;
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
