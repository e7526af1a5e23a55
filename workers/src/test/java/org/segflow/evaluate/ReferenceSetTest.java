package org.segflow.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.io.TestImages;

/** The reference layouts of evaluate and how predictions find their case in them. */
class ReferenceSetTest {

  @TempDir Path dir;

  private static final int[] LABEL_255 = {255, 0, 0, 255};
  private static final int[] PRED_01 = {1, 0, 1, 1};
  private static final int[] MASK_255 = {255, 255, 0, 255};

  @Test
  void usersLayoutScoresZeroTo255LabelsInsideTheirMasks() {
    Path src = dir.resolve("src");
    for (String n : List.of("0", "1")) {
      TestImages.gray8(src.resolve("crop_test/" + n + "/label.png"), 2, LABEL_255);
      TestImages.gray8(src.resolve("crop_test/" + n + "/mask.png"), 2, MASK_255);
      TestImages.gray8(dir.resolve("pred/Infer_0" + n + ".png"), 2, PRED_01);
    }
    ReferenceSet ref = ReferenceSet.find(src, null);
    assertEquals(ReferenceSet.Layout.USERS_LAYOUT, ref.layout());
    assertEquals(src.resolve("crop_test"), ref.root());
    Summary s = evaluator().evaluate(dir.resolve("pred"), ref, null);
    assertEquals(new LabelMetrics(2, 1, 0, 1), s.cases().get(0).metrics().get(1));
    assertEquals(new LabelMetrics(2, 0, 0, 1), s.cases().get(0).fov().metrics().get(1),
        "the pixel outside the mask is not counted");
  }

  @Test
  void labelMaskFolderPairByStem() {
    Path ref = dir.resolve("ref");
    TestImages.gray8(ref.resolve("labels/7.png"), 2, LABEL_255);
    TestImages.gray8(ref.resolve("masks/7.png"), 2, MASK_255);
    TestImages.gray8(dir.resolve("pred/7.png"), 2, PRED_01);
    ReferenceSet set = ReferenceSet.find(ref, null);
    assertEquals(ReferenceSet.Layout.LABEL_MASK_FOLDERS, set.layout());
    assertEquals("masks of " + ref.resolve("masks"), set.fov());
    assertTrue(evaluator().evaluate(dir.resolve("pred"), set, null).hasFov());
  }

  @Test
  void predictionWithoutReferenceNamesTheExpectedFile() {
    Path test = dir.resolve("crop_test");
    TestImages.gray8(test.resolve("1/label.png"), 2, LABEL_255);
    TestImages.gray8(dir.resolve("pred/Infer_1.png"), 2, PRED_01);
    TestImages.gray8(dir.resolve("pred/Infer_2.png"), 2, PRED_01);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> evaluator().evaluate(dir.resolve("pred"), ReferenceSet.find(test, null), null));
    assertTrue(e.getMessage().contains("Infer_2.png") && e.getMessage().contains(
        test.resolve("2").resolve("label.png").toString()), e.getMessage());
  }

  @Test
  void maskDirIsRefusedForTheUsersLayoutAndSuggestedBesideLabelsTs() throws Exception {
    TestImages.gray8(dir.resolve("crop_test/1/label.png"), 2, LABEL_255);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ReferenceSet.find(dir.resolve("crop_test"), dir.resolve("masks")));
    assertTrue(e.getMessage().contains("mask.*"), e.getMessage());

    Files.createDirectories(dir.resolve("raw/labelsTs"));
    Files.createDirectories(dir.resolve("raw/masksTs"));
    ReferenceSet ref = ReferenceSet.find(dir.resolve("raw/labelsTs"), null);
    assertEquals(ReferenceSet.Layout.NNUNET_LABELS, ref.layout());
    assertTrue(ref.fov().contains("--mask-dir " + dir.resolve("raw/masksTs")), ref.fov());
  }

  @Test
  void someCasesWithoutMaskAreRefused() {
    TestImages.gray8(dir.resolve("crop_test/1/label.png"), 2, LABEL_255);
    TestImages.gray8(dir.resolve("crop_test/1/mask.png"), 2, MASK_255);
    TestImages.gray8(dir.resolve("crop_test/2/label.png"), 2, LABEL_255);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ReferenceSet.find(dir, null));
    assertTrue(e.getMessage().startsWith(dir.resolve("crop_test/2") + ": no mask file"), e.getMessage());
  }

  private static FolderEvaluator evaluator() {
    return new FolderEvaluator(List.of(1), OptionalInt.empty(), ".png");
  }
}
