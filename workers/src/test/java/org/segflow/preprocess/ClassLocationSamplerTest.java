package org.segflow.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Expected values came from numpy 2.4 running nnU-Net's {@code _sample_foreground_locations}
 * (np.argwhere, RandomState(1234).choice(n, k, replace=False)), flattened to y * W + x.
 */
class ClassLocationSamplerTest {

  @Test
  void smallCaseMatchesNumpyIncludingAnAbsentClass() {
    short[][] rows = {
        {-1, 0, 1, 1, 0, 0, 0, 1, 0}, {2, 0, 0, 0, 1, 2, 0, 0, 1}, {1, 2, 0, 0, 1, 1, 0, 0, 0},
        {1, 0, 2, 0, 0, 0, 1, 2, 0}, {0, 1, 1, 2, 0, 0, 1, 1, 0}, {0, 0, 1, 0, 2, 0, 0, 0, 1},
        {2, 0, 0, 1, 1, 2, 0, 0, 1}, {1, 0, 0, 0, 1, 0, 2, 0, 0}};
    short[] seg = new short[72];
    for (int y = 0; y < 8; y++) {
      System.arraycopy(rows[y], 0, seg, y * 9, 9);
    }
    Map<Integer, int[]> locs = ClassLocationSampler.sample(seg, List.of(1, 2, 3));
    assertEquals(List.of(1, 2, 3), List.copyOf(locs.keySet()));
    assertArrayEquals(new int[] {13, 43, 7, 57, 47, 18, 17, 2, 27, 62, 58, 38, 37, 33, 23, 3, 67, 42,
        22, 63, 53}, locs.get(1));
    assertArrayEquals(new int[] {59, 14, 54, 49, 69, 39, 34, 29, 9, 19}, locs.get(2));
    assertArrayEquals(new int[0], locs.get(3));
  }

  @Test
  void capsAtTenThousandPerClassWithOneGeneratorForAllClasses() {
    short[] seg = new short[120 * 120];
    for (int p = 0; p < seg.length; p++) {
      seg[p] = (short) (p % 6 != 0 ? 1 : 2);
    }
    Map<Integer, int[]> locs = ClassLocationSampler.sample(seg, List.of(1, 2));
    int[] one = locs.get(1);
    assertEquals(10000, one.length);
    assertArrayEquals(new int[] {12267, 8977, 2599, 5803, 7665, 2194, 4175, 8014},
        Arrays.copyOf(one, 8));
    assertArrayEquals(new int[] {8972, 1178, 3178}, Arrays.copyOfRange(one, 9997, 10000));
    assertEquals(72160716L, Arrays.stream(one).asLongStream().sum());
    int[] two = locs.get(2);
    assertEquals(2400, two.length);
    assertArrayEquals(new int[] {14142, 4476, 10962, 12258, 12432, 11508, 4242, 8772},
        Arrays.copyOf(two, 8));
    assertEquals(17272800L, Arrays.stream(two).asLongStream().sum());
  }

  @Test
  void takesAtLeastOnePercentOfAHugeClass() {
    short[] seg = new short[1001 * 1001];
    Arrays.fill(seg, (short) 1);
    int[] locs = ClassLocationSampler.sample(seg, List.of(1)).get(1);
    assertEquals(10021, locs.length); // ceil(0.01 * 1002001)
    assertArrayEquals(new int[] {401226, 167368, 341792, 28368, 397351, 559638},
        Arrays.copyOf(locs, 6));
    assertArrayEquals(new int[] {800735, 480819, 917005}, Arrays.copyOfRange(locs, 10018, 10021));
    assertEquals(5046363433L, Arrays.stream(locs).asLongStream().sum());
  }
}
