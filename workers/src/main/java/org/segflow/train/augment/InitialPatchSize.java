package org.segflow.train.augment;

/**
 * The rotation range of the 2D augmentation and the enlarged patch the data loader crops so that
 * rotating and scaling the final patch rarely reaches outside real data
 * ({@code configure_rotation_dummyDA_mirroring_and_inital_patch_size} and {@code get_patch_size}).
 *
 * <p>{@code get_patch_size} does not take the bounding box of the rotated patch: it rotates the
 * single vector (py, px) by the largest angle (capped at 90 degrees) as a row vector times
 * [[cos, -sin], [sin, cos]], takes the absolute value per axis, keeps the larger of that and the
 * patch, divides by the smallest scale 0.85 and truncates. This reproduces 512x512 -> 602x602 and
 * 1024x1536 -> 1807x1807; for elongated patches the two axes differ (512x1024 -> 893x1204).
 */
public final class InitialPatchSize {

  /** Above this max/min patch ratio the rotation range shrinks to +-15 degrees. */
  public static final double ANISOTROPY_RATIO = 1.5;
  /** The 0.85 that get_patch_size divides by (the scale range it is given is (0.85, 1.25)). */
  public static final double SMALLEST_SCALE = 0.85;

  private InitialPatchSize() {}

  /** The largest rotation angle in radians: pi, or 15 degrees for patches with ratio above 1.5. */
  public static double maxRotation(int[] patchSize) {
    requireTwoD(patchSize);
    int max = Math.max(patchSize[0], patchSize[1]);
    int min = Math.min(patchSize[0], patchSize[1]);
    return (double) max / min > ANISOTROPY_RATIO ? 15.0 / 360 * 2 * Math.PI : 180.0 / 360 * 2 * Math.PI;
  }

  /** The enlarged crop size (y, x) for the training data loader. */
  public static int[] of(int[] patchSize) {
    requireTwoD(patchSize);
    double angle = Math.min(90.0 / 360 * 2 * Math.PI, maxRotation(patchSize));
    double c0 = patchSize[0];
    double c1 = patchSize[1];
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double r0 = Math.abs(c0 * cos + c1 * sin);
    double r1 = Math.abs(-c0 * sin + c1 * cos);
    return new int[] {
      (int) (Math.max(r0, c0) / SMALLEST_SCALE), (int) (Math.max(r1, c1) / SMALLEST_SCALE)
    };
  }

  private static void requireTwoD(int[] patchSize) {
    if (patchSize.length != 2 || patchSize[0] < 1 || patchSize[1] < 1) {
      throw new IllegalArgumentException(
          "expected a 2D patch size (y, x) of positive ints, got " + java.util.Arrays.toString(patchSize));
    }
  }
}
