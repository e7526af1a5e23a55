package org.segflow.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.io.TestImages;

class SourceScannerTest {

  @TempDir
  Path src;

  private static List<String> ids(List<SourceCase> cases) {
    return cases.stream().map(SourceCase::id).toList();
  }

  private InvalidInputException fails() {
    return assertThrows(InvalidInputException.class, () -> SourceScanner.scan(src, "CHASE"));
  }

  @Test
  void cropLayoutPadsNumbersSoStringOrderIsNumericOrder() throws Exception {
    for (String n : List.of("1", "2", "10")) {
      Fixtures.cropCase(src, "crop_train", n, 2, 2, true, true);
    }
    Fixtures.cropCase(src, "crop_test", "1", 2, 2, false, true);
    Files.createDirectories(src.resolve("original/whatever"));
    Files.writeString(src.resolve("crop_train/1/notes.txt"), "ignored");
    SourceDataset d = SourceScanner.scan(src, "CHASE");
    assertEquals(SourceLayout.CROP_FOLDERS, d.layout());
    assertEquals(List.of("CHASE_01", "CHASE_02", "CHASE_10"), ids(d.training()));
    assertEquals(List.of("CHASE_01"), ids(d.test()));
    assertNull(d.test().get(0).label());
    assertEquals(src.resolve("crop_train/10/mask.png"), d.training().get(2).mask());
    assertEquals(false, d.testLabels());
  }

  @Test
  void folderNames1And01AreTheSameCase() {
    Fixtures.cropCase(src, "crop_train", "1", 2, 2, true, false);
    Fixtures.cropCase(src, "crop_train", "01", 2, 2, true, false);
    InvalidInputException e = fails();
    assertTrue(e.getMessage().contains("duplicate case id CHASE_1"), e.getMessage());
  }

  @Test
  void twoImageFilesInOneCaseAreAnError() {
    Path dir = Fixtures.cropCase(src, "crop_train", "1", 2, 2, true, false);
    TestImages.gray8(dir.resolve("image.tif"), 2, new int[4], "tif");
    InvalidInputException e = fails();
    assertEquals(dir, e.file());
    assertTrue(e.getMessage().contains("two image files: image.png and image.tif"), e.getMessage());
  }

  @Test
  void emptyCaseFolderAndEmptyTrainFolderAreErrors() throws Exception {
    Files.createDirectories(src.resolve("crop_train"));
    assertTrue(fails().getMessage().contains("holds no case folders"));
    Files.createDirectories(src.resolve("crop_train/7"));
    InvalidInputException e = fails();
    assertEquals(src.resolve("crop_train/7"), e.file());
    assertTrue(e.getMessage().contains("empty case folder"), e.getMessage());
  }

  @Test
  void missingImageOrTrainingLabelNamesTheFolder() throws Exception {
    Path dir = Fixtures.cropCase(src, "crop_train", "3", 2, 2, false, true);
    InvalidInputException noLabel = fails();
    assertEquals(dir, noLabel.file());
    assertTrue(noLabel.getMessage().contains("no label file"), noLabel.getMessage());
    Files.delete(dir.resolve("image.png"));
    TestImages.gray8(dir.resolve("label.png"), 2, new int[4]);
    assertTrue(fails().getMessage().contains("no image file"));
  }

  @Test
  void jpegLabelIsRejectedButJpegImageIsFine() {
    Path dir = src.resolve("crop_train/1");
    TestImages.rgb8(dir.resolve("image.jpg"), 2, Fixtures.rgb(2, 2, 0), "jpg");
    TestImages.gray8(dir.resolve("label.jpg"), 2, new int[4], "jpg");
    InvalidInputException e = fails();
    assertEquals(dir.resolve("label.jpg"), e.file());
    assertTrue(e.getMessage().contains("JPEG is not accepted for a label"), e.getMessage());
  }

  @Test
  void testLabelsAreAllOrNone() {
    Fixtures.cropCase(src, "crop_train", "1", 2, 2, true, false);
    Fixtures.cropCase(src, "crop_test", "1", 2, 2, true, false);
    Path unlabelled = Fixtures.cropCase(src, "crop_test", "2", 2, 2, false, false);
    InvalidInputException e = fails();
    assertEquals(unlabelled, e.file());
    assertTrue(e.getMessage().contains("give every test case a label, or none"), e.getMessage());
  }

  @Test
  void imageLabelFoldersPairByStem() {
    TestImages.rgb8(src.resolve("images/b.png"), 1, new int[] {1, 2, 3});
    TestImages.rgb8(src.resolve("images/a.tif"), 1, new int[] {1, 2, 3}, "tif");
    TestImages.gray8(src.resolve("labels/a.png"), 1, new int[] {255});
    TestImages.gray8(src.resolve("labels/b.bmp"), 1, new int[] {0}, "bmp");
    SourceDataset d = SourceScanner.scan(src, "X");
    assertEquals(SourceLayout.IMAGE_LABEL_FOLDERS, d.layout());
    assertEquals(List.of("a", "b"), ids(d.training()));
    assertEquals(src.resolve("labels/b.bmp"), d.training().get(1).label());
  }

  @Test
  void numericStemsGetPaddedIds() {
    for (String n : List.of("9", "10")) {
      TestImages.gray8(src.resolve("images/" + n + ".png"), 1, new int[] {1});
      TestImages.gray8(src.resolve("labels/" + n + ".png"), 1, new int[] {1});
    }
    assertEquals(List.of("X_09", "X_10"), ids(SourceScanner.scan(src, "X").training()));
  }

  @Test
  void sameStemTwiceIsADuplicateCaseId() {
    TestImages.gray8(src.resolve("images/a.png"), 1, new int[] {1});
    TestImages.gray8(src.resolve("images/a.tif"), 1, new int[] {1}, "tif");
    TestImages.gray8(src.resolve("labels/a.png"), 1, new int[] {1});
    InvalidInputException e = fails();
    assertTrue(e.getMessage().contains("duplicate case id 'a': a.png and a.tif"), e.getMessage());
  }

  @Test
  void unpairedFilesAreErrors() throws Exception {
    TestImages.gray8(src.resolve("images/a.png"), 1, new int[] {1});
    Files.createDirectories(src.resolve("labels"));
    InvalidInputException e = fails();
    assertEquals(src.resolve("images/a.png"), e.file());
    assertTrue(e.getMessage().contains("no label for this image"), e.getMessage());
    TestImages.gray8(src.resolve("labels/a.png"), 1, new int[] {1});
    TestImages.gray8(src.resolve("labels/b.png"), 1, new int[] {1});
    assertEquals(src.resolve("labels/b.png"), fails().file());
  }

  @Test
  void emptyImagesFolderAndUnknownLayout() throws Exception {
    assertTrue(fails().getMessage().contains("not a recognised source layout"));
    Files.createDirectories(src.resolve("images"));
    Files.createDirectories(src.resolve("labels"));
    assertTrue(fails().getMessage().contains("empty folder"));
  }

  @Test
  void nnunetRawFolderIsRecognised() {
    Fixtures.rawDataset(src, 1);
    assertEquals(SourceLayout.NNUNET_RAW, SourceScanner.scan(src, "X").layout());
  }
}
