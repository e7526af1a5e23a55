package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.evaluate.SummaryJson;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.Checkpoint;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.FoldTrainer;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingHistory;
import org.segflow.train.TrainingListener;
import org.segflow.train.TrainingSettings;

/**
 * Real DJL training on the synthetic sample (64 px, a few iterations per epoch): a crash after an
 * epoch is resumed from the checkpoint with the curves continuing, and the network learns.
 */
class FoldTrainingIntegrationTest {

  private static final int EPOCHS = 8;

  @Test
  void learnsAndResumesAfterACrash(@TempDir Path home) throws Exception {
    SampleDatasets.prepare(home, 6, 10, 64);
    FoldTrainingJob job = new FoldTrainingJob(SegflowPaths.under(home));
    TrainingSettings settings = TrainingSettings.schedule(EPOCHS, 12, 5).withSeed(42);

    RuntimeException crash = assertThrows(RuntimeException.class, () -> job.run(request(settings),
        List.of(new CrashAfterEpoch(3))));
    assertEquals("simulated crash", crash.getMessage());
    Path fold = home.resolve("results/Dataset006_Sample/nnUNetTrainer__nnUNetPlans__2d/fold_0");
    Checkpoint latest = Checkpoint.read(fold.resolve(Checkpoint.LATEST));
    assertEquals(4, latest.state().currentEpoch());
    List<Double> before = latest.state().logging().trainLosses();

    FoldTrainer.Outcome done = job.run(request(settings.withResume(true)), List.of());
    assertEquals(4, done.resumedFromEpoch());
    TrainingHistory h = done.history();
    assertEquals(EPOCHS, h.epochs());
    assertEquals(before, h.trainLosses().subList(0, 4), "the curves continue from the checkpoint");

    double first = h.meanFgDice().get(0);
    double lateBest = Math.max(h.meanFgDice().get(EPOCHS - 1), h.meanFgDice().get(EPOCHS - 2));
    assertTrue(lateBest > first + 0.15, "pseudo Dice rose from " + first + " to " + lateBest);
    assertTrue(h.trainLosses().get(EPOCHS - 1) < h.trainLosses().get(0), "train loss fell");

    assertTrue(Files.exists(fold.resolve(Checkpoint.FINAL)));
    assertTrue(Files.exists(fold.resolve(Checkpoint.BEST)));
    assertFalse(Files.exists(fold.resolve(Checkpoint.LATEST)), "latest is removed once training is final");
    assertTrue(Files.size(fold.resolve("progress.png")) > 1000);
    double dice = SummaryJson.read(fold.resolve("validation/summary.json")).foregroundMeanDice();
    assertTrue(dice > 0.4, "sliding-window validation Dice " + dice);
    assertEquals(done.validation().foregroundMeanDice(), dice, 1e-12);

    // --continue on a finished fold trains nothing more
    long validatedAt = Files.getLastModifiedTime(fold.resolve("validation/summary.json")).toMillis();
    FoldTrainer.Outcome again = job.run(request(settings.withResume(true)), List.of());
    assertEquals(0, again.epochsRun());
    assertEquals(dice, again.validation().foregroundMeanDice(), 0.0);
    assertEquals(validatedAt, Files.getLastModifiedTime(fold.resolve("validation/summary.json")).toMillis(),
        "a finished, validated fold is not validated again");
  }

  @Test
  void rejectsFoldOutOfRangeAndMissingPlans(@TempDir Path home) {
    FoldTrainingJob job = new FoldTrainingJob(SegflowPaths.under(home));
    TrainingSettings s = TrainingSettings.schedule(1, 1, 1).withSeed(1).withoutFinalValidation();
    InvalidInputException fold = assertThrows(InvalidInputException.class, () -> job.run(
        new FoldTrainingJob.Request("6", "2d", "7", "nnUNetPlans", s, "cpu", 2), List.of()));
    assertTrue(fold.getMessage().contains("0, 1, 2, 3, 4 or all"), fold.getMessage());
    InvalidInputException missing = assertThrows(InvalidInputException.class, () -> job.run(
        new FoldTrainingJob.Request("6", "2d", "0", "nnUNetPlans", s, "cpu", 2), List.of()));
    assertTrue(missing.getMessage().contains("Dataset"), missing.getMessage());
  }

  private static FoldTrainingJob.Request request(TrainingSettings s) {
    return new FoldTrainingJob.Request("6", "2d", "0", "nnUNetPlans", s, "cpu", 2);
  }

  /** Fails the run right after epoch {@code n} was checkpointed, as a crash between epochs would. */
  private record CrashAfterEpoch(int n) implements TrainingListener {
    @Override
    public void onEpochEnd(FoldContext fold, EpochResult result, TrainingHistory history) {
      if (result.epoch() == n) {
        throw new IllegalStateException("simulated crash");
      }
    }
  }
}
