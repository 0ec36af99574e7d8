package dev.kindling.agents.serving;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kindling.agents.nets.PolicyFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Publishes and reads policy artifacts under an artifact root ({@code artifacts/policy}): one
 * directory {@code dt=D} per run date holding the trained policy's files ({@link PolicyFiles}
 * layout, so a warm start can load it), {@link QuotaFile#FILE_NAME}, for a policy that reads the
 * behaviour-sequence encoder {@link ItemVectorFile#FILE_NAME}, {@value ArtifactManifest#FILE_NAME}
 * and {@value ArtifactManifest#CHECKSUM_FILE}; and {@value #LATEST}, one line naming the directory
 * of the newest published date.
 *
 * <p>Atomicity: a directory is written complete into a hidden temporary sibling and renamed into
 * place (an older {@code dt=D} is renamed aside first and deleted after); {@value #LATEST} is
 * written to a temporary file and renamed over the old one. A reader therefore sees the old or the
 * new {@value #LATEST}, each naming a complete directory; a reader that raced a republication of
 * the same date sees files that fail their checksums and may retry ({@link
 * PolicyClient#loadLatest}). Local file systems only (atomic rename). No Spark: plain {@code
 * java.nio}, Jackson and {@link PolicyFiles}.
 */
public final class PolicyArtifacts {

  /** The file under the artifact root naming the newest published directory. */
  public static final String LATEST = "LATEST";

  /** Prefix of an artifact directory's name, followed by the run date. */
  public static final String DIRECTORY_PREFIX = "dt=";

  private static final Pattern DIRECTORY = Pattern.compile("dt=\\d{4}-\\d{2}-\\d{2}");

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private PolicyArtifacts() {}

  /**
   * What to publish.
   *
   * @param runDate D, the artifact's date
   * @param modelDirectory the trained policy ({@link PolicyFiles} layout, e.g. {@code models/dt=D})
   * @param quotaFile the day's {@link QuotaFile}
   * @param normalisation the observation feature spec the policy was trained with
   * @param gate {@link ArtifactManifest#GATE_PASSED} or {@link ArtifactManifest#GATE_NOT_EVALUATED}
   * @param training the run date's training figures, one map per round
   * @param evaluation the evaluation figures (may be empty)
   * @param gitCommit the build's git commit, or {@code unknown}
   * @param keep how many artifact directories to keep (the newest, and always the one {@value
   *     #LATEST} names)
   * @param itemVectors the item vectors the run date's replay built its encoder inputs from;
   *     required when the policy reads the behaviour-sequence encoder, null otherwise
   */
  public record Request(
      LocalDate runDate,
      Path modelDirectory,
      Path quotaFile,
      FeatureNormalisation normalisation,
      String gate,
      List<Map<String, Object>> training,
      Map<String, Object> evaluation,
      String gitCommit,
      int keep,
      ItemVectorSource itemVectors) {

    /** A request for a policy without the encoder (no item vectors). */
    public Request(
        LocalDate runDate,
        Path modelDirectory,
        Path quotaFile,
        FeatureNormalisation normalisation,
        String gate,
        List<Map<String, Object>> training,
        Map<String, Object> evaluation,
        String gitCommit,
        int keep) {
      this(
          runDate,
          modelDirectory,
          quotaFile,
          normalisation,
          gate,
          training,
          evaluation,
          gitCommit,
          keep,
          null);
    }

    /** Checks the fields. */
    public Request {
      Objects.requireNonNull(runDate, "runDate");
      Objects.requireNonNull(modelDirectory, "modelDirectory");
      Objects.requireNonNull(quotaFile, "quotaFile");
      Objects.requireNonNull(normalisation, "normalisation");
      Objects.requireNonNull(gate, "gate");
      Objects.requireNonNull(gitCommit, "gitCommit");
      if (keep < 1) {
        throw new IllegalArgumentException("keep must be at least 1, got " + keep);
      }
    }
  }

  /**
   * Item vectors to ship with an encoder policy, and the {@code item_embeddings} partition they
   * come from.
   *
   * @param vectors the vectors, each {@code dimension} long
   * @param embeddingsDt the partition read; null when the replay found none (no vectors: every item
   *     then reads as zeros, in training and in serving alike)
   * @param embeddingsVersion the Delta version read; null likewise
   */
  public record ItemVectorSource(
      ItemVectorFile.Vectors vectors, LocalDate embeddingsDt, Long embeddingsVersion) {

    /** Checks the fields. */
    public ItemVectorSource {
      Objects.requireNonNull(vectors, "vectors");
    }
  }

  /**
   * What a publication did.
   *
   * @param directory the artifact directory written
   * @param manifest its manifest
   * @param latest what {@value #LATEST} names afterwards
   * @param deleted the older artifact directories removed to keep {@link Request#keep()}
   */
  public record Publication(
      Path directory, ArtifactManifest manifest, String latest, List<String> deleted) {}

  /** The directory name of run date {@code day}: {@code dt=yyyy-MM-dd}. */
  public static String directoryName(LocalDate day) {
    return DIRECTORY_PREFIX + day;
  }

  /**
   * Publishes {@code request} under {@code root}: checks the model directory loads, copies it and
   * the quota file into a temporary directory with the manifest, renames it to {@code dt=D}, points
   * {@value #LATEST} at it unless {@value #LATEST} already names a later date, and deletes the
   * oldest directories beyond {@code keep}. Costs: one full load of the model (checksums and
   * restore), one copy and one sha256 pass over its files.
   *
   * @throws PolicyArtifactException naming the file when the model or the quota file is unusable
   * @throws UncheckedIOException when a write or rename fails; the temporary directory is removed
   *     and the published artifacts and {@value #LATEST} are left as they were
   */
  public static Publication publish(Path root, Request request) {
    Path modelDir = request.modelDirectory().toAbsolutePath().normalize();
    PolicyFiles.Metadata metadata;
    try {
      metadata = PolicyFiles.load(modelDir).metadata();
    } catch (PolicyFiles.PolicyFileException e) {
      throw new PolicyArtifactException(
          modelDir,
          null,
          "is not a complete trained policy (" + e.getMessage() + ")",
          "Re-run 'bin/kindling train --run-date " + request.runDate() + "'.",
          e);
    }
    if (metadata.shape().observationSize() != request.normalisation().size()) {
      throw new IllegalArgumentException(
          "the policy in "
              + modelDir
              + " reads "
              + metadata.shape().observationSize()
              + " observation features but the feature spec has "
              + request.normalisation().size());
    }
    ItemVectorSource itemVectors = request.itemVectors();
    if (metadata.shape().hasEncoder() != (itemVectors != null)) {
      throw new IllegalArgumentException(
          "the policy in "
              + modelDir
              + (metadata.shape().hasEncoder()
                  ? " reads the behaviour-sequence encoder but no item vectors were given"
                  : " does not read the behaviour-sequence encoder but item vectors were given"));
    }
    if (itemVectors != null
        && itemVectors.vectors().dimension() != metadata.shape().encoder().itemDimension()) {
      throw new IllegalArgumentException(
          "the policy in "
              + modelDir
              + " reads item vectors of "
              + metadata.shape().encoder().itemDimension()
              + " values but those given have "
              + itemVectors.vectors().dimension());
    }
    Map<String, Long> quotas;
    try {
      quotas = QuotaFile.read(request.quotaFile());
    } catch (IOException e) {
      throw new PolicyArtifactException(
          request.quotaFile().getParent(),
          request.quotaFile().getFileName().toString(),
          "cannot be read: " + e.getMessage(),
          "Re-run 'bin/kindling allocate --run-date " + request.runDate() + "'.",
          e);
    }
    Path target = root.toAbsolutePath().normalize().resolve(directoryName(request.runDate()));
    Path temporary =
        target.resolveSibling("." + target.getFileName() + ".tmp-" + UUID.randomUUID());
    try {
      Files.createDirectories(target.getParent());
      Files.createDirectory(temporary);
      Map<String, ArtifactManifest.FileEntry> files = new TreeMap<>();
      try (DirectoryStream<Path> model = Files.newDirectoryStream(modelDir)) {
        for (Path file : model) {
          String name = file.getFileName().toString();
          if (Files.isRegularFile(file) && !name.startsWith(".")) {
            Files.copy(file, temporary.resolve(name));
          }
        }
      }
      Files.copy(request.quotaFile(), temporary.resolve(QuotaFile.FILE_NAME));
      ArtifactManifest.ItemVectors vectorEntry = null;
      if (itemVectors != null) {
        try (OutputStream out =
            Files.newOutputStream(temporary.resolve(ItemVectorFile.FILE_NAME))) {
          ItemVectorFile.write(
              out, itemVectors.vectors().dimension(), itemVectors.vectors().vectors());
        }
        vectorEntry =
            new ArtifactManifest.ItemVectors(
                ItemVectorFile.FILE_NAME,
                itemVectors.vectors().vectors().size(),
                itemVectors.vectors().dimension(),
                itemVectors.embeddingsDt() == null ? null : itemVectors.embeddingsDt().toString(),
                itemVectors.embeddingsVersion());
      }
      try (DirectoryStream<Path> written = Files.newDirectoryStream(temporary)) {
        for (Path file : written) {
          byte[] bytes = Files.readAllBytes(file);
          files.put(
              file.getFileName().toString(),
              new ArtifactManifest.FileEntry(bytes.length, sha256(bytes)));
        }
      }
      long impressions = quotas.values().stream().mapToLong(Long::longValue).sum();
      ArtifactManifest manifest =
          new ArtifactManifest(
              vectorEntry == null
                  ? ArtifactManifest.FORMAT_VERSION
                  : ArtifactManifest.FORMAT_VERSION_ITEM_VECTORS,
              request.runDate().toString(),
              Instant.now().toString(),
              request.gitCommit(),
              metadata.scenarios(),
              metadata.shape(),
              ArtifactManifest.featureSpec(request.normalisation()),
              request.gate(),
              request.training(),
              request.evaluation(),
              new ArtifactManifest.Quotas(QuotaFile.FILE_NAME, quotas.size(), impressions),
              files,
              vectorEntry);
      byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
      Files.write(temporary.resolve(ArtifactManifest.FILE_NAME), manifestBytes);
      Files.writeString(
          temporary.resolve(ArtifactManifest.CHECKSUM_FILE),
          sha256(manifestBytes) + "\n",
          StandardCharsets.UTF_8);
      PolicyFiles.replaceDirectory(temporary, target);
      String latest = updateLatest(target.getParent(), target.getFileName().toString());
      List<String> deleted = prune(target.getParent(), request.keep(), latest);
      return new Publication(target, manifest, latest, deleted);
    } catch (IOException e) {
      PolicyFiles.delete(temporary);
      throw new UncheckedIOException(
          "could not publish the policy to "
              + target
              + ": "
              + e.getMessage()
              + "; the published artifacts and LATEST are unchanged",
          e);
    }
  }

  /**
   * The directory name {@value #LATEST} under {@code root} holds, or {@code null} when there is no
   * {@value #LATEST}.
   *
   * @throws PolicyArtifactException when it does not name an artifact directory
   */
  public static String latest(Path root) {
    Path file = root.resolve(LATEST);
    String name;
    try {
      name = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!DIRECTORY.matcher(name).matches()) {
      throw new PolicyArtifactException(
          root,
          LATEST,
          "holds '" + name + "', not an artifact directory name like dt=2024-01-07",
          "Re-publish a run date, or write the name of a good artifact directory into it.");
    }
    return name;
  }

  /** Points LATEST at {@code name} unless it names a later date; returns what it names after. */
  private static String updateLatest(Path root, String name) throws IOException {
    String current = latest(root);
    if (current != null
        && current.compareTo(name) > 0
        && Files.isDirectory(root.resolve(current))) {
      return current;
    }
    Path temporary = root.resolve("." + LATEST + ".tmp-" + UUID.randomUUID());
    try {
      Files.writeString(temporary, name + "\n", StandardCharsets.UTF_8);
      PolicyFiles.move(temporary, root.resolve(LATEST));
    } finally {
      Files.deleteIfExists(temporary);
    }
    return name;
  }

  /**
   * The names of the artifact directories ({@code dt=yyyy-MM-dd}) under {@code root}, newest first;
   * empty when {@code root} does not exist. Hidden temporary directories are not listed. Cost: one
   * directory listing.
   */
  public static List<String> directories(Path root) throws IOException {
    List<String> names = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return names;
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(root)) {
      for (Path dir : all) {
        String name = dir.getFileName().toString();
        if (Files.isDirectory(dir) && DIRECTORY.matcher(name).matches()) {
          names.add(name);
        }
      }
    }
    names.sort(Comparator.reverseOrder());
    return names;
  }

  /** Deletes the oldest artifact directories beyond {@code keep}, never {@code latest}. */
  private static List<String> prune(Path root, int keep, String latest) throws IOException {
    List<String> names = directories(root);
    List<String> deleted = new ArrayList<>();
    for (int i = keep; i < names.size(); i++) {
      if (!names.get(i).equals(latest)) {
        PolicyFiles.delete(root.resolve(names.get(i)));
        deleted.add(names.get(i));
      }
    }
    return deleted;
  }

  /**
   * A verified artifact held in memory.
   *
   * @param directory where it was read
   * @param manifest its manifest
   * @param files every file but the manifest and its checksum, by name, each matching the manifest
   */
  record Verified(Path directory, ArtifactManifest manifest, Map<String, byte[]> files) {}

  /**
   * Reads every file of the artifact directory {@code dir} into memory and checks it: the manifest
   * against its checksum file, the format version, and every other file against its size and
   * sha256; no file may be missing or unlisted.
   *
   * @throws PolicyArtifactException naming the file and the fix otherwise
   */
  static Verified readVerified(Path dir) {
    String republish =
        "Re-publish the run date ('bin/kindling publish --run-date D'), or point "
            + LATEST
            + " back at a good artifact.";
    if (!Files.isDirectory(dir)) {
      throw new PolicyArtifactException(dir, null, "is not a directory", republish);
    }
    byte[] manifestBytes = readFile(dir, ArtifactManifest.FILE_NAME, republish);
    String recorded =
        new String(readFile(dir, ArtifactManifest.CHECKSUM_FILE, republish), StandardCharsets.UTF_8)
            .trim();
    String found = sha256(manifestBytes);
    if (!found.equals(recorded)) {
      throw new PolicyArtifactException(
          dir,
          ArtifactManifest.FILE_NAME,
          "has sha256 "
              + found
              + " but "
              + ArtifactManifest.CHECKSUM_FILE
              + " records '"
              + recorded
              + "' (one of the two was changed or is partial)",
          republish);
    }
    ArtifactManifest manifest;
    try {
      manifest = JSON.readValue(manifestBytes, ArtifactManifest.class);
    } catch (IOException | RuntimeException e) {
      throw new PolicyArtifactException(
          dir, ArtifactManifest.FILE_NAME, "cannot be parsed: " + e.getMessage(), republish, e);
    }
    int expected =
        manifest.itemVectors() == null
            ? ArtifactManifest.FORMAT_VERSION
            : ArtifactManifest.FORMAT_VERSION_ITEM_VECTORS;
    if (manifest.formatVersion() != expected) {
      throw new PolicyArtifactException(
          dir,
          ArtifactManifest.FILE_NAME,
          "has format version "
              + manifest.formatVersion()
              + "; this client reads version "
              + expected
              + (manifest.itemVectors() == null ? "" : " for an artifact with item vectors"),
          "Use a client of the artifact's version, or re-publish with this build.");
    }
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, ArtifactManifest.FileEntry> entry : manifest.files().entrySet()) {
      String name = entry.getKey();
      byte[] bytes = readFile(dir, name, republish);
      if (bytes.length != entry.getValue().size()) {
        throw new PolicyArtifactException(
            dir,
            name,
            "has "
                + bytes.length
                + " bytes but "
                + ArtifactManifest.FILE_NAME
                + " records "
                + entry.getValue().size()
                + " (partial or changed)",
            republish);
      }
      String sum = sha256(bytes);
      if (!sum.equals(entry.getValue().sha256())) {
        throw new PolicyArtifactException(
            dir,
            name,
            "has sha256 "
                + sum
                + " but "
                + ArtifactManifest.FILE_NAME
                + " records "
                + entry.getValue().sha256()
                + " (corrupt or tampered)",
            republish);
      }
      files.put(name, bytes);
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path file : all) {
        String name = file.getFileName().toString();
        if (!name.equals(ArtifactManifest.FILE_NAME)
            && !name.equals(ArtifactManifest.CHECKSUM_FILE)
            && !manifest.files().containsKey(name)) {
          throw new PolicyArtifactException(
              dir,
              name,
              "is not listed in " + ArtifactManifest.FILE_NAME + " (an unexpected extra file)",
              republish);
        }
      }
    } catch (IOException e) {
      throw new PolicyArtifactException(
          dir, null, "cannot be listed: " + e.getMessage(), republish, e);
    }
    return new Verified(dir, manifest, files);
  }

  private static byte[] readFile(Path dir, String name, String fix) {
    try {
      return Files.readAllBytes(dir.resolve(name));
    } catch (NoSuchFileException e) {
      throw new PolicyArtifactException(dir, name, "is missing", fix, e);
    } catch (IOException e) {
      throw new PolicyArtifactException(dir, name, "cannot be read: " + e.getMessage(), fix, e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
