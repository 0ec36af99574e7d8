package dev.kindling.agents.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemVectorFileTest {

  private static byte[] bytesOf(int dimension, Map<String, float[]> vectors) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ItemVectorFile.write(out, dimension, vectors);
    return out.toByteArray();
  }

  private static Map<String, float[]> sample() {
    Map<String, float[]> vectors = new LinkedHashMap<>();
    vectors.put("item-9", new float[] {0.25f, -1.5f});
    vectors.put("ïtem-2", new float[] {Float.MIN_VALUE, 3e7f});
    vectors.put("item-1", new float[] {0f, -0f});
    return vectors;
  }

  @Test
  void aWrittenFileReadsBackEveryVectorBitForBit() throws IOException {
    Map<String, float[]> vectors = sample();

    ItemVectorFile.Vectors read =
        ItemVectorFile.read(new ByteArrayInputStream(bytesOf(2, vectors)));

    assertThat(read.dimension()).isEqualTo(2);
    assertThat(read.vectors().keySet())
        .as("every item, unicode ids too")
        .isEqualTo(vectors.keySet());
    for (Map.Entry<String, float[]> entry : vectors.entrySet()) {
      assertThat(read.get(entry.getKey())).as(entry.getKey()).containsExactly(entry.getValue());
    }
    assertThat(read.get("unknown")).isNull();
  }

  @Test
  void theSameVectorsGiveTheSameBytesWhateverTheMapOrder() throws IOException {
    Map<String, float[]> reversed = new HashMap<>();
    sample().forEach(reversed::put);

    assertThat(bytesOf(2, reversed)).isEqualTo(bytesOf(2, sample()));
  }

  @Test
  void aTruncatedFileTrailingBytesOrAnotherMagicAreRefused() throws IOException {
    byte[] bytes = bytesOf(2, sample());
    byte[] magic = bytes.clone();
    magic[0] = 0;

    assertThatThrownBy(
            () ->
                ItemVectorFile.read(
                    new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 3))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ends early");
    assertThatThrownBy(
            () ->
                ItemVectorFile.read(
                    new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length + 1))))
        .hasMessageContaining("bytes after");
    assertThatThrownBy(() -> ItemVectorFile.read(new ByteArrayInputStream(magic)))
        .hasMessageContaining("not a Kindling item vector file");
  }

  @Test
  void vectorsOfAnotherLengthOrNotFiniteAreNotWritten() {
    assertThatThrownBy(() -> bytesOf(3, sample()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has 2 values");
    assertThatThrownBy(() -> bytesOf(1, Map.of("a", new float[] {Float.NaN})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be finite");
  }
}
