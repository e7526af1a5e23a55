package org.segflow.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.segflow.InvalidInputException;

/**
 * Expected values were printed by a transcription of nnU-Net's {@code get_pool_and_conv_props}
 * run under numpy 2.4.
 */
class NetworkTopologyTest {

  private static final List<Integer> ONES = List.of(1, 1);
  private static final List<Integer> TWOS = List.of(2, 2);
  private static final List<Integer> THREES = List.of(3, 3);

  @Test
  void driveMedianPoolsSevenTimesAndPadsTo640() {
    NetworkTopology t = NetworkTopology.compute(new double[] {1, 1}, new double[] {584, 565});
    assertEquals(List.of(7, 7), t.numPoolPerAxis());
    assertEquals(8, t.numStages());
    assertEquals(List.of(ONES, TWOS, TWOS, TWOS, TWOS, TWOS, TWOS, TWOS), t.strides());
    assertEquals(List.of(THREES, THREES, THREES, THREES, THREES, THREES, THREES, THREES), t.kernelSizes());
    assertEquals(List.of(640, 640), t.patchSize());
    assertEquals(List.of(128, 128), t.mustBeDivisibleBy());
  }

  @Test
  void fractionalMedianIsPaddedLikeNumpy() {
    // an even number of cases can give a .5 median; np.ceil halves it and pad_shape truncates at the end
    NetworkTopology t = NetworkTopology.compute(new double[] {1, 1}, new double[] {584.5, 565.0});
    assertEquals(List.of(640, 640), t.patchSize());
  }

  @Test
  void singleRemainingAxisNeedsThreeTimesTheMinimumEdge() {
    // 11 -> 6 stops axis 0; axis 1 pools alone while >= 12
    NetworkTopology t = NetworkTopology.compute(new double[] {1, 1}, new double[] {11, 24});
    assertEquals(List.of(1, 2), t.numPoolPerAxis());
    assertEquals(List.of(ONES, TWOS, List.of(1, 2)), t.strides());
    assertEquals(List.of(THREES, THREES, THREES), t.kernelSizes());
    assertEquals(List.of(12, 24), t.patchSize());
    assertEquals(List.of(2, 4), t.mustBeDivisibleBy());
  }

  @Test
  void tinyPatchHasOneStageAndNoPadding() {
    NetworkTopology t = NetworkTopology.compute(new double[] {1, 1}, new double[] {3, 2});
    assertEquals(List.of(ONES), t.strides());
    assertEquals(List.of(THREES), t.kernelSizes());
    assertEquals(List.of(3, 2), t.patchSize());
  }

  @Test
  void anisotropicSpacingPoolsTheFineAxisFirstAndKeepsKernelOneOnTheCoarseAxis() {
    NetworkTopology t = NetworkTopology.compute(new double[] {1, 2.5}, new double[] {100, 100});
    assertEquals(List.of(4, 4), t.numPoolPerAxis());
    assertEquals(List.of(ONES, List.of(2, 1), TWOS, TWOS, TWOS, List.of(1, 2)), t.strides());
    assertEquals(List.of(List.of(3, 1), THREES, THREES, THREES, THREES, THREES), t.kernelSizes());
    assertEquals(List.of(112, 112), t.patchSize());
  }

  @Test
  void worksForThreeAxes() {
    NetworkTopology t = NetworkTopology.compute(new double[] {3, 1, 1}, new double[] {40, 192, 160});
    assertEquals(List.of(3, 5, 5), t.numPoolPerAxis());
    assertEquals(List.of(List.of(1, 1, 1), List.of(1, 2, 2), List.of(2, 2, 2), List.of(2, 2, 2),
        List.of(2, 2, 2), List.of(1, 2, 2)), t.strides());
    assertEquals(List.of(1, 3, 3), t.kernelSizes().get(0));
    assertEquals(List.of(3, 3, 3), t.kernelSizes().get(1));
    assertEquals(List.of(40, 192, 160), t.patchSize());
    assertEquals(List.of(8, 32, 32), t.mustBeDivisibleBy());
  }

  @Test
  void axisBelowEightWhileAnotherPoolsFailsLikeNnUNet() {
    // nnU-Net raises IndexError here (it indexes the valid-axes spacing list by axis)
    assertThrows(InvalidInputException.class,
        () -> NetworkTopology.compute(new double[] {1, 1}, new double[] {6, 500}));
  }

  @Test
  void padShapeRoundsUpAndKeepsExactMultiples() {
    assertArrayEquals(new int[] {640, 512, 3}, NetworkTopology.padShape(new double[] {584, 512, 3},
        new int[] {128, 128, 1}));
    assertArrayEquals(new int[] {585}, NetworkTopology.padShape(new double[] {584.5}, new int[] {1}));
    assertArrayEquals(new int[] {1024}, NetworkTopology.padShape(new double[] {897}, new int[] {256}));
  }
}
