package org.segflow.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.io.TestImages;

class IntegrityVerifierTest {

  @TempDir
  Path dir;

  private final IntegrityVerifier verifier = new IntegrityVerifier();

  private static final String JSON_TAIL = "\"numTraining\": 2, \"file_ending\": \".png\"}";

  private List<IntegrityProblem> problems() {
    return verifier.check(dir);
  }

  /** The only problem, asserting its check number and case. */
  private IntegrityProblem single(int check, String caseId) {
    List<IntegrityProblem> p = problems();
    assertEquals(1, p.size(), p.toString());
    assertEquals(check, p.get(0).check(), p.toString());
    assertEquals(caseId, p.get(0).caseId(), p.toString());
    return p.get(0);
  }

  @Test
  void aValidDatasetPasses() {
    Fixtures.rawDataset(dir, 3);
    RawDataset d = verifier.verify(dir);
    assertEquals(3, d.trainingCases().size());
  }

  @Test
  void check1MissingDatasetJsonAndFolders() throws Exception {
    Files.createDirectories(dir);
    List<IntegrityProblem> p = problems();
    assertEquals(List.of(1, 1, 1), p.stream().map(IntegrityProblem::check).toList());
    assertTrue(p.get(0).message().contains("dataset.json not found"));
    assertTrue(p.get(1).message().contains("imagesTr/ not found"));
    assertTrue(p.get(2).message().contains("labelsTr/ not found"));
  }

  @Test
  void check2MissingKeys() throws Exception {
    Fixtures.rawDataset(dir, 2);
    Fixtures.writeJson(dir, "{\"labels\": {\"background\": 0, \"v\": 1}, \"numTraining\": 2}");
    List<IntegrityProblem> p = problems();
    assertEquals(2, p.size());
    assertTrue(p.get(0).message().contains("'channel_names'"), p.toString());
    assertTrue(p.get(1).message().contains("'file_ending'"), p.toString());
  }

  @Test
  void check3NumTrainingMismatchAndBadlyNamedImages() throws Exception {
    Fixtures.rawDataset(dir, 2);
    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"v\": 1}, \"numTraining\": 5, \"file_ending\": \".png\"}");
    IntegrityProblem p = single(3, null);
    assertTrue(p.message().contains("numTraining is 5 in dataset.json but 2 training cases"), p.message());

    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"v\": 1}, \"numTraining\": 3, \"file_ending\": \".png\"}");
    TestImages.gray8(dir.resolve("imagesTr/case_c.png"), 1, new int[] {1}); // no _0000
    IntegrityProblem named = problems().get(0);
    assertEquals("c", named.caseId());
    assertTrue(named.message().startsWith("imagesTr/case_c.png gives case id 'c' but no image file"
        + " is named c_XXXX.png"), named.message());
  }

  @Test
  void check4MissingLabel() throws Exception {
    Fixtures.rawDataset(dir, 2);
    Files.delete(dir.resolve("labelsTr/case_b.png"));
    IntegrityProblem p = single(4, "case_b");
    assertEquals(dir.resolve("labelsTr/case_b.png"), p.file());
    assertTrue(p.message().contains("label file labelsTr/case_b.png not found"), p.message());
  }

  @Test
  void check5LabelManager() {
    Fixtures.rawDataset(dir, 2);
    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 1,"
        + " \"v\": 0}, " + JSON_TAIL);
    assertTrue(single(5, null).message().contains("background label must be 0, got 1"));

    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"v\": 1, \"w\": 3}, " + JSON_TAIL);
    assertTrue(single(5, null).message().contains("labels must be consecutive (0, 1, 2, ...), got [0, 1, 3]"));

    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"v\": 1, \"ignore\": 5}, " + JSON_TAIL);
    List<IntegrityProblem> p = problems();
    assertEquals(5, p.get(0).check());
    assertTrue(p.get(0).message().contains("ignore label must be max label + 1 = 2, got 5"), p.toString());

    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"v\": 1}, " + JSON_TAIL);
    assertTrue(problems().get(0).message().contains("'background' label is missing"));

    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"whole\": [1, 2], \"core\": 2}, " + JSON_TAIL);
    assertTrue(problems().get(0).message().contains("region-based labels need regions_class_order"));
  }

  @Test
  void check6ReaderDetection() throws Exception {
    Fixtures.rawDataset(dir, 2);
    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"v\": 1}, \"numTraining\": 2, \"file_ending\": \".png\","
        + " \"overwrite_image_reader_writer\": \"SimpleITKIO\"}");
    IntegrityProblem p = single(6, "case_a");
    assertTrue(p.message().contains("SimpleITKIO"), p.message());

    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"v\": 1}, " + JSON_TAIL);
    Files.writeString(dir.resolve("imagesTr/case_a_0000.png"), "garbage");
    IntegrityProblem unreadable = single(6, "case_a");
    assertTrue(unreadable.message().contains("cannot read the first image"), unreadable.message());
  }

  @Test
  void check7UnexpectedLabelValuesUseNnunetWording() {
    Fixtures.rawDataset(dir, 3);
    TestImages.gray8(dir.resolve("labelsTr/case_b.png"), 4, Fixtures.label255(4, 3));
    IntegrityProblem p = single(7, "case_b");
    assertEquals("Unexpected labels found in file labelsTr/case_b.png. Expected: [0, 1]. Found: [0, 255]",
        p.message());
  }

  @Test
  void check8NaNInImagesAndLabels() {
    float[] image = {1, Float.NaN, 3, 4};
    float[] label = {0, 1, Float.NaN, 0};
    TestImages.floatTiff(dir.resolve("imagesTr/c_0000.tif"), 2, image);
    TestImages.floatTiff(dir.resolve("labelsTr/c.tif"), 2, label);
    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"v\": 1}, \"numTraining\": 1, \"file_ending\": \".tif\"}");
    List<IntegrityProblem> p = problems();
    assertEquals(List.of(7, 8, 8), p.stream().map(IntegrityProblem::check).toList(), p.toString());
    assertTrue(p.get(0).message().contains("Found: [0, 1, nan]"), p.get(0).message());
    assertTrue(p.get(1).message().contains("NaN values in image imagesTr/c_0000.tif"));
    assertTrue(p.get(2).message().contains("NaN values in label labelsTr/c.tif"));
  }

  @Test
  void check8ShapeMismatchNamesBothFiles() {
    Fixtures.rawDataset(dir, 2);
    TestImages.gray8(dir.resolve("labelsTr/case_a.png"), 2, new int[] {0, 1});
    IntegrityProblem p = single(8, "case_a");
    assertEquals("shape mismatch: image imagesTr/case_a_0000.png is 4x3 (width x height) but label"
        + " labelsTr/case_a.png is 2x1 (width x height)", p.message());
  }

  @Test
  void check8ChannelCountCountsRgbAsThree() {
    Fixtures.rawDataset(dir, 2);
    TestImages.rgb8(dir.resolve("imagesTr/case_b_0000.png"), 4, Fixtures.rgb(4, 3, 0));
    IntegrityProblem p = single(8, "case_b");
    assertTrue(p.message().contains("has 3 channel(s) but dataset.json channel_names declares 1"),
        p.message());
  }

  @Test
  void check9FovMasksMustBeBinaryAndAligned() {
    Fixtures.rawDataset(dir, 2);
    TestImages.gray8(dir.resolve("masksTr/case_a.png"), 4, new int[12]);
    TestImages.gray8(dir.resolve("masksTr/case_b.png"), 4, Fixtures.label255(4, 3));
    IntegrityProblem p = single(9, "case_b");
    assertTrue(p.message().contains("FOV mask masksTr/case_b.png must be one channel of 0/1"), p.message());
  }

  @Test
  void everyProblemIsCollectedInCheckOrderIntoOneException() throws Exception {
    Fixtures.rawDataset(dir, 4);
    Files.delete(dir.resolve("labelsTr/case_a.png"));
    TestImages.gray8(dir.resolve("labelsTr/case_b.png"), 2, new int[] {0, 1});
    TestImages.gray8(dir.resolve("labelsTr/case_c.png"), 4, Fixtures.label255(4, 3));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> verifier.verify(dir));
    String m = e.getMessage();
    assertEquals(dir, e.file());
    assertTrue(m.contains("dataset integrity check failed with 3 problems:"), m);
    int missing = m.indexOf("case case_a: label file labelsTr/case_a.png not found");
    int values = m.indexOf("case case_c: Unexpected labels found in file labelsTr/case_c.png");
    int shape = m.indexOf("case case_b: shape mismatch");
    assertTrue(missing > 0 && values > missing && shape > values, m);
  }

  @Test
  void longListsAreCapped() {
    Fixtures.rawDataset(dir, 45);
    for (int c = 0; c < 45; c++) {
      TestImages.gray8(dir.resolve("labelsTr/" + Fixtures.caseId(c) + ".png"), 4,
          Fixtures.label255(4, 3));
    }
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> verifier.verify(dir));
    assertTrue(e.getMessage().contains("45 problems"), e.getMessage());
    assertTrue(e.getMessage().endsWith("... and 5 more"), e.getMessage());
  }
}
