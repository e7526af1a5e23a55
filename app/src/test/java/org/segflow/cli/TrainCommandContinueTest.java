package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.dataset.DatasetManifest;
import org.segflow.pipeline.FoldInputs;
import org.segflow.pipeline.SampleDatasets;
import org.segflow.train.Checkpoint;
import picocli.CommandLine;

/**
 * `segflow train --continue` refuses a fold folder whose checkpoints were trained from other inputs, as
 * the pipeline's fold training does: one line naming the folder and what differs, exit status 3, and
 * the folder left as it was.
 */
class TrainCommandContinueTest {

  @Test
  void continuingAFoldTrainedFromOtherPlansIsInvalidInput(@TempDir Path home) throws Exception {
    SampleDatasets.prepare(home, 12, 6, 48);
    Path plans = home.resolve("preprocessed/Dataset012_Sample/nnUNetPlans.json");
    Path fold = Files.createDirectories(home.resolve("results/Dataset012_Sample/nnUNetTrainer__nnUNetPlans__2d/fold_0"));
    // as the pipeline leaves a fold it trained from plans that have since been made again
    FoldInputs before = new FoldInputs("0123abcd", "0".repeat(64));
    before.record(fold);
    byte[] checkpoint = {1, 2, 3};
    Files.write(fold.resolve(Checkpoint.LATEST), checkpoint);

    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("train", "-d", "12", "-f", "0", "--continue", "--epochs", "1", "--iterations-per-epoch",
        "1", "--val-iterations", "1", "--device", "cpu", "--home", home.toString());

    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, code, err.toString());
    assertEquals(List.of("segflow: " + fold + ": this fold was trained from other inputs (plans sha256 "
        + "0".repeat(64) + " recorded, " + DatasetManifest.sha256(plans) + " now, as " + FoldInputs.FILE_NAME
        + " says) and training resumes from its checkpoints; move or delete the folder to train the fold again"),
        err.toString().lines().toList());
    assertEquals(before, FoldInputs.recorded(fold).orElseThrow(), "the record is kept");
    assertArrayEquals(checkpoint, Files.readAllBytes(fold.resolve(Checkpoint.LATEST)), "nothing trained");
  }
}
