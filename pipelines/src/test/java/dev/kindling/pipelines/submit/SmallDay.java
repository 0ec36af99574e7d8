package dev.kindling.pipelines.submit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kindling.pipelines.cli.KindlingCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A two-day world small enough for the integration tests, and its config file. */
final class SmallDay {

  private SmallDay() {}

  /**
   * A config file that includes the repository's {@code conf/local.conf} and shrinks the world,
   * training and evaluation; the gate is opened (a two-round policy is not under test here). Later
   * lines override earlier ones, so {@code extraLines} can change any of these.
   */
  static Path writeConfig(Path config, Path root, String... extraLines) throws Exception {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "include file(\"" + DagSubmissions.REPO.resolve("conf/local.conf") + "\")",
                "lakehouse.root = \"" + root + "\"",
                "spark.shuffle-partitions = 2",
                "simulate { users = 300, new-users-per-day = 20, items = 200,"
                    + " new-items-per-day = 20 }",
                "train { rounds = 2, batch-size = 128, transitions-per-round = 512, workers = 2 }",
                "score-cold-start { num-trees = 3, max-depth = 3 }",
                "evaluate { bootstrap-replicates = 50, fqe-steps = 512, fqe-iterations = 2,"
                    + " fqe-batch-size = 256, value-tolerance = 1e6, max-ctr-loss = 1,"
                    + " exploration-band = 1000 }"));
    lines.addAll(Arrays.asList(extraLines));
    lines.add("");
    Files.writeString(config, String.join("\n", lines));
    return config;
  }

  /** Simulates two days and runs validate and features for the first, in this JVM. */
  static void prepare(Path config, LocalDate day1) {
    String conf = config.toString();
    assertThat(KindlingCli.run("simulate", "--config", conf, "--days", "2")).isZero();
    assertThat(KindlingCli.run("validate", "--config", conf, "--run-date", day1.toString()))
        .isZero();
    assertThat(KindlingCli.run("features", "--config", conf, "--run-date", day1.toString()))
        .isZero();
  }
}
