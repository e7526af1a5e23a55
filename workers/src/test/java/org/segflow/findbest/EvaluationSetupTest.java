package org.segflow.findbest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.evaluate.LabelMap;
import org.segflow.evaluate.Summary;

class EvaluationSetupTest {

  @TempDir
  Path dir;

  /** 1x4 images: reference 1,1,2,0; prediction 1,0,2,2; the mask excludes the last pixel. */
  private void images(Path pred, Path ref, Path masks) {
    new LabelMap(1, 4, new short[] {1, 1, 2, 0}).writePng(ref.resolve("a.png"));
    new LabelMap(1, 4, new short[] {1, 0, 2, 2}).writePng(pred.resolve("a.png"));
    new LabelMap(1, 4, new short[] {255, 255, 255, 0}).writePng(masks.resolve("a.png"));
  }

  @Test
  void labelsFromTheValuesFoundAndDiceWithAndWithoutMask() {
    Path pred = dir.resolve("pred");
    Path ref = dir.resolve("ref");
    Path masks = dir.resolve("masks");
    images(pred, ref, masks);
    EvaluationSetup setup = EvaluationSetup.resolve(pred, ref, List.of(), null);
    assertEquals(List.of(1, 2), setup.labels());
    assertEquals(".png", setup.fileEnding());
    assertEquals("the values found in the images", setup.source());

    Summary plain = setup.evaluate(pred, ref, null);
    assertFalse(plain.hasFov());
    // label 1: TP 1, FN 1 -> 2/3; label 2: TP 1, FP 1 -> 2/3
    assertEquals(2.0 / 3.0, plain.foregroundMeanDice(), 1e-12);
    Summary fov = setup.evaluate(pred, ref, masks);
    // inside the mask label 2 is perfect: (2/3 + 1) / 2
    assertEquals((2.0 / 3.0 + 1.0) / 2.0, fov.fovForegroundMean().dice(), 1e-12);
    assertEquals(plain.foregroundMeanDice(), fov.foregroundMeanDice(), 0.0);
  }

  @Test
  void labelsFromDatasetJsonNextToTheReferencesOrGiven() throws Exception {
    Path ds = dir.resolve("Dataset002_X");
    Path pred = dir.resolve("pred");
    Path ref = ds.resolve("gt_segmentations");
    images(pred, ref, dir.resolve("masks"));
    Files.writeString(ds.resolve("dataset.json"), "{\"channel_names\": {\"0\": \"g\"}, \"labels\": "
        + "{\"background\": 0, \"a\": 1, \"b\": 2, \"c\": 3}, \"numTraining\": 1, \"file_ending\": \".png\"}");
    EvaluationSetup setup = EvaluationSetup.resolve(pred, ref, List.of(), null);
    assertEquals(List.of(1, 2, 3), setup.labels());
    assertTrue(setup.source().endsWith("dataset.json"));
    // label 3 is absent everywhere: NaN, and the plain foreground mean propagates it, as nnU-Net
    assertTrue(Double.isNaN(setup.evaluate(pred, ref, null).foregroundMeanDice()));

    EvaluationSetup given = EvaluationSetup.resolve(pred, ref, List.of(2, 1), null);
    assertEquals(List.of(1, 2), given.labels());
    assertEquals(2.0 / 3.0, given.evaluate(pred, ref, null).foregroundMeanDice(), 1e-12);
  }
}
