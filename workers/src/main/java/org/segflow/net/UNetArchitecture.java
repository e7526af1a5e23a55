package org.segflow.net;

import java.util.Arrays;

/**
 * The shape of nnU-Net's 2D PlainConvUNet, as in a plans file's {@code arch_kwargs}:
 * one entry per encoder stage in {@code featuresPerStage}, {@code kernelSizes}, {@code strides} and
 * {@code nConvPerStage}, one per decoder stage in {@code nConvPerStageDecoder}. Kernel sizes and
 * strides are {y, x} pairs. {@code numClasses} counts the background (one softmax head per label).
 * With {@code deepSupervision} the network returns one output per decoder stage, else only the
 * full-resolution one.
 */
public record UNetArchitecture(
    int inputChannels,
    int numClasses,
    int nStages,
    int[] featuresPerStage,
    int[][] kernelSizes,
    int[][] strides,
    int[] nConvPerStage,
    int[] nConvPerStageDecoder,
    boolean deepSupervision) {

  public UNetArchitecture {
    require(inputChannels >= 1, "inputChannels must be >= 1, got " + inputChannels);
    require(numClasses >= 1, "numClasses must be >= 1, got " + numClasses);
    require(nStages >= 2, "nStages must be >= 2, got " + nStages);
    featuresPerStage = checkedCopy("featuresPerStage", featuresPerStage, nStages);
    nConvPerStage = checkedCopy("nConvPerStage", nConvPerStage, nStages);
    nConvPerStageDecoder = checkedCopy("nConvPerStageDecoder", nConvPerStageDecoder, nStages - 1);
    kernelSizes = checkedPairs("kernelSizes", kernelSizes, nStages);
    strides = checkedPairs("strides", strides, nStages);
    for (int s = 0; s < nStages; s++) {
      for (int k : kernelSizes[s]) {
        require(k % 2 == 1, "kernelSizes[" + s + "] must be odd (padding (k-1)/2 keeps the size), got "
            + Arrays.toString(kernelSizes[s]));
      }
    }
  }

  /**
   * nnU-Net's default 2D topology for an isotropic patch: features min(512, 32·2^s), 3x3 kernels,
   * stride 1 in the first stage and 2 after, two convolutions per stage.
   */
  public static UNetArchitecture isotropic2d(int inputChannels, int numClasses, int nStages,
      boolean deepSupervision) {
    int[] features = new int[nStages];
    int[][] kernels = new int[nStages][];
    int[][] strides = new int[nStages][];
    int[] convs = new int[nStages];
    for (int s = 0; s < nStages; s++) {
      features[s] = (int) Math.min(512L, 32L << Math.min(s, 20));
      kernels[s] = new int[] {3, 3};
      strides[s] = s == 0 ? new int[] {1, 1} : new int[] {2, 2};
      convs[s] = 2;
    }
    int[] decoderConvs = new int[nStages - 1];
    Arrays.fill(decoderConvs, 2);
    return new UNetArchitecture(inputChannels, numClasses, nStages, features, kernels, strides, convs,
        decoderConvs, deepSupervision);
  }

  public UNetArchitecture withDeepSupervision(boolean enabled) {
    return new UNetArchitecture(inputChannels, numClasses, nStages, featuresPerStage, kernelSizes,
        strides, nConvPerStage, nConvPerStageDecoder, enabled);
  }

  /** Number of outputs of a forward pass: one per decoder stage with deep supervision, else 1. */
  public int numOutputs() {
    return deepSupervision ? nStages - 1 : 1;
  }

  /** The product of all strides per axis {y, x}: every input height/width must be a multiple. */
  public int[] requiredDivisor() {
    int[] d = {1, 1};
    for (int[] s : strides) {
      d[0] *= s[0];
      d[1] *= s[1];
    }
    return d;
  }

  /**
   * The downsampling factor of each deep-supervision output relative to the input, per axis {y, x},
   * highest resolution first: output i has cumprod(strides[0..i]). nnU-Net's scales are the inverse
   * (1 / cumprod(strides) without the last stage).
   */
  public int[][] deepSupervisionFactors() {
    int[][] factors = new int[nStages - 1][];
    int fy = 1;
    int fx = 1;
    for (int s = 0; s < nStages - 1; s++) {
      fy *= strides[s][0];
      fx *= strides[s][1];
      factors[s] = new int[] {fy, fx};
    }
    return factors;
  }

  /** True when both describe the same parameters (deep supervision only changes the outputs). */
  public boolean sameParametersAs(UNetArchitecture o) {
    return inputChannels == o.inputChannels && numClasses == o.numClasses && nStages == o.nStages
        && Arrays.equals(featuresPerStage, o.featuresPerStage)
        && Arrays.deepEquals(kernelSizes, o.kernelSizes) && Arrays.deepEquals(strides, o.strides)
        && Arrays.equals(nConvPerStage, o.nConvPerStage)
        && Arrays.equals(nConvPerStageDecoder, o.nConvPerStageDecoder);
  }

  // Components are defensive copies; accessors hand out copies so the record stays immutable.
  @Override
  public int[] featuresPerStage() {
    return featuresPerStage.clone();
  }

  @Override
  public int[][] kernelSizes() {
    return deepCopy(kernelSizes);
  }

  @Override
  public int[][] strides() {
    return deepCopy(strides);
  }

  @Override
  public int[] nConvPerStage() {
    return nConvPerStage.clone();
  }

  @Override
  public int[] nConvPerStageDecoder() {
    return nConvPerStageDecoder.clone();
  }

  int features(int stage) {
    return featuresPerStage[stage];
  }

  int[] kernel(int stage) {
    return kernelSizes[stage].clone();
  }

  int[] stride(int stage) {
    return strides[stage].clone();
  }

  int convs(int stage) {
    return nConvPerStage[stage];
  }

  int decoderConvs(int decoderStage) {
    return nConvPerStageDecoder[decoderStage];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UNetArchitecture a && sameParametersAs(a)
        && deepSupervision == a.deepSupervision;
  }

  @Override
  public int hashCode() {
    int h = 31 * inputChannels + numClasses;
    h = 31 * h + nStages;
    h = 31 * h + Arrays.hashCode(featuresPerStage);
    h = 31 * h + Arrays.deepHashCode(kernelSizes);
    h = 31 * h + Arrays.deepHashCode(strides);
    h = 31 * h + Arrays.hashCode(nConvPerStage);
    h = 31 * h + Arrays.hashCode(nConvPerStageDecoder);
    return 31 * h + Boolean.hashCode(deepSupervision);
  }

  @Override
  public String toString() {
    return "UNetArchitecture[inputChannels=" + inputChannels + ", numClasses=" + numClasses
        + ", nStages=" + nStages + ", featuresPerStage=" + Arrays.toString(featuresPerStage)
        + ", kernelSizes=" + Arrays.deepToString(kernelSizes)
        + ", strides=" + Arrays.deepToString(strides)
        + ", nConvPerStage=" + Arrays.toString(nConvPerStage)
        + ", nConvPerStageDecoder=" + Arrays.toString(nConvPerStageDecoder)
        + ", deepSupervision=" + deepSupervision + "]";
  }

  private static int[] checkedCopy(String field, int[] values, int expectedLength) {
    require(values != null, field + " is missing");
    require(values.length == expectedLength,
        field + " must have " + expectedLength + " entries, got " + values.length);
    for (int v : values) {
      require(v >= 1, field + " entries must be >= 1, got " + Arrays.toString(values));
    }
    return values.clone();
  }

  private static int[][] checkedPairs(String field, int[][] values, int expectedLength) {
    require(values != null, field + " is missing");
    require(values.length == expectedLength,
        field + " must have " + expectedLength + " entries, got " + values.length);
    int[][] copy = new int[values.length][];
    for (int i = 0; i < values.length; i++) {
      require(values[i] != null && values[i].length == 2,
          field + "[" + i + "] must be a {y, x} pair (2D), got " + Arrays.toString(values[i]));
      copy[i] = checkedCopy(field + "[" + i + "]", values[i], 2);
    }
    return copy;
  }

  private static int[][] deepCopy(int[][] values) {
    int[][] copy = new int[values.length][];
    for (int i = 0; i < values.length; i++) {
      copy[i] = values[i].clone();
    }
    return copy;
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("UNetArchitecture: " + message);
    }
  }
}
