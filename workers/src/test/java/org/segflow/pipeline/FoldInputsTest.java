package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.train.Checkpoint;

/** A fold folder resumes only checkpoints trained from the same plan inputs. */
class FoldInputsTest {

  @Test
  void sameInputsResumeOtherInputsAreRefusedOnceThereIsACheckpoint(@TempDir Path fold) throws Exception {
    String a = FoldInputs.text("key-a", "plans-a");
    String b = FoldInputs.text("key-b", "plans-a");
    FoldInputs.claim(fold, a);
    assertEquals(a, Files.readString(fold.resolve(FoldInputs.FILE_NAME)));
    assertDoesNotThrow(() -> FoldInputs.claim(fold, b), "no checkpoint yet: nothing to protect");
    FoldInputs.claim(fold, a);

    Files.write(fold.resolve(Checkpoint.LATEST), new byte[] {1});
    assertDoesNotThrow(() -> FoldInputs.claim(fold, a));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> FoldInputs.claim(fold, b));
    assertTrue(e.getMessage().contains(FoldInputs.FILE_NAME) && e.getMessage().contains("key-a")
        && e.getMessage().contains("key-b"), e.getMessage());
  }
}
