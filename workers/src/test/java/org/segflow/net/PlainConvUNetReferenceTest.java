package org.segflow.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The wiring of PlainConvUNet against a plain-Java forward pass written from nnU-Net's dynamic_network_architectures: stride on
 * the first conv of a stage only, padding (k-1)/2, InstanceNorm + LeakyReLU after every conv,
 * transposed conv from the stage below, concat [up, skip] (up first), decoder convs, 1x1 head.
 */
class PlainConvUNetReferenceTest {

  private record Tensor(int n, int c, int h, int w, float[] v) {
    float at(int b, int ch, int y, int x) {
      return v[((b * c + ch) * h + y) * w + x];
    }
  }

  @Test
  void matchesANaiveJavaForwardPass() {
    // 2 stages: encoder [conv 2->3, conv 3->3] at full size, [conv 3->4 stride (2,1), conv 4->4];
    // decoder: transposed 4->3 with kernel (2,1), concat -> 6 channels, conv 6->3, head 3->2.
    UNetArchitecture arch = new UNetArchitecture(2, 2, 2, new int[] {3, 4},
        new int[][] {{3, 3}, {3, 1}}, new int[][] {{1, 1}, {2, 1}}, new int[] {2, 2},
        new int[] {1}, false);
    SplittableRandom random = new SplittableRandom(5);
    try (NDManager manager = NDManager.newBaseManager()) {
      PlainConvUNet net = new PlainConvUNet(arch);
      net.initialize(manager, 8);
      // Non-trivial biases, gammas and betas so every parameter matters.
      for (Parameter p : net.getParameters().values()) {
        if (p.getArray().getShape().dimension() == 1) {
          float[] values = new float[(int) p.getArray().size()];
          for (int i = 0; i < values.length; i++) {
            values[i] = (float) (0.5 + random.nextGaussian() * 0.3);
          }
          p.getArray().set(values);
        }
      }
      float[] input = new float[2 * 2 * 6 * 4];
      for (int i = 0; i < input.length; i++) {
        input[i] = (float) random.nextGaussian();
      }
      NDList out = net.forward(manager.create(input, new Shape(2, 2, 6, 4)));

      Tensor x = new Tensor(2, 2, 6, 4, input);
      Tensor e0 = block(net, "encoder.stages.0.0.convs.0", x, 1, 1);
      e0 = block(net, "encoder.stages.0.0.convs.1", e0, 1, 1);
      Tensor e1 = block(net, "encoder.stages.1.0.convs.0", e0, 2, 1);
      e1 = block(net, "encoder.stages.1.0.convs.1", e1, 1, 1);
      Tensor up = transposed(e1, values(net, "decoder.transpconvs.0.weight"),
          values(net, "decoder.transpconvs.0.bias"), 3, 2, 1);
      Tensor merged = concat(up, e0);
      Tensor d0 = block(net, "decoder.stages.0.convs.0", merged, 1, 1);
      Tensor seg = conv(d0, values(net, "decoder.seg_layers.0.weight"),
          values(net, "decoder.seg_layers.0.bias"), 2, 1, 1, 1, 1);
      assertArrayEquals(seg.v(), out.get(0).toFloatArray(), 1e-4f);
    }
  }

  private static float[] values(PlainConvUNet net, String name) {
    return net.getParameters().get(name).getArray().toFloatArray();
  }

  private static Tensor block(PlainConvUNet net, String prefix, Tensor x, int sy, int sx) {
    Shape ws = net.getParameters().get(prefix + ".conv.weight").getArray().getShape();
    Tensor c = conv(x, values(net, prefix + ".conv.weight"), values(net, prefix + ".conv.bias"),
        (int) ws.get(0), (int) ws.get(2), (int) ws.get(3), sy, sx);
    float[] gamma = values(net, prefix + ".norm.weight");
    float[] beta = values(net, prefix + ".norm.bias");
    float[] out = new float[c.v().length];
    int plane = c.h() * c.w();
    for (int b = 0; b < c.n(); b++) {
      for (int ch = 0; ch < c.c(); ch++) {
        int base = (b * c.c() + ch) * plane;
        double mean = 0;
        for (int i = 0; i < plane; i++) {
          mean += c.v()[base + i];
        }
        mean /= plane;
        double var = 0;
        for (int i = 0; i < plane; i++) {
          var += (c.v()[base + i] - mean) * (c.v()[base + i] - mean);
        }
        var /= plane;
        for (int i = 0; i < plane; i++) {
          double y = (c.v()[base + i] - mean) / Math.sqrt(var + 1e-5) * gamma[ch] + beta[ch];
          out[base + i] = (float) (y > 0 ? y : 0.01 * y);
        }
      }
    }
    return new Tensor(c.n(), c.c(), c.h(), c.w(), out);
  }

  private static Tensor conv(Tensor x, float[] w, float[] bias, int cout, int kh, int kw, int sy,
      int sx) {
    int ph = (kh - 1) / 2;
    int pw = (kw - 1) / 2;
    int oh = (x.h() + 2 * ph - kh) / sy + 1;
    int ow = (x.w() + 2 * pw - kw) / sx + 1;
    float[] out = new float[x.n() * cout * oh * ow];
    for (int b = 0; b < x.n(); b++) {
      for (int o = 0; o < cout; o++) {
        for (int y = 0; y < oh; y++) {
          for (int xx = 0; xx < ow; xx++) {
            double sum = bias[o];
            for (int c = 0; c < x.c(); c++) {
              for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                  int iy = y * sy + i - ph;
                  int ix = xx * sx + j - pw;
                  if (iy >= 0 && iy < x.h() && ix >= 0 && ix < x.w()) {
                    sum += x.at(b, c, iy, ix) * w[((o * x.c() + c) * kh + i) * kw + j];
                  }
                }
              }
            }
            out[((b * cout + o) * oh + y) * ow + xx] = (float) sum;
          }
        }
      }
    }
    return new Tensor(x.n(), cout, oh, ow, out);
  }

  /** ConvTranspose2d with kernel = stride, weight (Cin, Cout, sy, sx). */
  private static Tensor transposed(Tensor x, float[] w, float[] bias, int cout, int sy, int sx) {
    int oh = x.h() * sy;
    int ow = x.w() * sx;
    float[] out = new float[x.n() * cout * oh * ow];
    for (int b = 0; b < x.n(); b++) {
      for (int o = 0; o < cout; o++) {
        for (int y = 0; y < oh; y++) {
          for (int xx = 0; xx < ow; xx++) {
            double sum = bias[o];
            for (int c = 0; c < x.c(); c++) {
              sum += x.at(b, c, y / sy, xx / sx) * w[((c * cout + o) * sy + y % sy) * sx + xx % sx];
            }
            out[((b * cout + o) * oh + y) * ow + xx] = (float) sum;
          }
        }
      }
    }
    return new Tensor(x.n(), cout, oh, ow, out);
  }

  private static Tensor concat(Tensor first, Tensor second) {
    int c = first.c() + second.c();
    int plane = first.h() * first.w();
    float[] out = new float[first.n() * c * plane];
    for (int b = 0; b < first.n(); b++) {
      System.arraycopy(first.v(), b * first.c() * plane, out, b * c * plane, first.c() * plane);
      System.arraycopy(second.v(), b * second.c() * plane, out, (b * c + first.c()) * plane,
          second.c() * plane);
    }
    return new Tensor(first.n(), c, first.h(), first.w(), out);
  }
}
