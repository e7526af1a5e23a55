package org.segflow.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

class RawDatasetTest {

  @TempDir
  Path dir;

  private void png(String rel) {
    TestImages.gray8(dir.resolve(rel), 1, new int[] {1});
  }

  @Test
  void discoversCasesAsNnunet() throws Exception {
    png("imagesTr/b_0000.png");
    png("imagesTr/a_0001.png");
    png("imagesTr/a_0000.png");
    png("imagesTr/a_00001.png"); // 5 digits: gives id "a_", which has no channel files
    Files.writeString(dir.resolve("imagesTr/notes.txt"), "x");
    png("labelsTr/a.png");
    png("masksTr/b.png");
    png("imagesTs/t_0000.png");
    png("labelsTs/t.png");
    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\", \"1\": \"T2\"}, \"labels\":"
        + " {\"background\": 0, \"x\": 1}, \"numTraining\": 2, \"file_ending\": \".png\"}");
    RawDataset d = RawDataset.open(dir);
    List<RawCase> tr = d.trainingCases();
    assertEquals(List.of("a", "a_", "b"), tr.stream().map(RawCase::id).toList());
    assertEquals(List.of(dir.resolve("imagesTr/a_0000.png"), dir.resolve("imagesTr/a_0001.png")),
        tr.get(0).images());
    assertEquals(List.of(), tr.get(1).images());
    assertEquals(dir.resolve("labelsTr/a.png"), tr.get(0).label());
    assertEquals(dir.resolve("labelsTr/b.png"), tr.get(2).label()); // named even though missing
    assertNull(tr.get(0).fovMask());
    assertEquals(dir.resolve("masksTr/b.png"), tr.get(2).fovMask());
    assertEquals(1, d.testCases().size());
    assertEquals(dir.resolve("labelsTs/t.png"), d.testCases().get(0).label());
    assertFalse(d.explicitCases());
    assertEquals(List.of(0, 1), d.labels().allLabels());
  }

  @Test
  void missingKeysAreListed() {
    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0}}");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> RawDataset.open(dir));
    assertEquals(dir.resolve("dataset.json"), e.file());
    assertTrue(e.getMessage().contains("[numTraining, file_ending]"), e.getMessage());
  }

  @Test
  void legacyModalityKeyIsAccepted() throws Exception {
    png("imagesTr/a_0000.png");
    Fixtures.writeJson(dir, "{\"modality\": {\"0\": \"MRI\"}, \"labels\": {\"background\": 0},"
        + " \"numTraining\": 1, \"file_ending\": \".png\"}");
    assertEquals("MRI", RawDataset.open(dir).channelNames().get("0"));
  }

  @Test
  void missingDatasetJsonOrImagesTrNameTheFile() throws Exception {
    assertEquals(dir.resolve("dataset.json"),
        assertThrows(InvalidInputException.class, () -> RawDataset.open(dir)).file());
    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0},"
        + " \"numTraining\": 1, \"file_ending\": \".png\"}");
    assertEquals(dir.resolve("imagesTr"),
        assertThrows(InvalidInputException.class, () -> RawDataset.open(dir)).file());
  }

  @Test
  void datasetDictFormResolvesPathsRelativeToTheFolder(@TempDir Path elsewhere) {
    png("data/one.png");
    png("data/one_seg.png");
    Path abs = TestImages.gray8(elsewhere.resolve("two.png"), 1, new int[] {1});
    Fixtures.writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0},"
        + " \"numTraining\": 2, \"file_ending\": \".png\", \"dataset\": {"
        + "\"z_case\": {\"images\": [\"data/one.png\"], \"label\": \"./data/one_seg.png\"},"
        + "\"a_case\": {\"images\": [\"" + abs + "\"], \"label\": \"" + abs + "\"}}}");
    RawDataset d = RawDataset.open(dir);
    assertTrue(d.explicitCases());
    // dataset.json order, as nnU-Net iterates the dict
    assertEquals(List.of("z_case", "a_case"), d.trainingCases().stream().map(RawCase::id).toList());
    assertEquals(List.of(dir.resolve("data/one.png")), d.trainingCases().get(0).images());
    assertEquals(dir.resolve("data/one_seg.png"), d.trainingCases().get(0).label());
    assertEquals(abs, d.trainingCases().get(1).label());
  }

  @Test
  void labelManagerChecks() {
    List<String> problems = new java.util.ArrayList<>();
    DatasetLabels l = DatasetLabels.parse(new java.util.LinkedHashMap<>(java.util.Map.of(
        "background", 0, "a", 1, "b", 2, "ignore", 3)), null, problems);
    assertEquals(List.of(), problems);
    assertEquals(List.of(0, 1, 2, 3), l.expectedValues());
    assertEquals(List.of(1, 2), l.foregroundLabels());
    assertEquals(3, l.ignoreLabel());
  }
}
