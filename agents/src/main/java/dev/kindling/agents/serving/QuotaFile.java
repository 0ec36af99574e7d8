package dev.kindling.agents.serving;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The compact heating-quota file the allocate stage writes and the serving client reads: item id →
 * heated impressions for one day. Binary, big-endian ({@link DataOutputStream}): the magic {@code
 * KQTA}, the format version (int), the entry count (int), then per entry the item id (modified
 * UTF-8, {@link DataOutputStream#writeUTF}) and the quota (long, ≥ 0). Item ids are unique. No
 * Spark and no DL4J: plain {@code java.io}, so the serving tier can read it. Cost: one sequential
 * read or write, about 20 bytes per entry.
 */
public final class QuotaFile {

  /** The first four bytes of every quota file. */
  public static final int MAGIC = 0x4B515441; // "KQTA"

  /** The format version this class writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The file name under a policy artifact. */
  public static final String FILE_NAME = "quotas.bin";

  private QuotaFile() {}

  /**
   * Writes {@code quotas} (entry count {@code count}) to {@code out}; the stream is flushed, not
   * closed.
   *
   * @throws IllegalArgumentException when a quota is negative, an item id is null or repeated, or
   *     the iterator does not yield exactly {@code count} entries
   */
  public static void write(OutputStream out, int count, Iterator<Map.Entry<String, Long>> quotas)
      throws IOException {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0, got " + count);
    }
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
    data.writeInt(MAGIC);
    data.writeInt(FORMAT_VERSION);
    data.writeInt(count);
    Set<String> seen = new HashSet<>(Math.max(16, count * 2));
    int written = 0;
    while (quotas.hasNext()) {
      Map.Entry<String, Long> entry = quotas.next();
      String itemId = entry.getKey();
      Long quota = entry.getValue();
      if (itemId == null || quota == null || quota < 0) {
        throw new IllegalArgumentException(
            "quota file entry " + written + " is invalid: item " + itemId + ", quota " + quota);
      }
      if (!seen.add(itemId)) {
        throw new IllegalArgumentException("quota file repeats item " + itemId);
      }
      data.writeUTF(itemId);
      data.writeLong(quota);
      written++;
    }
    if (written != count) {
      throw new IllegalArgumentException(
          "quota file announced " + count + " entries but got " + written);
    }
    data.flush();
  }

  /** Writes {@code quotas} to {@code file}, replacing it. */
  public static void write(Path file, Map<String, Long> quotas) {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out, quotas.size(), quotas.entrySet().iterator());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the quota file " + file, e);
    }
  }

  /**
   * Reads a quota file.
   *
   * @throws IOException naming what is wrong when the magic, the version or an entry does not fit,
   *     or the file ends early or has bytes after its last entry
   */
  public static Map<String, Long> read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(new BufferedInputStream(in));
    try {
      int magic = data.readInt();
      if (magic != MAGIC) {
        throw new IOException(
            "not a Kindling quota file (magic " + Integer.toHexString(magic) + ")");
      }
      int version = data.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(
            "quota file format version " + version + ", this reader knows " + FORMAT_VERSION);
      }
      int count = data.readInt();
      if (count < 0) {
        throw new IOException("quota file announces " + count + " entries");
      }
      Map<String, Long> quotas = new HashMap<>(Math.max(16, (int) (count / 0.75) + 1));
      for (int i = 0; i < count; i++) {
        String itemId = data.readUTF();
        long quota = data.readLong();
        if (quota < 0 || quotas.put(itemId, quota) != null) {
          throw new IOException(
              "quota file entry " + i + " (item " + itemId + ", quota " + quota + ") is invalid");
        }
      }
      if (data.read() != -1) {
        throw new IOException("quota file has bytes after its " + count + " entries");
      }
      return quotas;
    } catch (EOFException e) {
      throw new IOException("quota file ends early", e);
    }
  }

  /** Reads the quota file at {@code file}. */
  public static Map<String, Long> read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (IOException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }
}
