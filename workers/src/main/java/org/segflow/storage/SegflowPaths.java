package org.segflow.storage;

import java.nio.file.Path;
import java.util.Map;

/**
 * The storage roots. SEGFLOW_HOME (default ./segflow-data) holds raw/, preprocessed/, results/,
 * predictions/ and inbox/; nnU-Net's nnUNet_raw, nnUNet_preprocessed and nnUNet_results override
 * the first three so that a dataset prepared for nnU-Net works unchanged.
 */
public record SegflowPaths(Path home, Path raw, Path preprocessed, Path results) {

  public static final String HOME_VARIABLE = "SEGFLOW_HOME";

  public static SegflowPaths fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  public static SegflowPaths fromEnvironment(Map<String, String> env) {
    Path home = Path.of(env.getOrDefault(HOME_VARIABLE, "segflow-data")).toAbsolutePath().normalize();
    return new SegflowPaths(home,
        pathOr(env.get("nnUNet_raw"), home.resolve("raw")),
        pathOr(env.get("nnUNet_preprocessed"), home.resolve("preprocessed")),
        pathOr(env.get("nnUNet_results"), home.resolve("results")));
  }

  /** All roots under one home, ignoring the environment (tests, explicit --home). */
  public static SegflowPaths under(Path home) {
    Path h = home.toAbsolutePath().normalize();
    return new SegflowPaths(h, h.resolve("raw"), h.resolve("preprocessed"), h.resolve("results"));
  }

  public Path predictions() {
    return home.resolve("predictions");
  }

  public Path inbox() {
    return home.resolve("inbox");
  }

  private static Path pathOr(String value, Path fallback) {
    return value == null || value.isBlank() ? fallback : Path.of(value).toAbsolutePath().normalize();
  }
}
