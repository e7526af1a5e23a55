package org.segflow.net;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A transposed convolution whose kernel equals its stride (nnU-Net's decoder upsampling), computed
 * as a 1x1 convolution to Cout·sy·sx channels followed by a pixel shuffle. With kernel = stride the
 * output windows do not overlap, so out[n, o, y·sy+i, x·sx+j] = b[o] + Σc in[n, c, y, x]·W[c, o, i, j]
 * is exactly one 1x1 convolution per (i, j). DJL's Conv2dTranspose is not implemented on PyTorch,
 * and this is also faster than torch's own transposed convolution on CPU.
 */
public final class PixelShuffleUpsampling {

  private PixelShuffleUpsampling() {}

  /**
   * Upsamples {@code x} (N, Cin, H, W) with {@code weight} in torch.nn.ConvTranspose2d layout
   * (Cin, Cout, sy, sx) and {@code bias} (Cout); returns (N, Cout, H·sy, W·sx) in x's manager.
   */
  public static NDArray apply(NDArray x, NDArray weight, NDArray bias) {
    Shape in = x.getShape();
    Shape ws = weight.getShape();
    if (in.dimension() != 4 || ws.dimension() != 4 || in.get(1) != ws.get(0)) {
      throw new IllegalArgumentException("transposed convolution of " + in + " with weight " + ws
          + ": expected input (N, Cin, H, W) and weight (Cin, Cout, sy, sx)");
    }
    long n = in.get(0);
    long h = in.get(2);
    long w = in.get(3);
    long cin = ws.get(0);
    long cout = ws.get(1);
    long sy = ws.get(2);
    long sx = ws.get(3);
    NDManager manager = x.getManager();
    NDArray result;
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      // 1x1 weight row o = cout_index·sy·sx + i·sx + j holds W[:, cout_index, i, j].
      NDArray projection = weight.transpose(1, 2, 3, 0).reshape(cout * sy * sx, cin, 1, 1);
      NDArray expandedBias = bias.reshape(cout, 1).broadcast(cout, sy * sx).reshape(cout * sy * sx);
      projection.attach(manager);
      expandedBias.attach(manager);
      NDArray projected = Conv2d.conv2d(x, projection, expandedBias, new Shape(1, 1),
          new Shape(0, 0), new Shape(1, 1), 1).singletonOrThrow();
      // (n, cout, sy, sx, h, w) -> (n, cout, h, sy, w, sx) -> (n, cout, h·sy, w·sx)
      result = projected.reshape(n, cout, sy, sx, h, w).transpose(0, 1, 4, 2, 5, 3)
          .reshape(n, cout, h * sy, w * sx);
      NDScope.unregister(result);
    }
    return result;
  }
}
