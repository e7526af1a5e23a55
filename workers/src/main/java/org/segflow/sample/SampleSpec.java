package org.segflow.sample;

import org.segflow.InvalidInputException;

/**
 * What to generate: how many training and test cases, the image size (height x width, like
 * {@code --size 584x565}) and the seed that fixes every pixel.
 */
public record SampleSpec(int trainCases, int testCases, int height, int width, long seed) {

  /** DRIVE-like geometry: 584 rows by 565 columns. */
  public static final int DEFAULT_HEIGHT = 584;
  public static final int DEFAULT_WIDTH = 565;
  public static final int DEFAULT_TRAIN_CASES = 20;
  public static final int DEFAULT_TEST_CASES = 20;

  /** Below this the field of view is too small to hold a vessel tree. */
  public static final int MIN_SIZE = 32;
  public static final int MAX_SIZE = 8192;

  public SampleSpec {
    if (trainCases < 1) {
      throw new InvalidInputException("sample: train cases must be at least 1, got " + trainCases);
    }
    if (testCases < 0) {
      throw new InvalidInputException("sample: test cases must be 0 or more, got " + testCases);
    }
    checkSize("height", height);
    checkSize("width", width);
  }

  /** 20 training and 20 test cases of 584x565, like DRIVE. */
  public static SampleSpec drive(long seed) {
    return new SampleSpec(DEFAULT_TRAIN_CASES, DEFAULT_TEST_CASES, DEFAULT_HEIGHT, DEFAULT_WIDTH, seed);
  }

  /** Number of cases in one split. */
  public int cases(SampleSplit split) {
    return split == SampleSplit.TRAIN ? trainCases : testCases;
  }

  private static void checkSize(String name, int value) {
    if (value < MIN_SIZE || value > MAX_SIZE) {
      throw new InvalidInputException(
          "sample: image " + name + " must be between " + MIN_SIZE + " and " + MAX_SIZE + " px, got " + value);
    }
  }
}
