package dev.kindling.pipelines.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kindling dag-spec}: the nightly stages as the Airflow DAG runs them, as JSON. */
@Command(
    name = "dag-spec",
    mixinStandardHelpOptions = true,
    description = {
      "Print the nightly stages as the Airflow DAG runs them (task id, main class, arguments with"
          + " {{ ds }} for the run date), as JSON.",
      "dags/kindling_stages.json is its checked-in copy: after adding or renaming a stage, run"
          + " bin/kindling dag-spec > dags/kindling_stages.json."
    })
final class DagSpecCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.out.print(DagSpec.text());
    return 0;
  }
}
