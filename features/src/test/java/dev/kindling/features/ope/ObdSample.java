package dev.kindling.features.ope;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The Open Bandit Dataset's small sample: where it is, its logs per behaviour policy and campaign,
 * and the Bernoulli TS priors of {@code prior_bts.yaml}.
 *
 * <p>The directory is the system property {@value #PROPERTY}, else the environment variable {@value
 * #ENV}, else the copy in the repository, {@value #BUNDLED} (its {@code ABOUT.md} says what it is).
 */
final class ObdSample {

  static final String PROPERTY = "kindling.obd.dir";
  static final String ENV = "KINDLING_OBD_DIR";
  static final String BUNDLED = "features/src/test/data/obd";

  private static final Pattern CAMPAIGN = Pattern.compile("^([a-z]+):$");
  private static final Pattern PARAMETER = Pattern.compile("^  (alpha|beta):$");
  private static final Pattern VALUE = Pattern.compile("^    - ([0-9]+(?:\\.[0-9]+)?)$");

  /** One campaign's Beta prior per item, index = item_id. */
  record Prior(double[] alpha, double[] beta) {}

  private ObdSample() {}

  /** The sample's directory; fails with where it was looked for when it is missing. */
  static Path directory() {
    String configured = System.getProperty(PROPERTY);
    String source = "system property " + PROPERTY;
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(ENV);
      source = "environment variable " + ENV;
    }
    Path dir;
    if (configured == null || configured.isBlank()) {
      Path root = repositoryRoot();
      dir = root.resolve(BUNDLED).normalize();
      source = "copy in the repository, " + BUNDLED;
    } else {
      dir = Paths.get(configured).toAbsolutePath().normalize();
    }
    if (!Files.isRegularFile(dir.resolve("prior_bts.yaml"))) {
      throw new IllegalStateException(
          "the Open Bandit Dataset sample is not at "
              + dir
              + " (from the "
              + source
              + "): expected prior_bts.yaml, {bts,random}/{men,women}/<campaign>.csv[.gz] there; put"
              + " the sample there or point -D"
              + PROPERTY
              + "=<dir> or "
              + ENV
              + " at it");
    }
    return dir;
  }

  /** The nearest ancestor of the working directory that holds the reactor's pom and features/. */
  private static Path repositoryRoot() {
    Path start = Paths.get("").toAbsolutePath();
    for (Path p = start; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isRegularFile(p.resolve("features/pom.xml"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no repository root (a directory with pom.xml and features/pom.xml) above " + start);
  }

  /**
   * One log as typed columns: {@code row_id} (the CSV's unnamed index), {@code item_id}, {@code
   * position} (1..3), {@code click}, {@code propensity_score} and {@code user_feature_0..3}.
   */
  static Dataset<Row> log(SparkSession spark, Path dir, String policy, String campaign) {
    Path file = dir.resolve(policy).resolve(campaign).resolve(campaign + ".csv");
    if (!Files.isRegularFile(file)) {
      file = file.resolveSibling(campaign + ".csv.gz");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalStateException("missing OBD log " + file + " (or the plain .csv)");
    }
    return spark
        .read()
        .option("header", "true")
        .csv(file.toString())
        .select(
            col("_c0").cast("long").as(CrossFittedRewardModel.ROW_ID),
            col("item_id").cast("int").as("item_id"),
            col("position").cast("int").as("position"),
            col("click").cast("double").as("click"),
            col("propensity_score").cast("double").as("propensity_score"),
            col("user_feature_0"),
            col("user_feature_1"),
            col("user_feature_2"),
            col("user_feature_3"));
  }

  /**
   * The priors of {@code prior_bts.yaml}, parsed strictly: campaign keys at column 0, {@code
   * alpha:}/{@code beta:} at 2, list items {@code - <number>} at 4; any other line fails.
   */
  static Map<String, Prior> priors(Path dir) throws IOException {
    Path file = dir.resolve("prior_bts.yaml");
    Map<String, Map<String, List<Double>>> parsed = new LinkedHashMap<>();
    String campaign = null;
    List<Double> current = null;
    List<String> lines = Files.readAllLines(file);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).stripTrailing();
      if (line.isEmpty()) {
        continue;
      }
      Matcher m;
      if ((m = CAMPAIGN.matcher(line)).matches()) {
        campaign = m.group(1);
        parsed.put(campaign, new LinkedHashMap<>());
        current = null;
      } else if ((m = PARAMETER.matcher(line)).matches() && campaign != null) {
        current = new ArrayList<>();
        parsed.get(campaign).put(m.group(1), current);
      } else if ((m = VALUE.matcher(line)).matches() && current != null) {
        current.add(Double.parseDouble(m.group(1)));
      } else {
        throw new IllegalStateException(
            file + " line " + (i + 1) + " is not of the expected layout: '" + line + "'");
      }
    }
    Map<String, Prior> priors = new LinkedHashMap<>();
    parsed.forEach(
        (name, params) -> {
          List<Double> alpha = params.get("alpha");
          List<Double> beta = params.get("beta");
          if (alpha == null || beta == null || alpha.size() != beta.size()) {
            throw new IllegalStateException(
                file + ": campaign " + name + " needs alpha and beta lists of equal length");
          }
          priors.put(
              name,
              new Prior(
                  alpha.stream().mapToDouble(Double::doubleValue).toArray(),
                  beta.stream().mapToDouble(Double::doubleValue).toArray()));
        });
    return priors;
  }
}
