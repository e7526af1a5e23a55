package org.segflow.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.segflow.InvalidInputException;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.dataset.DatasetName;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.Checkpoint;
import org.segflow.train.FoldTrainingJob;

/**
 * The fold cache: a fold is finished for a request when its folder was trained from the request's
 * plans and preprocessed data ({@link FoldInputs}), its checkpoint_final holds the request's budget
 * (epochs, iterations, validation iterations) and its validation/summary.json was written after
 * that checkpoint, as fold training itself decides on resume. Anything unreadable counts as not
 * finished: training then gives the precise error. Reads only the checkpoint's state entry, not its
 * weights, so the answer comes in milliseconds on a cpu worker.
 */
public final class FinishedFolds {

  static final String VALIDATION_SUMMARY = "validation/summary.json";

  private final SegflowPaths paths;

  public FinishedFolds(SegflowPaths paths) {
    this.paths = paths;
  }

  /** The fold as training returns a finished fold (nothing trained, resumed at its last epoch). */
  public Optional<FoldResult> find(FoldRequest r) {
    Path foldDir = foldDir(r);
    if (!new FoldInputs(r.inputsKey(), r.plans().sha256()).recordedIn(foldDir)) {
      return Optional.empty();
    }
    Path finalCheckpoint = foldDir.resolve(Checkpoint.FINAL);
    Path summary = foldDir.resolve(VALIDATION_SUMMARY);
    Optional<Checkpoint.State> state = state(finalCheckpoint);
    if (state.isEmpty() || !sameBudget(state.get(), r) || !newerOrSame(summary, finalCheckpoint)) {
      return Optional.empty();
    }
    Summary s;
    try {
      s = SummaryJson.read(summary);
    } catch (InvalidInputException | IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(new FoldResult(r.fold(), StepRefs.of(paths, finalCheckpoint), StepRefs.of(paths, summary),
        r.epochs(), 0, state.get().bestEma(), s.foregroundMeanDice()));
  }

  /** results/DatasetNNN_Name/nnUNetTrainer__PLANS__CONFIG/fold_K, as fold training lays it out. */
  Path foldDir(FoldRequest r) {
    String plansName = Path.of(r.plans().path()).getFileName().toString().replaceFirst("\\.json$", "");
    return paths.results().resolve(DatasetName.parse(r.dataset()).folderName())
        .resolve(FoldTrainingJob.trainerFolder(plansName, r.configuration()))
        .resolve(FoldTrainingJob.foldFolder(Integer.toString(r.fold())));
  }

  private static boolean sameBudget(Checkpoint.State s, FoldRequest r) {
    Map<String, Object> args = s.initArgs() == null ? Map.of() : s.initArgs();
    return s.currentEpoch() == r.epochs() && s.numEpochs() == r.epochs()
        && String.valueOf(r.iterations()).equals(String.valueOf(args.get("num_iterations_per_epoch")))
        && String.valueOf(r.valIterations()).equals(String.valueOf(args.get("num_val_iterations_per_epoch")));
  }

  /** Only the checkpoint's state.json: the weights are not needed to know what it holds. */
  private static Optional<Checkpoint.State> state(Path checkpoint) {
    if (!Files.isRegularFile(checkpoint)) {
      return Optional.empty();
    }
    try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
      ZipEntry e = zip.getEntry("state.json");
      if (e == null) {
        return Optional.empty();
      }
      try (var in = zip.getInputStream(e)) {
        return Optional.of(Json.mapper().readValue(in.readAllBytes(), Checkpoint.State.class));
      }
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean newerOrSame(Path file, Path than) {
    try {
      return Files.isRegularFile(file)
          && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) >= 0;
    } catch (IOException e) {
      return false;
    }
  }
}
