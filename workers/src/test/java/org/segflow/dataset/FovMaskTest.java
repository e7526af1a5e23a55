package org.segflow.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segflow.io.ImageArray;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleCase;
import org.segflow.sample.SampleSpec;
import org.segflow.sample.SampleSplit;

class FovMaskTest {

  /** A 40x40 RGB image: a bright disc of radius 15 with a dark lesion, specks in the black border. */
  private static ImageArray fundus() {
    int s = 40;
    float[] d = new float[3 * s * s];
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        int i = y * s + x;
        double r = Math.hypot(x - 20, y - 20);
        float red = r <= 15 ? 150 : 5;
        if (r <= 2) {
          red = 10; // a dark lesion inside the field: still inside
        }
        d[i] = red;
        d[s * s + i] = red / 2;
        d[2 * s * s + i] = red / 3;
      }
    }
    d[2 * s + 2] = 200; // single bright JPEG speck outside
    return new ImageArray(3, s, s, d);
  }

  @Test
  void keepsTheDiscFillsItsHolesAndDropsSpecks() {
    ImageArray mask = FovMask.of(fundus(), 8);
    int wrong = 0;
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 40; x++) {
        boolean inside = Math.hypot(x - 20, y - 20) <= 15;
        if ((mask.get(0, y, x) == 1f) != inside) {
          wrong++;
        }
      }
    }
    assertEquals(1f, mask.get(0, 20, 20), "lesion filled");
    assertEquals(0f, mask.get(0, 2, 2), "speck removed");
    // the opening rounds the disc's rim by at most a pixel here and there
    assertTrue(wrong <= 8, wrong + " pixels differ from the disc");
  }

  @Test
  void aFieldCutByTheFrameKeepsItsEdgeAndSixteenBitIsScaled() {
    float[] d = new float[10 * 10];
    java.util.Arrays.fill(d, 40 * 256f);
    ImageArray mask = FovMask.of(new ImageArray(1, 10, 10, d), 16);
    for (float v : mask.data()) {
      assertEquals(1f, v);
    }
  }

  @Test
  void matchesTheGeneratedFieldOfViewOfASyntheticFundus() {
    SampleSpec spec = new SampleSpec(1, 0, 146, 141, 3L);
    SampleCase c = FundusSampleGenerator.generateCase(spec, SampleSplit.TRAIN, 0);
    int n = c.pixels();
    float[] d = new float[3 * n];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < 3; ch++) {
        d[ch * n + i] = c.rgb(i, ch);
      }
    }
    ImageArray mask = FovMask.of(new ImageArray(3, c.height(), c.width(), d), 8);
    int both = 0;
    int either = 0;
    for (int i = 0; i < n; i++) {
      boolean a = mask.data()[i] == 1f;
      boolean b = c.insideFov(i);
      both += a && b ? 1 : 0;
      either += a || b ? 1 : 0;
    }
    double iou = (double) both / either;
    assertTrue(iou > 0.95, "IoU with the generated field of view: " + iou);
  }
}
