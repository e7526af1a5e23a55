package org.segflow.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.segflow.storage.AtomicFiles;

/**
 * A step's cache key as a file among its outputs: written last, removed before the step runs, so a
 * present key always describes complete outputs made from exactly its inputs.
 */
final class StepCacheRecord {

  private final Path file;

  StepCacheRecord(Path file) {
    this.file = file;
  }

  /** Whether the recorded key is {@code key} and every output exists. */
  boolean matches(StepCacheKey key, List<Path> outputs) {
    try {
      return Files.isRegularFile(file)
          && Files.readString(file, StandardCharsets.UTF_8).equals(key.text())
          && outputs.stream().allMatch(Files::exists);
    } catch (IOException e) {
      return false;
    }
  }

  void invalidate() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the stale cache key " + file, e);
    }
  }

  void record(StepCacheKey key) {
    AtomicFiles.write(file, key.text().getBytes(StandardCharsets.UTF_8));
  }
}
