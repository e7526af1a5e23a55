package org.segflow.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;

/**
 * nnU-Net's DownsampleSegForDSTransform for label maps: one target per deep-supervision output,
 * resized with torch's 'nearest-exact' to round(size / factor). For output size o of input size i,
 * pixel d takes source min(floor((d + 0.5) · i/o), i - 1); with a factor f dividing i that is
 * d·f + f/2 (integer division), e.g. the odd rows and columns for f = 2.
 */
public final class DeepSupervisionTargets {

  private DeepSupervisionTargets() {}

  /**
   * @param labels (N, H, W) full-resolution labels
   * @param factors per output {fy, fx}, e.g. {@code UNetArchitecture.deepSupervisionFactors()}
   *     (for a single output without deep supervision pass {{1, 1}})
   * @return one new label map per factor (a copy for {1, 1}), same dtype, in the labels' manager
   */
  public static NDList downsample(NDArray labels, int[][] factors) {
    Shape shape = labels.getShape();
    if (shape.dimension() != 3) {
      throw new IllegalArgumentException("deep supervision targets need labels (N, H, W), got "
          + shape);
    }
    NDList result = new NDList(factors.length);
    for (int[] f : factors) {
      result.add(resize(labels, f[0], f[1]));
    }
    return result;
  }

  private static NDArray resize(NDArray labels, int fy, int fx) {
    NDManager manager = labels.getManager();
    Shape shape = labels.getShape();
    long n = shape.get(0);
    int h = Math.toIntExact(shape.get(1));
    int w = Math.toIntExact(shape.get(2));
    int outH = roundHalfEven((double) h / fy);
    int outW = roundHalfEven((double) w / fx);
    NDArray result;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray rows = manager.create(sourceIndices(h, outH)).reshape(1, outH, 1)
          .broadcast(n, outH, w);
      NDArray picked = labels.gather(rows, 1);
      NDArray cols = manager.create(sourceIndices(w, outW)).reshape(1, 1, outW)
          .broadcast(n, outH, outW);
      result = picked.gather(cols, 2);
      NDScope.unregister(result);
    }
    return result;
  }

  /** torch's nearest-exact source index per output pixel (scale computed in float as torch does). */
  static long[] sourceIndices(int inSize, int outSize) {
    if (outSize < 1) {
      throw new IllegalArgumentException("deep supervision target of size " + inSize
          + " downsampled to " + outSize + " pixels");
    }
    float scale = (float) inSize / outSize;
    long[] idx = new long[outSize];
    for (int d = 0; d < outSize; d++) {
      idx[d] = Math.min((long) Math.floor((d + 0.5f) * scale), inSize - 1);
    }
    return idx;
  }

  private static int roundHalfEven(double v) {
    return (int) Math.rint(v);
  }
}
