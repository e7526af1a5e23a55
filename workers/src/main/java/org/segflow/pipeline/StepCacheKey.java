package org.segflow.pipeline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.dataset.DatasetManifest;
import org.segflow.io.FolderListing;

/**
 * A step's cache key, printable: one line per input (engine version, options, each input file's
 * sha256), and the key itself is the sha256 of that text. Equal text, equal inputs.
 */
public final class StepCacheKey {

  private final List<String> lines = new ArrayList<>();

  public StepCacheKey(String step) {
    lines.add("segflow step cache key");
    lines.add("step " + step);
    lines.add("engine " + DatasetManifest.ENGINE_VERSION);
  }

  public StepCacheKey add(String name, Object value) {
    lines.add(name + " " + value);
    return this;
  }

  /** A file's sha256 under {@code name}; "missing" when it does not exist. */
  public StepCacheKey addFile(String name, Path file) {
    return add(name, Files.isRegularFile(file) ? DatasetManifest.sha256(file) : "missing");
  }

  /**
   * Every file of {@code dir} (sorted, hidden files left out, not recursive) as one line each:
   * {@code name FILE sha256}; one line "missing" when there is no such folder.
   */
  public StepCacheKey addFolder(String name, Path dir) {
    if (!Files.isDirectory(dir)) {
      return add(name, "missing");
    }
    for (Path f : FolderListing.files(dir)) {
      add(name + " " + f.getFileName(), DatasetManifest.sha256(f));
    }
    return this;
  }

  /** The inputs, one per line, as written next to the step's outputs. */
  public String text() {
    return String.join("\n", lines) + "\n";
  }

  /** sha256 (hex) of {@link #text()}. */
  public String key() {
    return DatasetManifest.sha256(text().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return text();
  }
}
