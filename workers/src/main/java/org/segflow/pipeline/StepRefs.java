package org.segflow.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import org.segflow.InvalidInputException;
import org.segflow.contract.StepRef;
import org.segflow.dataset.DatasetManifest;
import org.segflow.storage.SegflowPaths;

/** Files as {@link StepRef}s: paths relative to SEGFLOW_HOME plus sha256, and back. */
public final class StepRefs {

  private StepRefs() {}

  /** A reference to {@code file} (which must exist) with the sha256 of its current bytes. */
  public static StepRef of(SegflowPaths paths, Path file) {
    return new StepRef(relative(paths, file), DatasetManifest.sha256(file));
  }

  /** {@code file} relative to SEGFLOW_HOME, '/'-separated. */
  public static String relative(SegflowPaths paths, Path file) {
    return paths.home().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  /** Where a reference points, on this machine. */
  public static Path resolve(SegflowPaths paths, StepRef ref) {
    return resolve(paths, ref.path());
  }

  /** A path as given in a request: absolute, or relative to SEGFLOW_HOME. */
  public static Path resolve(SegflowPaths paths, String path) {
    Path p = Path.of(path);
    return (p.isAbsolute() ? p : paths.home().resolve(p)).normalize();
  }

  /** The referenced file, checked to hold the bytes the reference names. */
  public static Path verified(SegflowPaths paths, StepRef ref) {
    Path file = resolve(paths, ref);
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, "missing: an earlier step wrote it, but it is gone");
    }
    String actual = DatasetManifest.sha256(file);
    if (!actual.equals(ref.sha256())) {
      throw new InvalidInputException(file, "changed since the step that wrote it: sha256 is " + actual
          + ", expected " + ref.sha256());
    }
    return file;
  }
}
