package org.segflow.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.segflow.io.ImageArray;

class NonzeroCropperTest {

  /**
   * Two channels, 6x7: channel 0 is a ring around a 1x2 hole at (2, 2..3), channel 1 has one pixel
   * at (4, 4). Labels: 1 inside the hole at (2, 2), 2 on a zero pixel at (4, 2), 1 at (0, 0) which
   * the crop drops.
   */
  private static ImageArray ring() {
    ImageArray img = ImageArray.zeros(2, 6, 7);
    for (int x = 1; x < 5; x++) {
      img.set(0, 1, x, 5);
      img.set(0, 3, x, 5);
    }
    img.set(0, 2, 1, 5);
    img.set(0, 2, 4, 5);
    img.set(1, 4, 4, 7);
    return img;
  }

  private static short[] ringSeg() {
    short[] seg = new short[42];
    seg[2 * 7 + 2] = 1;
    seg[4 * 7 + 2] = 2;
    seg[0] = 1;
    return seg;
  }

  // Expected segs and bbox came from scipy.ndimage.binary_fill_holes on the (1, H, W) volume as
  // nnU-Net calls it, and on the (H, W) plane.
  @Test
  void nnunetModeKeepsHolesAsOutsideLikeScipyOnTheVolume() {
    NonzeroCropper.Cropped c = NonzeroCropper.NNUNET.crop(ring(), ringSeg());
    assertArrayEquals(new int[][] {{0, 1}, {1, 5}, {1, 5}}, c.bbox());
    assertArrayEquals(new int[] {1, 6, 7}, c.shapeBeforeCropping());
    assertArrayEquals(new int[] {1, 4, 4}, c.shapeAfterCropping());
    assertArrayEquals(new short[] {
        0, 0, 0, 0,
        0, 1, -1, 0,
        0, 0, 0, 0,
        -1, 2, -1, 0}, c.seg());
  }

  @Test
  void planarModeFillsTheHoleLikeScipyOnThePlane() {
    NonzeroCropper.Cropped c = NonzeroCropper.PLANAR.crop(ring(), ringSeg());
    assertArrayEquals(new int[][] {{0, 1}, {1, 5}, {1, 5}}, c.bbox());
    assertArrayEquals(new short[] {
        0, 0, 0, 0,
        0, 1, 0, 0,
        0, 0, 0, 0,
        -1, 2, -1, 0}, c.seg());
  }

  @Test
  void cropsEveryChannelToTheBox() {
    NonzeroCropper.Cropped c = NonzeroCropper.NNUNET.crop(ring(), null);
    ImageArray d = c.data();
    assertEquals(2, d.channels());
    assertEquals(4, d.height());
    assertEquals(4, d.width());
    assertEquals(5f, d.get(0, 0, 0));
    assertEquals(0f, d.get(0, 1, 1));
    assertEquals(7f, d.get(1, 3, 3));
    assertEquals(0f, d.get(1, 0, 0));
  }

  @Test
  void withoutSegCreatesZeroInsideAndMinusOneOutside() {
    NonzeroCropper.Cropped c = NonzeroCropper.PLANAR.crop(ring(), null);
    assertArrayEquals(new short[] {
        0, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
        -1, -1, -1, 0}, c.seg());
  }

  @Test
  void emptyImageKeepsTheWholeImageAndMarksBackgroundOutside() {
    short[] seg = new short[6];
    seg[4] = 3;
    NonzeroCropper.Cropped c = NonzeroCropper.NNUNET.crop(ImageArray.zeros(1, 2, 3), seg);
    assertArrayEquals(new int[][] {{0, 1}, {0, 2}, {0, 3}}, c.bbox());
    assertArrayEquals(new short[] {-1, -1, -1, -1, 3, -1}, c.seg());
  }

  @Test
  void holeTouchingTheBorderIsNotAHole() {
    boolean[] mask = {
        true, false, true,
        true, false, true,
        true, true, true};
    NonzeroCropper.fillHolesPlanar(mask, 3, 3);
    assertFalse(mask[1]);
    assertFalse(mask[4]);
    boolean[] closed = {
        true, true, true,
        true, false, true,
        true, true, true};
    NonzeroCropper.fillHolesPlanar(closed, 3, 3);
    assertTrue(closed[4]);
  }

  @Test
  void diagonalGapDoesNotConnectAHoleToTheBorder() {
    // scipy's 2D default structure is 4-connected, so a hole touching the outside only diagonally
    // is still filled
    boolean[] mask = {
        false, true, true, true,
        true, false, true, true,
        true, true, true, true};
    NonzeroCropper.fillHolesPlanar(mask, 3, 4);
    assertTrue(mask[5]);
    assertFalse(mask[0]);
  }
}
