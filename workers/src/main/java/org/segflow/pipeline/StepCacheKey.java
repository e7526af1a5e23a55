package org.segflow.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.segflow.dataset.DatasetManifest;

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
