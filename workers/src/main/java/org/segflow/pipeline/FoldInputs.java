package org.segflow.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetManifest;
import org.segflow.storage.AtomicFiles;
import org.segflow.train.Checkpoint;

/**
 * What a fold folder was trained from ({@value #FILE_NAME}: the plan step's cache key and the plans'
 * sha256). A resumed fold continues from the newest checkpoint, so a folder trained from other inputs
 * (a changed dataset, new plans) is refused rather than silently continued: by the pipeline's fold
 * training, which always resumes, and by {@code segflow train --continue}.
 *
 * @param planKey     the plan step's cache key, or {@value #NO_PLAN_KEY} for data the plan step did not
 *                    make (segflow plan-and-preprocess records no key); an unknown key agrees with any
 * @param plansSha256 sha256 of the plans file the fold trains from
 */
public record FoldInputs(String planKey, String plansSha256) {

  public static final String FILE_NAME = "segflow_fold_inputs.txt";
  /** The plan key of preprocessed data without the plan step's cache key. */
  public static final String NO_PLAN_KEY = "none";

  private static final String KEY_LINE = "plan step cache key ";
  private static final String PLANS_LINE = "plans sha256 ";

  /**
   * The inputs of a fold trained from {@code plansFile} in the preprocessed folder {@code ppDir} as they
   * are now: the plan step's key is the sha256 of the key file it wrote last, when it made this folder.
   */
  public static FoldInputs ofPreprocessed(Path ppDir, Path plansFile) {
    Path keyFile = ppDir.resolve(PlanStepCache.FILE_NAME);
    String key = Files.isRegularFile(keyFile) ? DatasetManifest.sha256(keyFile) : NO_PLAN_KEY;
    return new FoldInputs(key, DatasetManifest.sha256(plansFile));
  }

  /** The inputs {@code foldDir} records; empty when it records none (or nothing readable). */
  public static Optional<FoldInputs> recorded(Path foldDir) {
    Path file = foldDir.resolve(FILE_NAME);
    try {
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      if (lines.size() != 2 || !lines.get(0).startsWith(KEY_LINE) || !lines.get(1).startsWith(PLANS_LINE)) {
        return Optional.empty();
      }
      return Optional.of(new FoldInputs(lines.get(0).substring(KEY_LINE.length()),
          lines.get(1).substring(PLANS_LINE.length())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The file's text: one line per input. */
  public String text() {
    return KEY_LINE + planKey + "\n" + PLANS_LINE + plansSha256 + "\n";
  }

  /** Whether {@code foldDir} records exactly these inputs. */
  public boolean recordedIn(Path foldDir) {
    Path file = foldDir.resolve(FILE_NAME);
    try {
      return Files.isRegularFile(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * What differs between {@code recorded} and these inputs, one phrase per input; empty when they
   * agree.
   */
  public List<String> differencesFrom(FoldInputs recorded) {
    List<String> d = new ArrayList<>();
    if (!plansSha256.equals(recorded.plansSha256)) {
      d.add("plans sha256 " + recorded.plansSha256 + " recorded, " + plansSha256 + " now");
    }
    if (!planKey.equals(recorded.planKey) && !NO_PLAN_KEY.equals(planKey) && !NO_PLAN_KEY.equals(recorded.planKey)) {
      d.add("plan step cache key " + recorded.planKey + " recorded, " + planKey + " now");
    }
    return d;
  }

  /**
   * Records these inputs for a fold that resumes; refuses a fold folder whose checkpoints came from
   * other inputs, with one line naming the folder and what differs.
   */
  public void claim(Path foldDir) {
    Path file = foldDir.resolve(FILE_NAME);
    Optional<FoldInputs> had = recorded(foldDir);
    if (Files.isRegularFile(file) && hasCheckpoint(foldDir)) {
      List<String> differences = had.map(this::differencesFrom)
          .orElse(List.of(FILE_NAME + " unreadable"));
      if (!differences.isEmpty()) {
        throw new InvalidInputException(foldDir, "this fold was trained from other inputs ("
            + String.join("; ", differences) + ", as " + FILE_NAME + " says) and training resumes from its"
            + " checkpoints; move or delete the folder to train the fold again");
      }
    }
    // a key the plan step wrote is kept over an unknown one: the fold cache compares the whole record
    boolean lessKnown = NO_PLAN_KEY.equals(planKey) && had.isPresent() && !NO_PLAN_KEY.equals(had.get().planKey)
        && differencesFrom(had.get()).isEmpty();
    if (!recordedIn(foldDir) && !lessKnown) {
      record(foldDir);
    }
  }

  /** Records these inputs whatever the folder recorded before. */
  public void record(Path foldDir) {
    AtomicFiles.write(foldDir.resolve(FILE_NAME), text().getBytes(StandardCharsets.UTF_8));
  }

  /** Removes the record: a fold starting over is trained from no known inputs until it finishes. */
  public static void forget(Path foldDir) {
    try {
      Files.deleteIfExists(foldDir.resolve(FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the inputs record of " + foldDir, e);
    }
  }

  private static boolean hasCheckpoint(Path foldDir) {
    return Stream.of(Checkpoint.FINAL, Checkpoint.LATEST, Checkpoint.BEST)
        .anyMatch(n -> Files.exists(foldDir.resolve(n)));
  }
}
