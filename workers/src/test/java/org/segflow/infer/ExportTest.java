package org.segflow.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.segflow.io.ImageArray;
import org.segflow.preprocess.PreprocessedCase.CaseProperties;

class ExportTest {

  @Test
  void softmaxSumsToOneAndArgmaxTakesTheFirstMaximum() {
    float[] logits = {0f, 2f, 1f, /* class 1 */ 1f, 2f, -1f};
    float[] p = Softmax.probabilities(logits, 2, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(1f, p[i] + p[3 + i], 1e-6f);
    }
    assertEquals(1 / (1 + Math.E), p[0], 1e-6);
    assertArrayEquals(new short[] {1, 0, 0}, Argmax.labels(logits, 2, 3)); // tie at pixel 1 -> 0
    assertArrayEquals(new short[] {1, 0, 0},
        Argmax.labelsFromLogits(new ImageArray(2, 1, 3, logits)));
  }

  @Test
  void ensembleIsTheMeanOfTheMembers() {
    ImageArray a = new ImageArray(2, 1, 2, new float[] {1, 2, 3, 4});
    ImageArray b = new ImageArray(2, 1, 2, new float[] {3, 2, 1, 0});
    ImageArray c = new ImageArray(2, 1, 2, new float[] {2, 5, -1, 2});
    assertArrayEquals(new float[] {2, 3, 1, 2}, LogitEnsemble.mean(List.of(a, b, c)).data());
    assertEquals(a, LogitEnsemble.mean(List.of(a)));
    ImageArray other = new ImageArray(1, 2, 2, new float[4]);
    assertThrows(IllegalArgumentException.class, () -> LogitEnsemble.mean(List.of(a, other)));
  }

  @Test
  void cropIsUndoneIntoTheOriginalShape() {
    short[] cropped = {1, 2, 3, 4, 5, 6}; // 2 x 3
    int[][] bbox = {{0, 1}, {1, 3}, {2, 5}};
    short[] full = CropReverter.labels(cropped, 2, 3, new int[] {1, 4, 5}, bbox);
    assertArrayEquals(new short[] {
        0, 0, 0, 0, 0,
        0, 0, 1, 2, 3,
        0, 0, 4, 5, 6,
        0, 0, 0, 0, 0}, full);
    assertArrayEquals(full, CropReverter.labels(cropped, 2, 3, new int[] {4, 5},
        new int[][] {{1, 3}, {2, 5}}));
    assertThrows(IllegalArgumentException.class,
        () -> CropReverter.labels(cropped, 2, 3, new int[] {1, 4, 5}, new int[][] {{0, 1}, {1, 3}, {3, 6}}));
  }

  @Test
  void probabilitiesOutsideTheCropAreCertainBackground() {
    float[] p = {0.25f, 0.75f}; // 2 classes, 1 x 1 crop
    float[] full = CropReverter.probabilities(p, 2, 1, 1, new int[] {1, 1, 2},
        new int[][] {{0, 1}, {0, 1}, {1, 2}});
    assertArrayEquals(new float[] {1f, 0.25f, 0f, 0.75f}, full);
  }

  @Test
  void exportGoesFromCroppedLogitsToAFullLabelMap() {
    ImageArray logits = new ImageArray(3, 1, 2, new float[] {0, 5, 1, 0, 2, 0});
    CaseProperties props = new CaseProperties(new int[] {1, 2, 3}, new int[][] {{0, 1}, {1, 2}, {0, 2}},
        new int[] {1, 1, 2}, new double[] {999, 1, 1});
    assertArrayEquals(new short[] {0, 0, 0, 2, 0, 0}, SegmentationExport.labels(logits, props));
    ImageArray probs = SegmentationExport.probabilities(logits, props);
    assertEquals(2, probs.height());
    assertEquals(3, probs.width());
    assertEquals(1f, probs.get(0, 0, 0));
    CaseProperties resampled = new CaseProperties(new int[] {1, 2, 3},
        new int[][] {{0, 1}, {1, 2}, {0, 2}}, new int[] {1, 1, 3}, new double[] {999, 1, 1});
    assertThrows(IllegalArgumentException.class, () -> SegmentationExport.labels(logits, resampled));
  }
}
