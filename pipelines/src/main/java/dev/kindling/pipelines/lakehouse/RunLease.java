package dev.kindling.pipelines.lakehouse;

import dev.kindling.pipelines.Errors;
import dev.kindling.pipelines.KindlingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The right to write one stage's outputs for one run date: a small lease file {@code
 * _locks/<stage>/dt=<D>.lease} under the lakehouse root, created exclusively, refreshed while the
 * stage runs and deleted when it ends. A second run of the same stage and date finds it and fails
 * with a {@link KindlingException} that names the holder, before it reads or writes anything.
 *
 * <p>A run killed with SIGKILL cannot delete its lease. A lease is therefore stale, and taken over
 * by the next run, when its holder stopped refreshing it for longer than the TTL, or at once when
 * the holder was a process on this host that no longer exists (a retry on the same machine does not
 * wait out the TTL). The holder refreshes the file's modification time every TTL / 4.
 *
 * <p>Guarantees. Creation is exclusive ({@code O_EXCL} on a local root, {@code create(overwrite =
 * false)} elsewhere: atomic on HDFS and ABFS, not on S3A before conditional writes, where the lease
 * only narrows the window and Airflow's {@code max_active_runs = 1} remains the guard). Take-over
 * renames the stale file away first, so of two runs taking over the same stale lease one wins the
 * rename. A holder that finds its lease gone or taken over when it ends fails, since its outputs
 * may be mixed with the other run's; the stages are idempotent, so a rerun repairs that.
 *
 * <p>Delta's own optimistic concurrency still guards each commit ({@link Lakehouse} translates its
 * conflicts); the lease guards what Delta cannot see: a stage's several tables and its model and
 * artifact files written together.
 */
public final class RunLease implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunLease.class);

  /** Directory of the lease files under the lakehouse root. */
  public static final String LOCKS = "_locks";

  private static final String OWNER = "owner";
  private static final String HOST = "host";
  private static final String PID = "pid";
  private static final String STARTED = "started";
  private static final int REFRESHES_PER_TTL = 4;

  private final Store store;
  private final String stage;
  private final LocalDate dt;
  private final String owner;
  private final ScheduledExecutorService heartbeat;
  private boolean closed;

  private RunLease(Store store, String stage, LocalDate dt, String owner, Duration ttl) {
    this.store = store;
    this.stage = stage;
    this.dt = dt;
    this.owner = owner;
    this.heartbeat =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "kindling-lease-" + stage + "-" + dt);
              thread.setDaemon(true);
              return thread;
            });
    long period = Math.max(1, ttl.toMillis() / REFRESHES_PER_TTL);
    heartbeat.scheduleAtFixedRate(this::refresh, period, period, TimeUnit.MILLISECONDS);
  }

  /** The relative path of the lease of {@code stage} for {@code dt} under the lakehouse root. */
  public static String relativePath(String stage, LocalDate dt) {
    return LOCKS + "/" + stage + "/dt=" + dt + ".lease";
  }

  /**
   * Takes the lease of {@code stage} for {@code dt}, the file at {@code location} (a qualified URI,
   * {@code file:} for a local root).
   *
   * @param ttl how long a lease may go unrefreshed before another run may take it over
   * @throws KindlingException when another live run holds it, naming that run
   */
  static RunLease acquire(
      String location, Configuration hadoop, String stage, LocalDate dt, Duration ttl) {
    Store store = Store.of(location, hadoop);
    String owner = UUID.randomUUID().toString();
    byte[] content = describe(owner);
    try {
      // Two tries: the second after a stale lease was moved away.
      for (int attempt = 0; attempt < 2; attempt++) {
        if (store.createExclusive(content)) {
          LOG.info("{} {}: took the lease {}", stage, dt, location);
          return new RunLease(store, stage, dt, owner, ttl);
        }
        Holder holder = store.holder();
        if (holder == null) {
          continue; // released between our create and our read
        }
        String staleness = holder.staleness(ttl);
        if (staleness == null) {
          throw conflict(stage, dt, location, holder, ttl);
        }
        if (store.moveAway(holder)) {
          LOG.warn(
              "{} {}: took over the lease {} of {} ({})",
              stage,
              dt,
              location,
              holder.describe(),
              staleness);
        }
      }
      Holder holder = store.holder();
      throw conflict(stage, dt, location, holder == null ? Holder.UNKNOWN : holder, ttl);
    } catch (IOException e) {
      throw Errors.of(
          "Could not take the lease " + location + " of " + stage + " for " + dt + ": " + e + ".",
          "Each stage holds a lease file under "
              + LOCKS
              + "/ while it writes, so that two runs"
              + " of one date never interleave their outputs.",
          "Check that the lakehouse root is writable, then rerun.");
    }
  }

  /** The stage this lease is for. */
  public String stage() {
    return stage;
  }

  /** The run date this lease is for. */
  public LocalDate runDate() {
    return dt;
  }

  /**
   * Stops refreshing and deletes the lease.
   *
   * @throws KindlingException when the lease was taken over by another run meanwhile
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.shutdownNow();
    try {
      Holder holder = store.holder();
      if (holder == null || !owner.equals(holder.owner())) {
        throw Errors.of(
            "The lease "
                + store.location()
                + " of "
                + stage
                + " for "
                + dt
                + " was taken over by "
                + (holder == null ? "nobody (it was deleted)" : holder.describe())
                + " while this run held it.",
            "Another run decided this one was dead (no refresh within the TTL) and may have"
                + " written the same outputs meanwhile.",
            "Make sure only one run of a stage and date is active, then rerun "
                + stage
                + " --run-date "
                + dt
                + " (it is idempotent).");
      }
      store.delete();
      LOG.info("{} {}: released the lease {}", stage, dt, store.location());
    } catch (IOException e) {
      LOG.warn(
          "{} {}: could not delete the lease {} ({}); the next run takes it over once it is"
              + " stale",
          stage,
          dt,
          store.location(),
          e.toString());
    }
  }

  private void refresh() {
    try {
      Holder holder = store.holder();
      if (holder == null || !owner.equals(holder.owner())) {
        LOG.error(
            "{} {}: the lease {} is no longer this run's ({}); this run fails when it ends",
            stage,
            dt,
            store.location(),
            holder == null ? "deleted" : "taken over by " + holder.describe());
        heartbeat.shutdown();
        return;
      }
      store.touch();
    } catch (IOException | RuntimeException e) {
      LOG.warn("{} {}: could not refresh the lease {}: {}", stage, dt, store.location(), e);
    }
  }

  private static KindlingException conflict(
      String stage, LocalDate dt, String location, Holder holder, Duration ttl) {
    return Errors.of(
        "Another run of "
            + stage
            + " for "
            + dt
            + " is in progress: "
            + holder.describe()
            + " holds the lease "
            + location
            + ".",
        "Two runs of one stage and date would interleave their writes of the same tables and"
            + " files.",
        "Wait for that run to finish and rerun if it failed. If it is dead, its lease is taken"
            + " over "
            + ttl.toSeconds()
            + " s after its last refresh (at once on its own host);"
            + " delete the file only when no such run exists.");
  }

  private static byte[] describe(String owner) {
    return String.join(
            "\n",
            OWNER + "=" + owner,
            HOST + "=" + localHost(),
            PID + "=" + ProcessHandle.current().pid(),
            STARTED + "=" + Instant.now(),
            "")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String localHost() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** The run named in a lease file, and when the file was last refreshed. */
  record Holder(String owner, String host, long pid, String started, Instant refreshed) {

    static final Holder UNKNOWN = new Holder("", "unknown", -1, "unknown", Instant.EPOCH);

    static Holder parse(String content, Instant refreshed) throws IOException {
      Properties p = new Properties();
      p.load(new StringReader(content));
      long pid;
      try {
        pid = Long.parseLong(p.getProperty(PID, "-1").trim());
      } catch (NumberFormatException e) {
        pid = -1;
      }
      return new Holder(
          p.getProperty(OWNER, ""),
          p.getProperty(HOST, "unknown"),
          pid,
          p.getProperty(STARTED, "unknown"),
          refreshed);
    }

    String describe() {
      return "process "
          + pid
          + " on "
          + host
          + " (started "
          + started
          + ", lease refreshed "
          + refreshed
          + ")";
    }

    /** Why this holder's lease may be taken over, or null when it is live. */
    String staleness(Duration ttl) {
      Duration silent = Duration.between(refreshed, Instant.now());
      if (silent.compareTo(ttl) > 0) {
        return "not refreshed for "
            + silent.toSeconds()
            + " s, over the TTL of "
            + ttl.toSeconds()
            + " s";
      }
      if (host.equals(localHost()) && pid > 0 && ProcessHandle.of(pid).isEmpty()) {
        return "process " + pid + " no longer runs on this host";
      }
      return null;
    }
  }

  /** The lease file on a local disk (NIO, O_EXCL) or on a Hadoop file system. */
  private abstract static class Store {

    abstract String location();

    /** Creates the file with {@code content}; false when it exists. */
    abstract boolean createExclusive(byte[] content) throws IOException;

    /** The holder named in the file, or null when there is no file. */
    abstract Holder holder() throws IOException;

    /** Renames the file away when it still names {@code holder}; true when this call did. */
    final boolean moveAway(Holder holder) throws IOException {
      Holder now = holder();
      if (now == null || !now.owner().equals(holder.owner())) {
        return false;
      }
      return renameAway();
    }

    /** Renames the file to a unique sibling and deletes that; false when it was gone. */
    abstract boolean renameAway() throws IOException;

    abstract void touch() throws IOException;

    abstract void delete() throws IOException;

    static Store of(String location, Configuration hadoop) {
      URI uri = URI.create(location);
      if ("file".equals(uri.getScheme())) {
        return new LocalStore(Paths.get(uri));
      }
      return new HadoopStore(new org.apache.hadoop.fs.Path(location), hadoop);
    }
  }

  private static final class LocalStore extends Store {
    private final Path file;

    LocalStore(Path file) {
      this.file = file;
    }

    @Override
    String location() {
      return file.toString();
    }

    @Override
    boolean createExclusive(byte[] content) throws IOException {
      Files.createDirectories(file.getParent());
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(content);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }

    @Override
    Holder holder() throws IOException {
      try {
        Instant refreshed = Files.getLastModifiedTime(file).toInstant();
        return Holder.parse(Files.readString(file, StandardCharsets.UTF_8), refreshed);
      } catch (NoSuchFileException e) {
        return null;
      }
    }

    @Override
    boolean renameAway() throws IOException {
      Path tombstone = file.resolveSibling(file.getFileName() + ".stale-" + UUID.randomUUID());
      try {
        Files.move(file, tombstone, StandardCopyOption.ATOMIC_MOVE);
      } catch (NoSuchFileException e) {
        return false;
      }
      Files.deleteIfExists(tombstone);
      return true;
    }

    @Override
    void touch() throws IOException {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
    }

    @Override
    void delete() throws IOException {
      Files.deleteIfExists(file);
    }
  }

  private static final class HadoopStore extends Store {
    private final org.apache.hadoop.fs.Path file;
    private final FileSystem fs;

    HadoopStore(org.apache.hadoop.fs.Path file, Configuration hadoop) {
      this.file = file;
      try {
        this.fs = file.getFileSystem(hadoop);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    String location() {
      return file.toString();
    }

    @Override
    boolean createExclusive(byte[] content) throws IOException {
      fs.mkdirs(file.getParent());
      try (OutputStream out = fs.create(file, false)) {
        out.write(content);
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
        return false;
      }
    }

    @Override
    Holder holder() throws IOException {
      try {
        FileStatus status = fs.getFileStatus(file);
        try (InputStream in = fs.open(file)) {
          return Holder.parse(
              new String(in.readAllBytes(), StandardCharsets.UTF_8),
              Instant.ofEpochMilli(status.getModificationTime()));
        }
      } catch (java.io.FileNotFoundException e) {
        return null;
      }
    }

    @Override
    boolean renameAway() throws IOException {
      org.apache.hadoop.fs.Path tombstone =
          new org.apache.hadoop.fs.Path(
              file.getParent(), file.getName() + ".stale-" + UUID.randomUUID());
      if (!fs.rename(file, tombstone)) {
        return false;
      }
      fs.delete(tombstone, false);
      return true;
    }

    @Override
    void touch() throws IOException {
      fs.setTimes(file, System.currentTimeMillis(), -1);
    }

    @Override
    void delete() throws IOException {
      fs.delete(file, false);
    }
  }
}
