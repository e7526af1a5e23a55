package org.segflow.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SegmentationMetricsTest {

  private static final short[] REF = {0, 1, 1, 0, 0, 1, 2, 2, 0, 0, 2, 2};
  private static final short[] PRED = {0, 1, 0, 0, 1, 1, 2, 2, 0, 0, 2, 0};

  @Test
  void countsPerLabel() {
    Map<Integer, LabelMetrics> m = new SegmentationMetrics(List.of(1, 2), OptionalInt.empty())
        .compute(REF, PRED, null);
    assertEquals(new LabelMetrics(2, 1, 1, 8), m.get(1));
    assertEquals(new LabelMetrics(3, 0, 1, 8), m.get(2));
    assertEquals(2.0 / 3, m.get(1).dice(), 0.0);
    assertEquals(0.5, m.get(1).iou(), 0.0);
    assertEquals(3, m.get(1).nPred());
    assertEquals(4, m.get(2).nRef());
  }

  @Test
  void absentInBothGivesNan() {
    short[] zeros = new short[6];
    LabelMetrics m = new SegmentationMetrics(List.of(1), OptionalInt.empty())
        .compute(zeros, zeros, null).get(1);
    assertEquals(new LabelMetrics(0, 0, 0, 6), m);
    assertTrue(Double.isNaN(m.dice()));
    assertTrue(Double.isNaN(m.iou()));
    assertEquals(0.0, new LabelMetrics(0, 0, 3, 3).dice(), 0.0);
  }

  @Test
  void ignoreLabelPixelsAreLeftOut() {
    short[] ref = {0, 1, 3, 3, 1};
    short[] pred = {1, 1, 1, 0, 0};
    LabelMetrics m = new SegmentationMetrics(List.of(1), OptionalInt.of(3)).compute(ref, pred, null)
        .get(1);
    assertEquals(new LabelMetrics(1, 1, 1, 0), m);
    assertThrows(IllegalArgumentException.class,
        () -> new SegmentationMetrics(List.of(1, 3), OptionalInt.of(3)));
  }

  @Test
  void maskRestrictsThePixelsScored() {
    boolean[] fov = new boolean[12];
    for (int i = 0; i < 12; i++) {
      fov[i] = i % 4 != 0; // drop the first column
    }
    LabelMetrics m = new SegmentationMetrics(List.of(1), OptionalInt.empty()).compute(REF, PRED, fov)
        .get(1);
    // the FP at pixel 4 (first column) is no longer counted
    assertEquals(new LabelMetrics(2, 0, 1, 6), m);
  }

  @Test
  void valuesOutsideTheLabelsCountAsNotThatLabel() {
    short[] ref = {1, 1, 255};
    short[] pred = {1, 255, 255};
    assertEquals(new LabelMetrics(1, 0, 1, 1),
        new SegmentationMetrics(List.of(1), OptionalInt.empty()).compute(ref, pred, null).get(1));
  }
}
