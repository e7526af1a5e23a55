package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.StepRef;
import org.segflow.dataset.DatasetManifest;
import org.segflow.evaluate.CaseEvaluation;
import org.segflow.evaluate.LabelMetrics;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.Checkpoint;
import org.segflow.train.TrainingHistory;

/** The fold cache answers "finished" only for the same plans, data and budget, with whole outputs. */
class FinishedFoldsTest {

  private static final String DATASET = "Dataset007_X";
  private static final StepRef PLANS = new StepRef("preprocessed/" + DATASET + "/nnUNetPlans.json", "plans-sha");
  private static final FoldRequest REQUEST = new FoldRequest(DATASET, 3, "2d", PLANS, "plan-key", 4, 5, 2);

  @TempDir
  Path home;

  private FinishedFolds cache;
  private Path foldDir;

  @BeforeEach
  void finishedFold() throws Exception {
    cache = new FinishedFolds(SegflowPaths.under(home));
    foldDir = cache.foldDir(REQUEST);
    assertEquals(home.resolve("results/" + DATASET + "/nnUNetTrainer__nnUNetPlans__2d/fold_3"), foldDir);
    Files.createDirectories(foldDir);
    new FoldInputs("plan-key", "plans-sha").claim(foldDir);
    checkpoint(4, 4, 5, 2);
    // 2 true positives, 1 false positive, 1 false negative: Dice 4 / 6
    Path summary = foldDir.resolve(FinishedFolds.VALIDATION_SUMMARY);
    Files.createDirectories(summary.getParent());
    SummaryJson.write(summary, new Summary(List.of(1),
        List.of(new CaseEvaluation("p.png", "r.png", Map.of(1, new LabelMetrics(2, 1, 1, 8))))));
  }

  @Test
  void aFoldTrainedFromTheSameInputsAndBudgetIsFoundAsTrainingWouldReturnIt() {
    FoldResult r = cache.find(REQUEST).orElseThrow();
    assertEquals(3, r.fold());
    assertEquals("results/" + DATASET + "/nnUNetTrainer__nnUNetPlans__2d/fold_3/checkpoint_final.zip",
        r.finalCheckpoint().path());
    assertEquals(DatasetManifest.sha256(foldDir.resolve(Checkpoint.FINAL)), r.finalCheckpoint().sha256());
    assertEquals("results/" + DATASET + "/nnUNetTrainer__nnUNetPlans__2d/fold_3/validation/summary.json",
        r.validation().path());
    assertEquals(4, r.resumedFromEpoch());
    assertEquals(0, r.epochsRun());
    assertEquals(0.61, r.bestEma());
    assertEquals(4.0 / 6, r.validationDice(), 1e-12);
  }

  @Test
  void otherPlansOrDataAreNotFound() {
    assertEquals(Optional.empty(), cache.find(new FoldRequest(DATASET, 3, "2d", PLANS, "other-key", 4, 5, 2)));
    assertEquals(Optional.empty(), cache.find(new FoldRequest(DATASET, 3, "2d",
        new StepRef(PLANS.path(), "other-sha"), "plan-key", 4, 5, 2)));
  }

  @Test
  void anotherBudgetIsNotFound() {
    assertEquals(Optional.empty(), cache.find(new FoldRequest(DATASET, 3, "2d", PLANS, "plan-key", 6, 5, 2)),
        "more epochs");
    assertEquals(Optional.empty(), cache.find(new FoldRequest(DATASET, 3, "2d", PLANS, "plan-key", 4, 9, 2)),
        "more iterations per epoch");
    assertEquals(Optional.empty(), cache.find(new FoldRequest(DATASET, 3, "2d", PLANS, "plan-key", 4, 5, 1)),
        "other validation iterations");
  }

  @Test
  void aCheckpointShortOfItsLastEpochIsNotFound() {
    checkpoint(3, 4, 5, 2);
    assertEquals(Optional.empty(), cache.find(REQUEST));
  }

  @Test
  void aValidationOlderThanTheCheckpointOrMissingIsNotFound() throws Exception {
    Path summary = foldDir.resolve(FinishedFolds.VALIDATION_SUMMARY);
    FileTime checkpointTime = Files.getLastModifiedTime(foldDir.resolve(Checkpoint.FINAL));
    Files.setLastModifiedTime(summary, FileTime.fromMillis(checkpointTime.toMillis() - 60_000));
    assertEquals(Optional.empty(), cache.find(REQUEST), "validated before the final checkpoint was written");
    Files.delete(summary);
    assertEquals(Optional.empty(), cache.find(REQUEST));
  }

  @Test
  void anUnreadableCheckpointIsNotFoundAndLeftToTraining() throws Exception {
    Files.write(foldDir.resolve(Checkpoint.FINAL), new byte[] {1, 2, 3});
    Files.setLastModifiedTime(foldDir.resolve(FinishedFolds.VALIDATION_SUMMARY), FileTime.fromMillis(
        Files.getLastModifiedTime(foldDir.resolve(Checkpoint.FINAL)).toMillis() + 1000));
    assertEquals(Optional.empty(), cache.find(REQUEST));
    assertTrue(Files.exists(foldDir.resolve(Checkpoint.FINAL)), "nothing removed");
  }

  private void checkpoint(int currentEpoch, int numEpochs, int iterations, int valIterations) {
    Checkpoint.State state = new Checkpoint.State("nnUNetTrainer", currentEpoch, numEpochs, 0.61,
        new TrainingHistory(), Map.of("num_iterations_per_epoch", iterations,
        "num_val_iterations_per_epoch", valIterations), new int[] {0, 1}, null);
    new Checkpoint(state, new byte[] {7, 7}, new byte[] {9}).write(foldDir.resolve(Checkpoint.FINAL));
  }
}
