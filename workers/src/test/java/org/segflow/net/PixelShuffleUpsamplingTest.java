package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PixelShuffleUpsamplingTest {

  @Test
  void equalsANaiveTransposedConvolutionWithKernelEqualToStride() {
    check(2, 3, 2, 4, 5, 2, 2);
  }

  @Test
  void handlesAnisotropicStrides() {
    check(1, 2, 3, 3, 4, 2, 1);
    check(2, 1, 2, 2, 3, 1, 3);
  }

  private static void check(int n, int cin, int cout, int h, int w, int sy, int sx) {
    SplittableRandom random = new SplittableRandom(11);
    float[] x = gaussian(random, n * cin * h * w);
    float[] weight = gaussian(random, cin * cout * sy * sx);
    float[] bias = gaussian(random, cout);
    // torch.nn.ConvTranspose2d(kernel=stride=(sy, sx)) written out: every input pixel scatters
    // weight[c, o, :, :] times its value into its own sy x sx output block.
    int outH = h * sy;
    int outW = w * sx;
    float[] expected = new float[n * cout * outH * outW];
    for (int b = 0; b < n; b++) {
      for (int o = 0; o < cout; o++) {
        for (int y = 0; y < outH; y++) {
          for (int xx = 0; xx < outW; xx++) {
            expected[((b * cout + o) * outH + y) * outW + xx] = bias[o];
          }
        }
      }
      for (int c = 0; c < cin; c++) {
        for (int y = 0; y < h; y++) {
          for (int xx = 0; xx < w; xx++) {
            float v = x[((b * cin + c) * h + y) * w + xx];
            for (int o = 0; o < cout; o++) {
              for (int i = 0; i < sy; i++) {
                for (int j = 0; j < sx; j++) {
                  float k = weight[((c * cout + o) * sy + i) * sx + j];
                  expected[((b * cout + o) * outH + y * sy + i) * outW + xx * sx + j] += v * k;
                }
              }
            }
          }
        }
      }
    }
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray out = PixelShuffleUpsampling.apply(manager.create(x, new Shape(n, cin, h, w)),
          manager.create(weight, new Shape(cin, cout, sy, sx)), manager.create(bias));
      org.junit.jupiter.api.Assertions.assertEquals(new Shape(n, cout, outH, outW),
          out.getShape());
      assertArrayEquals(expected, out.toFloatArray(), 1e-5f);
    }
  }

  private static float[] gaussian(SplittableRandom random, int size) {
    float[] v = new float[size];
    for (int i = 0; i < size; i++) {
      v[i] = (float) random.nextGaussian();
    }
    return v;
  }
}
