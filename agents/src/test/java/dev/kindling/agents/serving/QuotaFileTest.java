package dev.kindling.agents.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QuotaFileTest {

  private static byte[] bytesOf(Map<String, Long> quotas) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    QuotaFile.write(out, quotas.size(), quotas.entrySet().iterator());
    return out.toByteArray();
  }

  @Test
  void aWrittenFileReadsBackEveryEntry() throws IOException {
    Map<String, Long> quotas = new LinkedHashMap<>();
    quotas.put("item-1", 40L);
    quotas.put("ïtem-2", 0L);
    quotas.put("item-3", 1_000_000L);

    Map<String, Long> read = QuotaFile.read(new ByteArrayInputStream(bytesOf(quotas)));

    assertThat(read).as("every entry back, unicode ids too").isEqualTo(quotas);
  }

  @Test
  void aTruncatedFileOrTrailingBytesAreRefused() throws IOException {
    byte[] bytes = bytesOf(Map.of("a", 1L, "b", 2L));

    assertThatThrownBy(
            () -> QuotaFile.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length - 3))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("ends early");
    assertThatThrownBy(
            () -> QuotaFile.read(new ByteArrayInputStream(Arrays.copyOf(bytes, bytes.length + 1))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bytes after");
  }

  @Test
  void anotherMagicOrVersionIsRefused() throws IOException {
    byte[] bytes = bytesOf(Map.of("a", 1L));
    byte[] magic = bytes.clone();
    magic[0] = 0;
    byte[] version = bytes.clone();
    version[7] = 9;

    assertThatThrownBy(() -> QuotaFile.read(new ByteArrayInputStream(magic)))
        .hasMessageContaining("not a Kindling quota file");
    assertThatThrownBy(() -> QuotaFile.read(new ByteArrayInputStream(version)))
        .hasMessageContaining("format version 9");
  }

  @Test
  void negativeQuotasAndRepeatedItemsAreNotWritten() {
    Map<String, Long> negative = Map.of("a", -1L);
    assertThatThrownBy(() -> bytesOf(negative)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                QuotaFile.write(
                    new ByteArrayOutputStream(),
                    2,
                    List.of(Map.entry("a", 1L), Map.entry("a", 2L)).iterator()))
        .hasMessageContaining("repeats item a");
  }
}
