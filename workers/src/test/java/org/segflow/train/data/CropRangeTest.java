package org.segflow.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CropRangeTest {

  @Test
  void trainingCropOfALargeImageMayStickOutByHalfTheEnlargement() {
    // shape 700, crop 602, patch 512: need 90 -> lb = -45, ub = 700 + 45 + 0 - 602 = 143
    assertEquals(new CropRange(-45, 143), CropRange.of(700, 602, 512));
  }

  @Test
  void oddNeedUsesFloorDivisionOnTheNegativeSide() {
    // need 91: lb = (-91) // 2 = -46 (not -45), ub = 700 + 45 + 1 - 603 = 143
    assertEquals(new CropRange(-46, 143), CropRange.of(700, 603, 512));
  }

  @Test
  void validationCropOfALargeImageStaysInside() {
    assertEquals(new CropRange(0, 188), CropRange.of(700, 512, 512));
  }

  @Test
  void imageSmallerThanTheCropIsCentredByEnlargedPadding() {
    // shape 100, crop 602, patch 512: 100 + 90 < 602 so need = 502 -> lb = -251, ub = 100+251+0-602
    assertEquals(new CropRange(-251, -251), CropRange.of(100, 602, 512));
    // shape 101: need 501 -> lb = -251, ub = 101 + 250 + 1 - 602 = -250
    assertEquals(new CropRange(-251, -250), CropRange.of(101, 602, 512));
    // validation, shape 5 < patch 8: need 3 -> lb = -2, ub = 5 + 1 + 1 - 8 = -1
    assertEquals(new CropRange(-2, -1), CropRange.of(5, 8, 8));
  }

  @Test
  void randomStartsCoverTheWholeInclusiveRange() {
    CropRange r = CropRange.of(5, 8, 8);
    SplittableRandom rng = new SplittableRandom(1);
    boolean sawLower = false;
    boolean sawUpper = false;
    for (int i = 0; i < 200; i++) {
      int v = r.random(rng);
      assertTrue(v == -2 || v == -1, "start " + v);
      sawLower |= v == -2;
      sawUpper |= v == -1;
    }
    assertTrue(sawLower && sawUpper);
  }

  @Test
  void foregroundStartCentresTheVoxelAndOnlyClampsBelow() {
    CropRange r = CropRange.of(700, 602, 512); // [-45, 143]
    assertEquals(400 - 301, r.around(400, 602));
    assertEquals(-45, r.around(3, 602)); // 3 - 301 = -298 -> raised to lb
    assertEquals(699 - 301, r.around(699, 602)); // 398 > ub 143: no upper clamp
  }

  @Test
  void emptyRangeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new CropRange(3, 2));
  }
}
