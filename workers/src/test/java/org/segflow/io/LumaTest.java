package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LumaTest {

  // Expected values computed by hand with Pillow's formula (R*19595 + G*38470 + B*7471 + 0x8000) >> 16.
  @Test
  void matchesPillowConvertL() {
    assertEquals(76, Luma.luma(255, 0, 0));
    assertEquals(150, Luma.luma(0, 255, 0));
    assertEquals(29, Luma.luma(0, 0, 255));
    assertEquals(118, Luma.luma(181, 98, 57)); // fundus background mean
    assertEquals(113, Luma.luma(180, 90, 55)); // fundus vessel mean
    assertEquals(255, Luma.luma(255, 255, 255));
    assertEquals(2, Luma.luma(1, 2, 3));
  }

  @Test
  void grayImageFromRgbaIgnoresAlpha() {
    // two pixels: (255,0,0,0) and (181,98,57,255), channel-major
    ImageArray rgba = new ImageArray(4, 1, 2, new float[] {255, 181, 0, 98, 0, 57, 0, 255});
    assertArrayEquals(new float[] {76, 118}, Luma.toGray(rgba, 8).data());
  }

  @Test
  void sixteenBitColourKeepsTheHighByteFirstAsPillowLoadsIt() {
    // (65535, 4660, 43981) -> (255, 18, 171) -> 106
    ImageArray rgb = new ImageArray(3, 1, 1, new float[] {65535, 4660, 43981});
    assertArrayEquals(new float[] {106}, Luma.toGray(rgb, 16).data());
    assertArrayEquals(new float[] {255, 18, 171}, Luma.toRgb8(rgb, 16).data());
  }

  @Test
  void grayIsReturnedUnchanged() {
    ImageArray gray = new ImageArray(1, 1, 2, new float[] {3, 300});
    assertEquals(gray, Luma.toGray(gray, 16));
  }
}
