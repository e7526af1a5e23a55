package org.segflow.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectedComponentsTest {

  /** '#' = in the mask. */
  static boolean[] mask(String... rows) {
    int w = rows[0].length();
    boolean[] m = new boolean[rows.length * w];
    for (int y = 0; y < rows.length; y++) {
      for (int x = 0; x < w; x++) {
        m[y * w + x] = rows[y].charAt(x) == '#';
      }
    }
    return m;
  }

  private static int count(String... rows) {
    boolean[] m = mask(rows);
    return ConnectedComponents.label(m, rows.length, rows[0].length(), new int[m.length]);
  }

  @Test
  void diagonalNeighboursAreConnected() {
    assertEquals(1, count("#...", ".#..", "..#.", "...."));
    assertEquals(1, count("...#", "..#.", ".#..", "#..."));
    assertEquals(2, count("#.#.", "....", "....", "...."));
    assertEquals(2, count("#...", "....", "..#.", "...."));
    assertEquals(0, count("....", "...."));
  }

  @Test
  void componentsAreNumberedInRasterOrder() {
    // same labels as scipy.ndimage.label with a full 3x3 structure
    String[] rows = {"..#.#", "#...#", "#..##", "....#"};
    int[] labels = new int[20];
    assertEquals(3, ConnectedComponents.label(mask(rows), 4, 5, labels));
    assertArrayEquals(new int[] {
        0, 0, 1, 0, 2,
        3, 0, 0, 0, 2,
        3, 0, 0, 2, 2,
        0, 0, 0, 0, 2}, labels);
    assertArrayEquals(new long[] {0, 1, 5, 2}, ConnectedComponents.sizes(labels, 3));
  }

  @Test
  void keepLargestKeepsAllComponentsTiedForLargest() {
    boolean[] tie = mask("##..", "....", "..##");
    assertArrayEquals(tie, ConnectedComponents.keepLargest(tie, 3, 4));
    boolean[] uneven = mask("##..", "....", ".###");
    assertArrayEquals(mask("....", "....", ".###"), ConnectedComponents.keepLargest(uneven, 3, 4));
    boolean[] none = new boolean[6];
    assertArrayEquals(none, ConnectedComponents.keepLargest(none, 2, 3));
  }

  @Test
  void keepLargestComponentWorksOnTheUnionOrOneLabel() {
    short[] seg = {
        1, 1, 2, 0, 0,
        1, 1, 0, 0, 1,
        0, 0, 0, 2, 2};
    // union of {1, 2}: the 5-pixel component (1s and the touching 2) wins
    assertArrayEquals(new short[] {
        1, 1, 2, 0, 0,
        1, 1, 0, 0, 0,
        0, 0, 0, 0, 0}, KeepLargestComponent.ofForeground(List.of(1, 2)).apply(seg, 3, 5));
    // label 2 alone: the pair at the bottom wins, label 1 is untouched
    assertArrayEquals(new short[] {
        1, 1, 0, 0, 0,
        1, 1, 0, 0, 1,
        0, 0, 0, 2, 2}, KeepLargestComponent.ofLabel(2).apply(seg, 3, 5));
    assertEquals(1, seg[9]); // the input is not modified
  }
}
