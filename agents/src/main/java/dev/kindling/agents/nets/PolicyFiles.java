package dev.kindling.agents.nets;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Saves and loads every network of a TD3+BC run ({@link Td3BcNetworks}) with its {@link
 * NetworkShape}, {@link Td3BcConfig} and a little metadata, as one directory: one {@code
 * ModelSerializer} zip per network name ({@code critic_1.zip}, {@code target_actor_0.zip}, …,
 * updater state included, so a resumed run continues the critics' Adam moments) and {@value
 * #METADATA_FILE}, a JSON document with the format version, the rounds completed, the run date, the
 * scenario order, the shape, the config and the sha256 of every zip. Checkpoints, trained models
 * and warm starts all use this layout.
 *
 * <p>Atomicity: {@link #save} writes everything into a hidden temporary sibling directory and then
 * renames it into place. A directory that {@link #load} can see is therefore always complete;
 * replacing an older one first renames the older one aside and deletes it only after the new one is
 * in place, so a crash leaves either the old or the new directory (or, in the instant between the
 * two renames, neither: the older one then survives as a hidden {@code .<name>.old-*} sibling).
 *
 * <p>Scope: local file systems through {@code java.nio} only; object stores (S3, GCS, ABFS), which
 * have no atomic directory rename, are out of scope for now. The actors' Adam moments live in the
 * step's actor-training graphs, not in {@link Td3BcNetworks}, and are not saved: a resumed run
 * restarts them. Costs: one zip write or read per network (a few hundred KB each with the default
 * shape) and one sha256 pass over each file. Not thread-safe for the same directory.
 */
public final class PolicyFiles {

  /** Version of the directory layout; {@link #load} rejects any other. */
  public static final int FORMAT_VERSION = 1;

  /** Name of the metadata document inside a policy directory. */
  public static final String METADATA_FILE = "policy.json";

  /** Extension of a network's file; its stem is the network's name in {@link Td3BcNetworks}. */
  public static final String NETWORK_EXTENSION = ".zip";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PolicyFiles() {}

  /**
   * What a policy directory says about itself, besides the networks.
   *
   * @param formatVersion the layout's version, {@link #FORMAT_VERSION} when written
   * @param roundsCompleted training rounds the networks have completed (of the run that wrote them)
   * @param runDate the run date ({@code yyyy-MM-dd}) of the run that wrote them
   * @param scenarios the scenarios in agent-index order (actor k serves {@code scenarios.get(k)})
   * @param shape the shape every network was built from
   * @param config the TD3+BC hyperparameters the networks were trained with
   * @param sha256 hex sha256 of every network file, by network name; empty when describing a
   *     directory still to be written (see {@link #metadata})
   */
  public record Metadata(
      @JsonProperty("format_version") int formatVersion,
      @JsonProperty("rounds_completed") int roundsCompleted,
      @JsonProperty("run_date") String runDate,
      @JsonProperty("scenarios") List<String> scenarios,
      @JsonProperty("shape") NetworkShape shape,
      @JsonProperty("config") Td3BcConfig config,
      @JsonProperty("sha256") Map<String, String> sha256) {

    /** Copies the lists and maps; checks that the scenarios match the shape's agents. */
    public Metadata {
      Objects.requireNonNull(runDate, "runDate");
      Objects.requireNonNull(shape, "shape");
      Objects.requireNonNull(config, "config");
      scenarios = List.copyOf(scenarios);
      sha256 = sha256 == null ? Map.of() : Map.copyOf(sha256);
      if (scenarios.size() != shape.agents()) {
        throw new IllegalArgumentException(
            "a policy of " + shape.agents() + " agents needs as many scenarios, got " + scenarios);
      }
    }
  }

  /**
   * A loaded policy directory.
   *
   * @param directory where it was loaded from
   * @param metadata its metadata
   * @param networks every network, with updater state, used live by whoever takes them
   */
  public record Policy(Path directory, Metadata metadata, Td3BcNetworks networks) {}

  /**
   * The metadata of networks about to be saved (format version {@link #FORMAT_VERSION}; checksums
   * are filled in by {@link #save}).
   */
  public static Metadata metadata(
      int roundsCompleted,
      String runDate,
      List<String> scenarios,
      NetworkShape shape,
      Td3BcConfig config) {
    return new Metadata(
        FORMAT_VERSION, roundsCompleted, runDate, scenarios, shape, config, Map.of());
  }

  /**
   * Writes {@code networks} and {@code metadata} to {@code directory}, atomically replacing any
   * directory already there (see the class comment). The parent directories are created.
   *
   * @param directory the policy directory to (re)place
   * @param networks the networks to save, with their updater state
   * @param metadata what to record with them; its shape must have the networks' agent count
   * @throws UncheckedIOException naming the directory when a write or rename fails; the temporary
   *     directory is removed and any older policy at {@code directory} is left as it was
   */
  public static void save(Path directory, Td3BcNetworks networks, Metadata metadata) {
    if (networks.agents() != metadata.shape().agents()) {
      throw new IllegalArgumentException(
          "networks have "
              + networks.agents()
              + " actors but the metadata's shape has "
              + metadata.shape().agents()
              + " agents");
    }
    Path target = directory.toAbsolutePath().normalize();
    Path parent = target.getParent();
    String name = target.getFileName().toString();
    Path temporary = parent.resolve("." + name + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(parent);
      Files.createDirectory(temporary);
      Map<String, String> sums = new LinkedHashMap<>();
      for (Td3BcNetworks.Named network : networks.named()) {
        Path file = temporary.resolve(network.name() + NETWORK_EXTENSION);
        ModelSerializer.writeModel(network.graph(), file.toFile(), true);
        sums.put(network.name(), sha256(file));
      }
      Metadata complete =
          new Metadata(
              FORMAT_VERSION,
              metadata.roundsCompleted(),
              metadata.runDate(),
              metadata.scenarios(),
              metadata.shape(),
              metadata.config(),
              sums);
      JSON.writeValue(temporary.resolve(METADATA_FILE).toFile(), complete);
      replaceDirectory(temporary, target);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(temporary);
      throw new UncheckedIOException(
          "could not save the policy to "
              + target
              + ": "
              + e.getMessage()
              + "; any older policy there is unchanged",
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /**
   * The metadata of the policy directory {@code directory}, without loading or checking its
   * networks (a cheap read of {@value #METADATA_FILE}).
   *
   * @throws PolicyFileException when the directory is absent or its metadata missing, unreadable or
   *     of another format version
   */
  public static Metadata readMetadata(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new PolicyFileException(dir, "is not a directory (no policy saved there)");
    }
    Path metadataFile = dir.resolve(METADATA_FILE);
    Metadata metadata;
    try {
      metadata = JSON.readValue(metadataFile.toFile(), Metadata.class);
    } catch (IOException | RuntimeException e) {
      throw new PolicyFileException(
          dir,
          (Files.exists(metadataFile) ? "has an unreadable " : "lacks ")
              + METADATA_FILE
              + (Files.exists(metadataFile) ? ": " + e.getMessage() : ""));
    }
    if (metadata.formatVersion() != FORMAT_VERSION) {
      throw new PolicyFileException(
          dir,
          "has format version "
              + metadata.formatVersion()
              + " in "
              + METADATA_FILE
              + "; this build reads version "
              + FORMAT_VERSION);
    }
    return metadata;
  }

  /**
   * Loads the policy directory {@code directory} written by {@link #save}: reads the metadata,
   * checks every network file against its sha256 and restores it with its updater state.
   *
   * @throws PolicyFileException naming the directory and the missing or corrupt file (absent
   *     directory, missing or unreadable {@value #METADATA_FILE}, another format version, a missing
   *     network file, a checksum mismatch, a zip that does not restore, or networks that do not fit
   *     the recorded shape)
   */
  public static Policy load(Path directory) {
    Path dir = directory.toAbsolutePath().normalize();
    Metadata metadata = readMetadata(dir);
    NetworkShape shape = metadata.shape();
    ComputationGraph critic1 = restore(dir, metadata, Td3BcNetworks.CRITIC_1);
    ComputationGraph critic2 = restore(dir, metadata, Td3BcNetworks.CRITIC_2);
    ComputationGraph targetCritic1 = restore(dir, metadata, Td3BcNetworks.TARGET_CRITIC_1);
    ComputationGraph targetCritic2 = restore(dir, metadata, Td3BcNetworks.TARGET_CRITIC_2);
    List<ComputationGraph> actors = new ArrayList<>();
    List<ComputationGraph> targetActors = new ArrayList<>();
    for (int agent = 0; agent < shape.agents(); agent++) {
      actors.add(restore(dir, metadata, Td3BcNetworks.ACTOR_PREFIX + agent));
      targetActors.add(restore(dir, metadata, Td3BcNetworks.TARGET_ACTOR_PREFIX + agent));
    }
    Td3BcNetworks networks =
        new Td3BcNetworks(critic1, critic2, targetCritic1, targetCritic2, actors, targetActors);
    long criticParams = Networks.critic(shape).numParams();
    long actorParams = Networks.actor(shape).numParams();
    for (Td3BcNetworks.Named network : networks.named()) {
      long found = network.graph().numParams();
      boolean isCritic = network.name().contains("critic");
      long wanted = isCritic ? criticParams : actorParams;
      if (found != wanted) {
        throw new PolicyFileException(
            dir,
            "holds "
                + network.name()
                + NETWORK_EXTENSION
                + " with "
                + found
                + " parameters where the recorded shape needs "
                + wanted);
      }
    }
    return new Policy(dir, metadata, networks);
  }

  private static ComputationGraph restore(Path dir, Metadata metadata, String name) {
    Path file = dir.resolve(name + NETWORK_EXTENSION);
    if (!Files.isRegularFile(file)) {
      throw new PolicyFileException(dir, "lacks " + file.getFileName());
    }
    String expected = metadata.sha256().get(name);
    try {
      if (expected == null) {
        throw new PolicyFileException(
            dir, "has no sha256 for " + file.getFileName() + " in " + METADATA_FILE);
      }
      String found = sha256(file);
      if (!expected.equals(found)) {
        throw new PolicyFileException(
            dir,
            "holds a corrupt "
                + file.getFileName()
                + ": sha256 "
                + found
                + ", "
                + METADATA_FILE
                + " records "
                + expected);
      }
      return ModelSerializer.restoreComputationGraph(file.toFile(), true);
    } catch (PolicyFileException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new PolicyFileException(
          dir, "holds a corrupt " + file.getFileName() + ": " + e.getMessage());
    }
  }

  /**
   * Renames the directory {@code temporary} to {@code target}, moving any older {@code target}
   * aside first and deleting it afterwards; on failure the older one is moved back. Both must be on
   * one local file system that renames atomically.
   *
   * @throws IOException when a rename fails or the file system cannot rename atomically
   */
  public static void replaceDirectory(Path temporary, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling("." + target.getFileName() + ".old-" + UUID.randomUUID());
      move(target, old);
    }
    try {
      move(temporary, target);
    } catch (IOException e) {
      if (old != null) {
        move(old, target);
      }
      throw e;
    }
    if (old != null) {
      deleteQuietly(old);
    }
  }

  /**
   * Renames {@code from} to {@code to} atomically.
   *
   * @throws IOException when the rename fails or the file system cannot rename atomically
   */
  public static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(
          "the file system of " + to + " cannot rename atomically; keep policies on a local disk",
          e);
    }
  }

  /**
   * Deletes a directory tree if it exists; for removing checkpoints and temporary directories.
   *
   * @throws UncheckedIOException naming the path when a file cannot be deleted
   */
  public static void delete(Path directory) {
    try {
      deleteTree(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + directory + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes what an interrupted {@link #save} or {@link #replaceDirectory} of {@code target} left
   * beside it: the hidden siblings {@code .<name>.tmp-*} and {@code .<name>.old-*}. Call it only
   * while no other writer of {@code target} runs (the caller's lease on the run date), since a live
   * writer's temporary directory looks the same. Nothing happens when the parent does not exist.
   *
   * @return how many leftovers were deleted
   * @throws UncheckedIOException naming the path when one cannot be listed or deleted
   */
  public static int deleteLeftovers(Path target) {
    Path parent = target.toAbsolutePath().normalize().getParent();
    String name = target.getFileName().toString();
    if (parent == null || !Files.isDirectory(parent)) {
      return 0;
    }
    int deleted = 0;
    try (java.nio.file.DirectoryStream<Path> siblings = Files.newDirectoryStream(parent)) {
      for (Path sibling : siblings) {
        String file = sibling.getFileName().toString();
        if (file.startsWith("." + name + ".tmp-") || file.startsWith("." + name + ".old-")) {
          delete(sibling);
          deleted++;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list " + parent + ": " + e.getMessage(), e);
    }
    return deleted;
  }

  private static void deleteQuietly(Path directory) {
    try {
      deleteTree(directory);
    } catch (IOException e) {
      // Best effort: a leftover hidden temporary directory is harmless.
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    Files.walkFileTree(
        directory,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null) {
              throw e;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /**
   * A policy directory that cannot be loaded: the message names the directory and the missing or
   * corrupt file.
   */
  public static final class PolicyFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path directory;

    PolicyFileException(Path directory, String problem) {
      super("policy directory " + directory + " " + problem);
      this.directory = directory;
    }

    /** The directory that could not be loaded. */
    public Path directory() {
      return directory;
    }
  }
}
