package org.segflow.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.storage.AtomicFiles;
import org.segflow.train.Checkpoint;

/**
 * What a fold folder was trained from ({@value #FILE_NAME}: the plan step's cache key and the plans'
 * sha256). Fold training always resumes from the newest checkpoint, so a folder trained from other
 * inputs (a changed dataset, new plans) is refused rather than silently continued.
 */
public final class FoldInputs {

  public static final String FILE_NAME = "segflow_fold_inputs.txt";

  private FoldInputs() {}

  public static String text(String planCacheKey, String plansSha256) {
    return "plan step cache key " + planCacheKey + "\nplans sha256 " + plansSha256 + "\n";
  }

  /** Whether {@code foldDir} records exactly {@code text} as its inputs. */
  public static boolean recorded(Path foldDir, String text) {
    Path file = foldDir.resolve(FILE_NAME);
    try {
      return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text);
    } catch (IOException e) {
      return false;
    }
  }

  /** Records {@code text} for a new fold; refuses a fold folder whose checkpoints came from other inputs. */
  public static void claim(Path foldDir, String text) {
    Path file = foldDir.resolve(FILE_NAME);
    try {
      if (Files.isRegularFile(file)) {
        String had = Files.readString(file, StandardCharsets.UTF_8);
        if (!had.equals(text) && hasCheckpoint(foldDir)) {
          throw new InvalidInputException(file, "this fold was trained from other inputs and training"
              + " resumes from its checkpoints; move or delete " + foldDir + " to train it again. Recorded:\n"
              + had + "now:\n" + text);
        }
      }
      if (!Files.isRegularFile(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
        AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the inputs of " + foldDir, e);
    }
  }

  private static boolean hasCheckpoint(Path foldDir) {
    return Stream.of(Checkpoint.FINAL, Checkpoint.LATEST, Checkpoint.BEST)
        .anyMatch(n -> Files.exists(foldDir.resolve(n)));
  }
}
