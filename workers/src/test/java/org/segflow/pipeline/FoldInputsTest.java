package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetManifest;
import org.segflow.train.Checkpoint;

/** A fold folder resumes only checkpoints trained from the same plan inputs. */
class FoldInputsTest {

  @Test
  void sameInputsResumeOtherInputsAreRefusedOnceThereIsACheckpoint(@TempDir Path fold) throws Exception {
    FoldInputs a = new FoldInputs("key-a", "plans-a");
    FoldInputs b = new FoldInputs("key-b", "plans-a");
    a.claim(fold);
    assertEquals("plan step cache key key-a\nplans sha256 plans-a\n",
        Files.readString(fold.resolve(FoldInputs.FILE_NAME)), "the record the pipeline has always written");
    assertDoesNotThrow(() -> b.claim(fold), "no checkpoint yet: nothing to protect");
    a.claim(fold);

    Files.write(fold.resolve(Checkpoint.LATEST), new byte[] {1});
    assertDoesNotThrow(() -> a.claim(fold));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> b.claim(fold));
    assertEquals(fold + ": this fold was trained from other inputs (plan step cache key key-a recorded, key-b now, as "
        + FoldInputs.FILE_NAME + " says) and training resumes from its checkpoints; move or delete the folder to"
        + " train the fold again", e.getMessage());
    assertEquals(Optional.of(a), FoldInputs.recorded(fold), "a refused claim leaves the record");
  }

  @Test
  void anUnknownPlanKeyAgreesWithAnyButOtherPlansAreRefused(@TempDir Path fold) throws Exception {
    FoldInputs pipeline = new FoldInputs("key-a", "plans-a");
    pipeline.claim(fold);
    Files.write(fold.resolve(Checkpoint.FINAL), new byte[] {1});

    FoldInputs cli = new FoldInputs(FoldInputs.NO_PLAN_KEY, "plans-a");
    assertDoesNotThrow(() -> cli.claim(fold));
    assertTrue(pipeline.recordedIn(fold), "the plan step's key is kept for the fold cache");

    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new FoldInputs(FoldInputs.NO_PLAN_KEY, "plans-b").claim(fold));
    assertTrue(e.getMessage().contains("plans sha256 plans-a recorded, plans-b now")
        && !e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void anUnreadableRecordBesideACheckpointIsRefused(@TempDir Path fold) throws Exception {
    Files.writeString(fold.resolve(FoldInputs.FILE_NAME), "something else\n");
    Files.write(fold.resolve(Checkpoint.BEST), new byte[] {1});
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new FoldInputs("k", "p").claim(fold));
    assertTrue(e.getMessage().contains(FoldInputs.FILE_NAME + " unreadable"), e.getMessage());
  }

  @Test
  void theKeyOfPreprocessedDataIsTheSha256OfThePlanStepsKeyFile(@TempDir Path pp) throws Exception {
    Path plans = Files.writeString(pp.resolve("nnUNetPlans.json"), "{}");
    assertEquals(new FoldInputs(FoldInputs.NO_PLAN_KEY, DatasetManifest.sha256(plans)),
        FoldInputs.ofPreprocessed(pp, plans), "planned without the pipeline");
    StepCacheKey key = new StepCacheKey("plan_and_preprocess").add("dataset", "Dataset001_X");
    PlanStepCache.record(pp, key);
    assertEquals(new FoldInputs(key.key(), DatasetManifest.sha256(plans)), FoldInputs.ofPreprocessed(pp, plans),
        "the key the pipeline's plan step returned");
  }

  @Test
  void startingOverForgetsTheRecord(@TempDir Path fold) {
    new FoldInputs("k", "p").record(fold);
    FoldInputs.forget(fold);
    assertFalse(Files.exists(fold.resolve(FoldInputs.FILE_NAME)));
    assertEquals(List.of(), new FoldInputs("k", "p").differencesFrom(new FoldInputs("k", "p")));
  }
}
