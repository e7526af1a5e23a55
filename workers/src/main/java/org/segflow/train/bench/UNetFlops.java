package org.segflow.train.bench;

import org.segflow.net.UNetArchitecture;

/**
 * Analytic floating-point operation count of PlainConvUNet, convolutions only. Convention: a
 * convolution producing Cout x H x W outputs from Cin channels with a ky x kx kernel costs
 * 2·ky·kx·Cin·Cout·H·W (one multiply and one add per weight tap) per image; the transposed
 * convolution counts as its 1x1 equivalent (2·Cin·Cout·sy·sx·h·w at the input size h x w); the
 * seg heads that run are included; norms, activations, concat, loss and optimizer are not. A
 * training step is counted as 3x the forward (forward, plus backward for inputs and for weights).
 * For nnU-Net's DRIVE network (8 stages, 640x640, batch 2) this gives 1,117.7 GFLOP per step.
 */
public final class UNetFlops {

  private UNetFlops() {}

  /** FLOPs of one forward pass of {@code batch} images of height x width. */
  public static double forward(UNetArchitecture arch, int batch, int height, int width) {
    int n = arch.nStages();
    int[] features = arch.featuresPerStage();
    int[][] kernels = arch.kernelSizes();
    int[][] strides = arch.strides();
    int[] convs = arch.nConvPerStage();
    int[] decoderConvs = arch.nConvPerStageDecoder();
    long[] h = new long[n];
    long[] w = new long[n];
    double flops = 0;
    long channels = arch.inputChannels();
    long curH = height;
    long curW = width;
    for (int s = 0; s < n; s++) {
      curH /= strides[s][0];
      curW /= strides[s][1];
      h[s] = curH;
      w[s] = curW;
      for (int j = 0; j < convs[s]; j++) {
        flops += conv(kernels[s], channels, features[s], h[s] * w[s]);
        channels = features[s];
      }
    }
    for (int d = 0; d < n - 1; d++) {
      int below = n - 1 - d;
      int skip = below - 1;
      long pixels = h[skip] * w[skip];
      // Transposed conv: 2·Cin·Cout per output pixel (each output pixel gets one tap).
      flops += 2.0 * features[below] * features[skip] * pixels;
      channels = 2L * features[skip];
      for (int j = 0; j < decoderConvs[d]; j++) {
        flops += conv(kernels[skip], channels, features[skip], pixels);
        channels = features[skip];
      }
      if (arch.deepSupervision() || d == n - 2) {
        flops += 2.0 * features[skip] * arch.numClasses() * pixels;
      }
    }
    return flops * batch;
  }

  /** FLOPs of one training step: 3x the forward. */
  public static double trainingStep(UNetArchitecture arch, int batch, int height, int width) {
    return 3 * forward(arch, batch, height, width);
  }

  private static double conv(int[] kernel, long in, long out, long pixels) {
    return 2.0 * kernel[0] * kernel[1] * in * out * pixels;
  }
}
