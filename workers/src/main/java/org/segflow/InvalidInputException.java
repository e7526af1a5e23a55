package org.segflow;

import java.nio.file.Path;

/**
 * Input that can never succeed as given: a missing or unreadable file, a wrong label value, a size
 * mismatch. The message names the file and what was expected. Retrying cannot help, so activities
 * turn this into a non-retryable failure and the command line exits with status 3.
 */
public class InvalidInputException extends RuntimeException {

  private final Path file;

  public InvalidInputException(String message) {
    this(null, message, null);
  }

  public InvalidInputException(Path file, String message) {
    this(file, message, null);
  }

  public InvalidInputException(Path file, String message, Throwable cause) {
    super(file == null ? message : file + ": " + message, cause);
    this.file = file;
  }

  /** The offending file, or null when the problem is not tied to one file. */
  public Path file() {
    return file;
  }
}
