package dev.kindling.agents.serving;

import java.nio.file.Path;

/**
 * A policy artifact that cannot be published or loaded: the message names the directory, the file
 * and what to do (re-publish the run date, or point {@code LATEST} back at a good artifact).
 */
public final class PolicyArtifactException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path directory;
  private final String file;

  /**
   * An artifact problem.
   *
   * @param directory the artifact directory (or the artifact root)
   * @param file the file at fault, by name ({@code null} when the directory itself is)
   * @param problem what is wrong, one sentence
   * @param fix what to do about it, one sentence
   */
  public PolicyArtifactException(Path directory, String file, String problem, String fix) {
    this(directory, file, problem, fix, null);
  }

  /** An artifact problem with its cause. */
  public PolicyArtifactException(
      Path directory, String file, String problem, String fix, Throwable cause) {
    super(
        "policy artifact "
            + directory
            + (file == null ? "" : ": " + file)
            + " "
            + problem
            + ". "
            + fix,
        cause);
    this.directory = directory;
    this.file = file;
  }

  /** The artifact directory (or root) at fault. */
  public Path directory() {
    return directory;
  }

  /** The file at fault, by name, or {@code null} when the directory itself is. */
  public String file() {
    return file;
  }
}
