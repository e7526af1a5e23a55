package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import picocli.CommandLine;

/** nnUNetv2_evaluate_folder's order (references first) and its labels from -djfile. */
class EvaluateFolderCommandTest {

  @Test
  void scoresPredFolderAgainstGtFolderWithTheLabelsOfDjfile(@TempDir Path dir) throws Exception {
    Path gt = Files.createDirectories(dir.resolve("labelsTs"));
    Path pred = Files.createDirectories(dir.resolve("pred"));
    label(gt.resolve("c_001.png"), 8);
    label(pred.resolve("c_001.png"), 8);
    label(gt.resolve("c_002.png"), 8);
    label(pred.resolve("c_002.png"), 4);
    Path dj = dir.resolve("dataset.json");
    Files.writeString(dj, "{\"channel_names\": {\"0\": \"rgb\"}, \"labels\": {\"background\": 0, \"vessel\": 1}, "
        + "\"numTraining\": 2, \"file_ending\": \".png\"}");
    Path plans = Files.writeString(dir.resolve("plans.json"), "{}");

    assertEquals(0, run("evaluate_folder", gt.toString(), pred.toString(), "-djfile", dj.toString(), "-pfile",
        plans.toString()));
    Summary s = SummaryJson.read(pred.resolve("summary.json"));
    assertEquals(2, s.cases().size());
    assertEquals(0.7, s.foregroundMeanDice(), 1e-9, "Dice 1 and 2*16/(64+16) = 0.4");
  }

  @Test
  void aReferenceWithoutPredictionIsAnErrorUnlessChill(@TempDir Path dir) throws Exception {
    Path gt = Files.createDirectories(dir.resolve("gt"));
    Path pred = Files.createDirectories(dir.resolve("pred"));
    label(gt.resolve("a.png"), 8);
    label(gt.resolve("b.png"), 8);
    label(pred.resolve("a.png"), 8);
    Path dj = Files.writeString(dir.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"rgb\"}, "
        + "\"labels\": {\"background\": 0, \"vessel\": 1}, \"numTraining\": 2, \"file_ending\": \".png\"}");
    Path plans = Files.writeString(dir.resolve("plans.json"), "{}");
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, cl.execute("evaluate_folder", gt.toString(), pred.toString(),
        "-djfile", dj.toString(), "-pfile", plans.toString()));
    assertTrue(err.toString().contains("b.png") && err.toString().contains("--chill"), err.toString());
    assertEquals(0, run("evaluate_folder", gt.toString(), pred.toString(), "-djfile", dj.toString(), "-pfile",
        plans.toString(), "--chill"));
    assertEquals(1, SummaryJson.read(pred.resolve("summary.json")).cases().size());
  }

  private static int run(String... args) {
    return SegflowCommand.commandLine().execute(args);
  }

  /** A 16x16 label map (values 0/1) whose top-left {@code side}x{@code side} square is foreground. */
  private static void label(Path file, int side) throws Exception {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        img.getRaster().setSample(x, y, 0, 1);
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }
}
