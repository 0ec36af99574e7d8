package dev.kindling.pipelines.submit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on this machine, from a Spark distribution's jars: one master on
 * {@code spark://127.0.0.1:7077} and {@code workers} workers, each its own JVM bound to 127.0.0.1;
 * executors are further JVMs the workers launch. {@link #close} stops everything it started, by
 * process, executors first. Integration tests only.
 */
public final class StandaloneCluster implements AutoCloseable {

  /** The master's URL, as the Airflow connection names it. */
  public static final String MASTER_URL = "spark://127.0.0.1:7077";

  private static final int MASTER_PORT = 7077;
  private static final long START_TIMEOUT_SECONDS = 120;

  private final List<Process> processes = new ArrayList<>();
  private final Path logs;

  private StandaloneCluster(Path logs) {
    this.logs = logs;
  }

  /**
   * Starts the master and {@code workers} workers of {@code coresPerWorker} cores and {@code
   * memoryPerWorker} (e.g. {@code 3g}) each, and waits until every worker has registered.
   *
   * @param home a scratch directory: the cluster's SPARK_HOME ({@code jars/} links the
   *     distribution's jars, which is where a worker looks for the executors' class path) and logs
   */
  public static StandaloneCluster start(
      Path home, int workers, int coresPerWorker, String memoryPerWorker) throws Exception {
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : DagSubmissions.sparkClasspath().split(":")) {
      Path source = Path.of(jar);
      Path link = jars.resolve(source.getFileName());
      if (!Files.exists(link)) {
        Files.createSymbolicLink(link, source);
      }
    }
    Path logs = Files.createDirectories(home.resolve("logs"));
    StandaloneCluster cluster = new StandaloneCluster(logs);
    try {
      Map<String, String> env =
          Map.of(
              "SPARK_HOME", home.toString(),
              "SPARK_SCALA_VERSION", "2.12",
              "SPARK_LOCAL_IP", "127.0.0.1",
              "SPARK_WORKER_DIR", home.resolve("work").toString(),
              "OMP_NUM_THREADS", "1");
      Path masterLog =
          cluster.launch(
              "master",
              env,
              "org.apache.spark.deploy.master.Master",
              "--host",
              "127.0.0.1",
              "--port",
              String.valueOf(MASTER_PORT),
              "--webui-port",
              "0");
      awaitPort(MASTER_PORT, masterLog);
      for (int i = 1; i <= workers; i++) {
        cluster.launch(
            "worker-" + i,
            env,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            String.valueOf(coresPerWorker),
            "--memory",
            memoryPerWorker,
            "--webui-port",
            "0",
            MASTER_URL);
      }
      for (int i = 1; i <= workers; i++) {
        awaitLine(logs.resolve("worker-" + i + ".log"), "Successfully registered with master");
      }
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  private Path launch(String name, Map<String, String> env, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        Arrays.asList(System.getProperty("kindling.java-opens", "").trim().split("\\s+")));
    command.addAll(List.of("-Xmx512m", "-cp", DagSubmissions.sparkClasspath(), mainClass));
    command.addAll(List.of(args));
    Path log = logs.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    processes.add(builder.start());
    return log;
  }

  private static void awaitPort(int port, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(500);
      }
    }
    throw new AssertionError("the master did not listen on " + port + "; its log:\n" + read(log));
  }

  private static void awaitLine(Path log, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      if (read(log).contains(line)) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(log.getFileName() + " never said '" + line + "':\n" + read(log));
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  /** Stops the executors, workers and master it started, and waits for them to exit. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process process = processes.get(i);
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
