package org.segflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;

/** --continue resumes from the newest complete checkpoint, passing over a truncated one. */
class ResumeCheckpointTest {

  @Test
  void aTruncatedLatestFallsBackToBest(@TempDir Path dir) throws Exception {
    write(dir.resolve(Checkpoint.BEST), 4);
    write(dir.resolve(Checkpoint.LATEST), 6);
    truncate(dir.resolve(Checkpoint.LATEST));
    FoldTrainer.Resume r = FoldTrainer.newestCheckpoint(dir).orElseThrow();
    assertEquals(dir.resolve(Checkpoint.BEST), r.file());
    assertEquals(4, r.checkpoint().state().currentEpoch());
    assertEquals(1, r.skipped().size(), r.skipped().toString());
    assertTrue(r.skipped().get(0).startsWith(Checkpoint.LATEST + ": "), r.skipped().toString());
  }

  @Test
  void aTruncatedFinalFallsBackToTheNewerOfLatestAndBest(@TempDir Path dir) throws Exception {
    write(dir.resolve(Checkpoint.BEST), 3);
    write(dir.resolve(Checkpoint.LATEST), 5);
    write(dir.resolve(Checkpoint.FINAL), 8);
    truncate(dir.resolve(Checkpoint.FINAL));
    FoldTrainer.Resume r = FoldTrainer.newestCheckpoint(dir).orElseThrow();
    assertEquals(dir.resolve(Checkpoint.LATEST), r.file());
    assertEquals(5, r.checkpoint().state().currentEpoch());
  }

  @Test
  void completeCheckpointsResumeAsBefore(@TempDir Path dir) throws Exception {
    write(dir.resolve(Checkpoint.BEST), 7);
    write(dir.resolve(Checkpoint.LATEST), 5);
    FoldTrainer.Resume r = FoldTrainer.newestCheckpoint(dir).orElseThrow();
    assertEquals(dir.resolve(Checkpoint.BEST), r.file());
    assertEquals(List.of(), r.skipped());
    assertTrue(FoldTrainer.newestCheckpoint(dir.resolve("none")).isEmpty());
  }

  @Test
  void onlyDamagedCheckpointsAreRefusedNotOverwritten(@TempDir Path dir) throws Exception {
    write(dir.resolve(Checkpoint.LATEST), 5);
    truncate(dir.resolve(Checkpoint.LATEST));
    Files.writeString(dir.resolve(Checkpoint.BEST), "not a zip");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> FoldTrainer.newestCheckpoint(dir));
    assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    assertTrue(e.getMessage().contains(Checkpoint.LATEST) && e.getMessage().contains(Checkpoint.BEST),
        e.getMessage());
    assertTrue(e.getMessage().contains("no complete checkpoint"), e.getMessage());
  }

  private static void write(Path file, int epoch) {
    byte[] w = new byte[4096];
    Arrays.fill(w, (byte) epoch);
    new Checkpoint(new Checkpoint.State("nnUNetTrainer", epoch, 10, 0.5, new TrainingHistory(), Map.of(),
        new int[] {0, 1}, Checkpoint.sha256(w)), w, new byte[2048]).write(file);
  }

  /** What a full disk or an interrupted copy leaves: the first half of the zip. */
  private static void truncate(Path file) throws Exception {
    byte[] zip = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(zip, zip.length / 2));
  }
}
