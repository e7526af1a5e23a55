package org.segflow.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.dataset.RawCase;
import org.segflow.io.ImageArray;

class PreprocessorTest {

  @TempDir
  Path dir;

  static final List<String> SCHEMES =
      List.of("ZScoreNormalization", "ZScoreNormalization", "RGBTo01Normalization");

  static PreprocessingParameters params() {
    return PreprocessingParameters.for2d(SCHEMES, List.of(true, false, false), Map.of(), List.of(1, 2, 3));
  }

  /**
   * RGB 8x10 with two zero rows on top, a zero left column and one all-zero pixel at (4, 5); labels
   * 1 where (x + y) % 3 == 0 and 2 on the diagonal, inside the nonzero part.
   */
  static RawCase writeCase(Path dir, String id) {
    TestImages.Pixels inside = (b, y, x) -> y >= 2 && x != 0 && !(y == 4 && x == 5) ? 1 : 0;
    TestImages.rgb(dir.resolve(id + "_0000.png"), 8, 10,
        (b, y, x) -> inside.at(b, y, x) * ((y * 29 + x * 13 + b * 71) % 256));
    TestImages.gray(dir.resolve(id + ".png"), 8, 10,
        (b, y, x) -> inside.at(b, y, x) == 0 ? 0 : x == y ? 2 : (x + y) % 3 == 0 ? 1 : 0);
    return new RawCase(id, List.of(dir.resolve(id + "_0000.png")), dir.resolve(id + ".png"), null);
  }

  /** Reference: numpy 2.4 replaying nnU-Net's run_case_npy (crop, normalize, class locations). */
  @Test
  void matchesNumpyReplayOfNnunet() {
    PreprocessedCase pc = new Preprocessor(params()).run(writeCase(dir, "c1"));
    assertEquals("c1", pc.caseId());
    assertArrayEquals(new int[] {1, 8, 10}, pc.properties().shapeBeforeCropping());
    assertArrayEquals(new int[][] {{0, 1}, {2, 8}, {1, 10}}, pc.properties().bboxUsedForCropping());
    assertArrayEquals(new int[] {1, 6, 9}, pc.properties().shapeAfterCroppingAndBeforeResampling());
    assertArrayEquals(new double[] {999, 1, 1}, pc.properties().spacing());
    ImageArray d = pc.data();
    assertEquals(3, d.channels());
    assertEquals(-1, pc.seg()[2 * 9 + 4]); // the all-zero pixel is outside the nonzero mask
    assertArrayEquals(new float[] {-1.1368125677108765f, -0.9550386071205139f, -0.7732646465301514f,
        -0.5914907455444336f, -0.40971678495407104f, -0.2279428392648697f},
        Arrays.copyOf(d.channel(0), 6), 1e-6f);
    assertEquals(0f, d.get(0, 2, 4)); // masked z-score leaves the outside at 0
    assertArrayEquals(new float[] {0.26440736651420593f, 0.41793423891067505f, 0.5714610815048218f,
        0.7249879837036133f, 0.8785148859024048f, 1.0320417881011963f},
        Arrays.copyOf(d.channel(1), 6), 1e-6f);
    assertEquals(-1.4125784635543823f, d.get(1, 2, 4), 1e-6f);
    assertArrayEquals(new float[] {0.8352941274642944f, 0.886274516582489f, 0.9372549057006836f,
        0.9882352948188782f, 0.03529411926865578f, 0.08627451211214066f},
        Arrays.copyOf(d.channel(2), 6), 0f);
    assertEquals(List.of(1, 2, 3), List.copyOf(pc.classLocations().keySet()));
    assertArrayEquals(new int[] {49, 44, 0, 46, 52, 6, 38, 27, 3, 33, 30, 17, 19, 25, 14},
        pc.classLocations().get(1));
    assertArrayEquals(new int[] {11, 41, 31, 1, 51, 21}, pc.classLocations().get(2));
    assertArrayEquals(new int[0], pc.classLocations().get(3));
  }

  @Test
  void unlabelledCaseHasNoSegAndNoLocationsButTheSameData() {
    RawCase labelled = writeCase(dir, "c2");
    RawCase unlabelled = new RawCase("c2", labelled.images(), null, null);
    Preprocessor p = new Preprocessor(params());
    PreprocessedCase a = p.run(labelled);
    PreprocessedCase b = p.run(unlabelled);
    assertNull(b.seg());
    assertTrue(b.classLocations().isEmpty());
    assertEquals(a.data(), b.data()); // the created seg masks the same region
    assertArrayEquals(a.properties().bboxUsedForCropping(), b.properties().bboxUsedForCropping());
  }

  @Test
  void inMemoryInputIsNotModified() {
    ImageArray img = new ImageArray(1, 2, 2, new float[] {0, 1, 2, 3});
    short[] seg = {0, 0, 1, 0};
    PreprocessingParameters one = PreprocessingParameters.for2d(List.of("ZScoreNormalization"),
        List.of(false), Map.of(), List.of(1));
    PreprocessedCase pc = new Preprocessor(one).run("m", img, seg);
    assertArrayEquals(new float[] {0, 1, 2, 3}, img.data(), 0f);
    assertArrayEquals(new short[] {0, 0, 1, 0}, seg);
    assertArrayEquals(new short[] {-1, 0, 1, 0}, pc.seg());
    assertArrayEquals(new int[] {2}, pc.classLocations().get(1));
  }

  @Test
  void otherSpacingOrTransposeIsUnsupported() {
    PreprocessingParameters coarse = new PreprocessingParameters(SCHEMES, List.of(true, false, false),
        Map.of(), List.of(1), List.of(2.0, 2.0), List.of(0, 1, 2));
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> new Preprocessor(coarse).run(writeCase(dir, "c3")));
    assertTrue(e.getMessage().contains("resampling is not supported"), e.getMessage());
    PreprocessingParameters transposed = new PreprocessingParameters(SCHEMES,
        List.of(true, false, false), Map.of(), List.of(1), List.of(1.0, 1.0), List.of(0, 2, 1));
    assertThrows(UnsupportedOperationException.class, () -> new Preprocessor(transposed));
  }

  @Test
  void channelCountMustMatchThePlans() {
    PreprocessingParameters gray = PreprocessingParameters.for2d(List.of("ZScoreNormalization"),
        List.of(false), Map.of(), List.of(1));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new Preprocessor(gray).run(writeCase(dir, "c4")));
    assertTrue(e.getMessage().contains("has 3 channels") && e.getMessage().contains("c4_0000.png"),
        e.getMessage());
  }

  @Test
  void normalizationErrorsNameTheCaseAndChannel() {
    ImageArray img = new ImageArray(1, 1, 2, new float[] {1, 300});
    PreprocessingParameters rgb = PreprocessingParameters.for2d(List.of("RGBTo01Normalization"),
        List.of(false), Map.of(), List.of(1));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new Preprocessor(rgb).run("x7", img, null));
    assertTrue(e.getMessage().startsWith("case x7, channel 0: "), e.getMessage());
  }
}
