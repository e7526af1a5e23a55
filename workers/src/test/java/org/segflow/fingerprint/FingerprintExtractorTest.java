package org.segflow.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.dataset.RawCase;
import org.segflow.preprocess.NonzeroCropper;
import org.segflow.preprocess.TestImages;
import org.segflow.preprocess.normalization.IntensityProperties;
import org.segflow.storage.Json;

class FingerprintExtractorTest {

  @TempDir
  Path dir;

  /**
   * Three RGB cases: A (10x12) has a zero top row and zero left/right columns, so it crops to 9x10;
   * B (7x9) has labels 1 and 2; C (5x6) has no foreground.
   */
  private List<RawCase> dataset() {
    TestImages.rgb(dir.resolve("A_0000.png"), 10, 12, (b, y, x) ->
        y == 0 || x == 0 || x == 11 ? 0 : (y * 31 + x * 17 + b * 53) % 256);
    TestImages.gray(dir.resolve("A.png"), 10, 12, (b, y, x) ->
        (y == 0 && x == 5) || (y != 0 && x != 0 && x != 11 && (x * y) % 3 == 1) ? 1 : 0);
    TestImages.rgb(dir.resolve("B_0000.png"), 7, 9, (b, y, x) -> (y * 13 + x * 7 + b * 101 + 1) % 250 + 1);
    TestImages.gray(dir.resolve("B.png"), 7, 9, (b, y, x) ->
        (x + y) % 5 == 0 ? 2 : (x + 2 * y) % 4 == 0 ? 1 : 0);
    TestImages.rgb(dir.resolve("C_0000.png"), 5, 6, (b, y, x) -> (x + y + b) % 7);
    TestImages.gray(dir.resolve("C.png"), 5, 6, (b, y, x) -> 0);
    return List.of(
        new RawCase("A", List.of(dir.resolve("A_0000.png")), dir.resolve("A.png"), null),
        new RawCase("B", List.of(dir.resolve("B_0000.png")), dir.resolve("B.png"), null),
        new RawCase("C", List.of(dir.resolve("C_0000.png")), dir.resolve("C.png"), null));
  }

  /**
   * Reference: numpy 2.4 replaying nnU-Net's fingerprint with a 1e5 sample budget (33333 per case):
   * crop_to_nonzero, RandomState(1234).choice(fg, n, replace=True) per channel, then np.mean, np.std,
   * np.min, np.max and np.percentile(..., (0.5, 50, 99.5)) in float64.
   */
  @Test
  void matchesNumpyReplayOfNnunet() {
    DatasetFingerprint fp = new FingerprintExtractor(2, NonzeroCropper.NNUNET, 1e5).extract(dataset());
    assertEquals(List.of(List.of(1, 9, 10), List.of(1, 7, 9), List.of(1, 5, 6)), fp.shapesAfterCrop());
    assertEquals(List.of(List.of(999.0, 1.0, 1.0), List.of(999.0, 1.0, 1.0), List.of(999.0, 1.0, 1.0)),
        fp.spacings());
    assertEquals(1.0, fp.medianRelativeSizeAfterCropping(), 0.0); // median of 0.75, 1, 1
    assertEquals(List.of("0", "1", "2"), List.copyOf(fp.foregroundIntensityPropertiesPerChannel().keySet()));
    check(fp, "0", 99.02692526925269, 62.646760300935654, 2, 243, 2, 83, 243);
    check(fp, "1", 157.9718597185972, 56.1661626293868, 31, 254, 31, 159, 254);
    check(fp, "2", 108.23035730357303, 86.059862154445, 0, 253, 0, 84, 253);
  }

  private static void check(DatasetFingerprint fp, String channel, double mean, double std, double min,
      double max, double p005, double median, double p995) {
    IntensityProperties p = fp.foregroundIntensityPropertiesPerChannel().get(channel);
    assertEquals(mean, p.mean(), 1e-12 * mean);
    assertEquals(std, p.std(), 1e-12 * std);
    assertEquals(min, p.min(), 0.0);
    assertEquals(max, p.max(), 0.0);
    assertEquals(p005, p.percentile005(), 0.0);
    assertEquals(median, p.median(), 0.0);
    assertEquals(p995, p.percentile995(), 0.0);
  }

  @Test
  void sameResultWithOneThreadAndJsonIsStable() throws Exception {
    List<RawCase> cases = dataset();
    DatasetFingerprint two = new FingerprintExtractor(2, NonzeroCropper.NNUNET, 1e5).extract(cases);
    DatasetFingerprint one = new FingerprintExtractor(1, NonzeroCropper.NNUNET, 1e5).extract(cases);
    assertEquals(Json.write(two), Json.write(one));
    Path file = dir.resolve("out/dataset_fingerprint.json");
    FingerprintExtractor.write(file, two);
    String json = Files.readString(file);
    assertTrue(json.startsWith("{\n    \"foreground_intensity_properties_per_channel\": {\n"), json);
    assertEquals(two, Json.read(file, DatasetFingerprint.class));
  }

  @Test
  void samplesPerCaseIsNnunetFloorDivision() {
    assertEquals(100_000_000L, FingerprintExtractor.samplesPerCase(10e7, 1));
    assertEquals(33_333_333L, FingerprintExtractor.samplesPerCase(10e7, 3));
    assertEquals(1_000_000L, FingerprintExtractor.samplesPerCase(10e7, 100));
    assertEquals(90_090L, FingerprintExtractor.samplesPerCase(10e7, 1110));
  }

  @Test
  void unlabelledCaseAndMissingForegroundAreClearErrors() {
    List<RawCase> cases = dataset();
    RawCase noLabel = new RawCase("A", cases.get(0).images(), null, null);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new FingerprintExtractor().extract(List.of(noLabel)));
    assertTrue(e.getMessage().contains("no label file"), e.getMessage());
    InvalidInputException empty = assertThrows(InvalidInputException.class,
        () -> new FingerprintExtractor(1, NonzeroCropper.NNUNET, 10).extract(List.of(cases.get(2))));
    assertTrue(empty.getMessage().contains("no foreground"), empty.getMessage());
  }
}
