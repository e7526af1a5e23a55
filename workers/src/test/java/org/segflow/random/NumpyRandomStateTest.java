package org.segflow.random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Expected values were printed by numpy 2.4 ({@code np.random.RandomState}). */
class NumpyRandomStateTest {

  @Test
  void rawOutputMatchesNumpy() {
    NumpyRandomState rs = new NumpyRandomState(1234);
    assertEquals(822569775L, rs.nextUint32());
    assertEquals(2137449171L, rs.nextUint32());
    assertEquals(2671936806L, rs.nextUint32());
  }

  @Test
  void randintUsesMaskedRejectionLikeNumpy() {
    assertArrayEquals(new long[] {815, 723, 294, 53, 204, 372, 664, 655},
        new NumpyRandomState(1234).randint(1000, 8));
    // choice(arange(50), 6, replace=True) is randint(0, 50) under the hood
    assertArrayEquals(new long[] {47, 19, 38, 12, 24, 15}, new NumpyRandomState(1234).randint(50, 6));
  }

  @Test
  void shuffleMatchesNumpy() {
    int[] a = new int[23];
    for (int i = 0; i < a.length; i++) {
      a[i] = i;
    }
    new NumpyRandomState(12345).shuffle(a);
    assertArrayEquals(new int[] {10, 19, 8, 17, 3, 12, 16, 0, 15, 7, 18, 11, 14, 6, 20, 13, 22, 21, 9,
        4, 1, 5, 2}, a);
  }

  @Test
  void choiceWithoutReplacementIsPermutationPrefix() {
    assertArrayEquals(new int[] {13504, 72599, 42217, 97650, 99120},
        new NumpyRandomState(1234).choiceWithoutReplacement(100000, 5));
  }

  @Test
  void randomSampleMatchesNumpy() {
    NumpyRandomState rs = new NumpyRandomState(7);
    assertEquals(0.07630828937395717, rs.nextDouble(), 0.0);
    assertEquals(0.7799187922401146, rs.nextDouble(), 0.0);
    assertEquals(0.4384092314408935, rs.nextDouble(), 0.0);
  }
}
