package dev.kindling.pipelines;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** File helpers for tests. */
public final class TestFiles {

  private TestFiles() {}

  /**
   * Copies the directory {@code from} with everything beneath it to {@code to}. A lakehouse copies
   * this way: Delta's log names its data files relative to the table.
   */
  public static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }
  }
}
