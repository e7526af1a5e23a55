package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Expected bits were printed by numpy 2.4 ({@code np.float32(v).astype(np.float16)}). */
class Float16Test {

  private static int bits(float f) {
    return Float16.fromFloat(f) & 0xffff;
  }

  @Test
  void roundsToNearestEven() {
    assertEquals(0x3c00, bits(1.0f));
    assertEquals(0x3c00, bits(1.00048828125f)); // 1 + 2^-11: tie, to even
    assertEquals(0x3c02, bits(1.00146484375f)); // 1 + 3 * 2^-11: tie, to even (up)
    assertEquals(0xc000, bits(-2.0f));
    assertEquals(0x2e66, bits(0.1f));
    assertEquals(0x4248, bits(3.1415927f));
    assertEquals(0x4900, bits(10f));
  }

  @Test
  void handlesRangeLimits() {
    assertEquals(0x7bff, bits(65504f));
    assertEquals(0x7bff, bits(65519.99f));
    assertEquals(0x7c00, bits(65520f)); // rounds up to infinity
    assertEquals(0x0400, bits(6.1035156e-05f)); // smallest normal
    assertEquals(0x03ff, bits(6.097555e-05f)); // largest subnormal
    assertEquals(0x0001, bits(0x1p-24f)); // smallest subnormal
    assertEquals(0x0000, bits(0x1p-25f)); // tie between 0 and 2^-24: to even
    assertEquals(0x0002, bits(3 * 0x1p-25f)); // tie between 1 and 2 units: to even
    assertEquals(0x0000, bits(1e-8f));
    assertEquals(0x0013, bits(1.1253517e-06f)); // the corner of nnU-Net's Gaussian
    assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(Float.NaN))));
    assertEquals(Float.NEGATIVE_INFINITY, Float16.round(Float.NEGATIVE_INFINITY));
  }

  @Test
  void toFloatIsExactOnEveryHalfValue() {
    for (int h = 0; h < 0x10000; h++) {
      float f = Float16.toFloat((short) h);
      if (!Float.isNaN(f)) {
        assertEquals(h, bits(f), "half bits " + Integer.toHexString(h));
      }
    }
    assertEquals(1.1324882507324219e-06f, Float16.round(1.1253517e-06f));
    assertEquals(0.0999755859375f, Float16.round(0.1f));
  }
}
