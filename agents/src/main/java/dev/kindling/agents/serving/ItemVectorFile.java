package dev.kindling.agents.serving;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The item vectors a policy artifact ships for the behaviour-sequence encoder ({@link
 * SequenceInputs}): item id → embedding vector of one {@code item_embeddings} partition. Binary,
 * big-endian ({@link DataOutputStream}): the magic {@code KIVC}, the format version (int), the
 * vector length E (int), the entry count (int), then per entry, in item id order, the item id
 * (modified UTF-8, {@link DataOutputStream#writeUTF}) and its E floats. Item ids are unique and the
 * order is fixed, so the same vectors always give the same bytes (and the same sha256). No Spark
 * and no DL4J. Cost: one sequential read or write, about {@code 4 × E} bytes plus the id per item;
 * read into memory as one map.
 */
public final class ItemVectorFile {

  /** The first four bytes of every item vector file. */
  public static final int MAGIC = 0x4B495643; // "KIVC"

  /** The format version this class writes and reads. */
  public static final int FORMAT_VERSION = 1;

  /** The file name under a policy artifact. */
  public static final String FILE_NAME = "item_vectors.bin";

  private ItemVectorFile() {}

  /**
   * Writes {@code vectors} (each of {@code dimension} finite floats) to {@code out} in item id
   * order; the stream is flushed, not closed.
   *
   * @throws IllegalArgumentException naming the item when a vector is null, of another length or
   *     not finite, or an id is null
   */
  public static void write(OutputStream out, int dimension, Map<String, float[]> vectors)
      throws IOException {
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be at least 1, got " + dimension);
    }
    TreeMap<String, float[]> sorted = new TreeMap<>();
    for (Map.Entry<String, float[]> entry : vectors.entrySet()) {
      float[] vector = entry.getValue();
      if (entry.getKey() == null || vector == null || vector.length != dimension) {
        throw new IllegalArgumentException(
            "item vector of "
                + entry.getKey()
                + " has "
                + (vector == null ? "no" : vector.length)
                + " values; every vector of the file has "
                + dimension);
      }
      for (float value : vector) {
        if (!Float.isFinite(value)) {
          throw new IllegalArgumentException(
              "item vector of " + entry.getKey() + " holds " + value + "; vectors must be finite");
        }
      }
      sorted.put(entry.getKey(), vector);
    }
    DataOutputStream data = new DataOutputStream(new BufferedOutputStream(out));
    data.writeInt(MAGIC);
    data.writeInt(FORMAT_VERSION);
    data.writeInt(dimension);
    data.writeInt(sorted.size());
    for (Map.Entry<String, float[]> entry : sorted.entrySet()) {
      data.writeUTF(entry.getKey());
      for (float value : entry.getValue()) {
        data.writeFloat(value);
      }
    }
    data.flush();
  }

  /**
   * The vectors of an item vector file and their length.
   *
   * @param dimension E, the length of every vector
   * @param vectors item id → vector
   */
  public record Vectors(int dimension, Map<String, float[]> vectors) {

    /** The vector of {@code itemId}, or null for an item the file does not hold. */
    public float[] get(String itemId) {
      return vectors.get(itemId);
    }
  }

  /**
   * Reads an item vector file.
   *
   * @throws IOException naming what is wrong when the magic, the version or an entry does not fit,
   *     or the file ends early or has bytes after its last entry
   */
  public static Vectors read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(new BufferedInputStream(in));
    try {
      int magic = data.readInt();
      if (magic != MAGIC) {
        throw new IOException(
            "not a Kindling item vector file (magic " + Integer.toHexString(magic) + ")");
      }
      int version = data.readInt();
      if (version != FORMAT_VERSION) {
        throw new IOException(
            "item vector file format version " + version + ", this reader knows " + FORMAT_VERSION);
      }
      int dimension = data.readInt();
      int count = data.readInt();
      if (dimension < 1 || count < 0) {
        throw new IOException(
            "item vector file announces " + count + " vectors of " + dimension + " values");
      }
      Map<String, float[]> vectors = new HashMap<>(Math.max(16, (int) (count / 0.75) + 1));
      for (int i = 0; i < count; i++) {
        String itemId = data.readUTF();
        float[] vector = new float[dimension];
        for (int k = 0; k < dimension; k++) {
          vector[k] = data.readFloat();
        }
        if (vectors.put(itemId, vector) != null) {
          throw new IOException("item vector file repeats item " + itemId + " (entry " + i + ")");
        }
      }
      if (data.read() != -1) {
        throw new IOException("item vector file has bytes after its " + count + " entries");
      }
      return new Vectors(dimension, vectors);
    } catch (EOFException e) {
      throw new IOException("item vector file ends early", e);
    }
  }
}
