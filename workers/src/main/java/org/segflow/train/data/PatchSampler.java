package org.segflow.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.segflow.preprocess.PreprocessedCase;
import org.segflow.train.augment.InitialPatchSize;
import org.segflow.train.augment.PaddedCrop;
import org.segflow.train.augment.Sample;

/**
 * nnU-Net's nnUNetDataLoader for 2D cases: draws {@code batchSize} cases uniformly with
 * replacement, crops each at a random start or, for the last third of the batch positions, around
 * a stored foreground voxel, and pads with 0 (image) and -1 (labels) wherever the crop leaves the
 * image. Training crops the enlarged initial patch (the spatial transform cuts the final patch out
 * of it); validation crops the patch itself. Holds no random state: every draw comes from the
 * generator passed in.
 */
public final class PatchSampler {

  public static final double OVERSAMPLE_FOREGROUND_PERCENT = 0.33;

  private final List<Entry> cases;
  private final int batchSize;
  private final int[] cropSize;
  private final int[] finalPatchSize;
  private final int channels;
  private final int firstForcedPosition;

  /** A case with its foreground labels that have stored locations, ascending. */
  private record Entry(PreprocessedCase c, int[] foregroundLabels) {}

  /**
   * @param cases the fold's cases (training or validation), each with labels
   * @param cropSize the crop (y, x) taken from the case
   * @param finalPatchSize the network patch (y, x); the crop may stick out by half the difference
   */
  public PatchSampler(
      List<PreprocessedCase> cases,
      int batchSize,
      int[] cropSize,
      int[] finalPatchSize,
      double oversampleForegroundPercent) {
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("no cases to sample patches from");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1: " + batchSize);
    }
    if (cropSize.length != 2 || finalPatchSize.length != 2) {
      throw new IllegalArgumentException("2D sizes expected: crop " + Arrays.toString(cropSize)
          + ", patch " + Arrays.toString(finalPatchSize));
    }
    if (!(oversampleForegroundPercent >= 0 && oversampleForegroundPercent <= 1)) {
      throw new IllegalArgumentException(
          "oversample_foreground_percent must be in [0, 1]: " + oversampleForegroundPercent);
    }
    this.channels = cases.get(0).data().channels();
    List<Entry> entries = new ArrayList<>(cases.size());
    for (PreprocessedCase c : cases) {
      entries.add(new Entry(c, validate(c, channels)));
    }
    this.cases = List.copyOf(entries);
    this.batchSize = batchSize;
    this.cropSize = cropSize.clone();
    this.finalPatchSize = finalPatchSize.clone();
    // Python: not j < round(bs * (1 - p)), round being half-to-even
    this.firstForcedPosition = (int) Math.rint(batchSize * (1 - oversampleForegroundPercent));
  }

  /** Training: crops of the enlarged initial patch, 33% foreground oversampling. */
  public static PatchSampler forTraining(List<PreprocessedCase> cases, int batchSize, int[] patchSize) {
    return new PatchSampler(
        cases, batchSize, InitialPatchSize.of(patchSize), patchSize, OVERSAMPLE_FOREGROUND_PERCENT);
  }

  /** Validation: crops of the patch itself, same oversampling as training. */
  public static PatchSampler forValidation(List<PreprocessedCase> cases, int batchSize, int[] patchSize) {
    return new PatchSampler(cases, batchSize, patchSize, patchSize, OVERSAMPLE_FOREGROUND_PERCENT);
  }

  public int batchSize() {
    return batchSize;
  }

  public int channels() {
    return channels;
  }

  public int[] cropSize() {
    return cropSize.clone();
  }

  public int[] finalPatchSize() {
    return finalPatchSize.clone();
  }

  /** Whether batch position j must contain foreground: j >= round(bs * (1 - 0.33)). */
  public boolean forcedForeground(int position) {
    return position >= firstForcedPosition;
  }

  /** One batch of cropped, not yet augmented samples. */
  public List<Sample> drawBatch(RandomGenerator rng) {
    List<Sample> samples = new ArrayList<>(batchSize);
    for (int j = 0; j < batchSize; j++) {
      Entry e = cases.get(rng.nextInt(cases.size()));
      samples.add(crop(e.c, cropStart(e, forcedForeground(j), rng)));
    }
    return samples;
  }

  /** The crop start (y, x) for one case, random or around a foreground voxel. */
  public int[] cropStart(PreprocessedCase c, boolean forceForeground, RandomGenerator rng) {
    return cropStart(new Entry(c, validate(c, channels)), forceForeground, rng);
  }

  private int[] cropStart(Entry e, boolean forceForeground, RandomGenerator rng) {
    int h = e.c.data().height();
    int w = e.c.data().width();
    CropRange ry = CropRange.of(h, cropSize[0], finalPatchSize[0]);
    CropRange rx = CropRange.of(w, cropSize[1], finalPatchSize[1]);
    if (forceForeground && e.foregroundLabels.length > 0) {
      int label = e.foregroundLabels[rng.nextInt(e.foregroundLabels.length)];
      int[] voxels = e.c.classLocations().get(label);
      int v = voxels[rng.nextInt(voxels.length)];
      return new int[] {ry.around(v / w, cropSize[0]), rx.around(v % w, cropSize[1])};
    }
    return new int[] {ry.random(rng), rx.random(rng)};
  }

  /** The crop of a case starting at (y0, x0), padded with 0 / -1. */
  public Sample crop(PreprocessedCase c, int[] start) {
    int h = c.data().height();
    int w = c.data().width();
    float[] image = PaddedCrop.image(
        c.data().data(), c.data().channels(), h, w, start[0], start[1], cropSize[0], cropSize[1], 0f);
    short[] seg = PaddedCrop.labels(c.seg(), h, w, start[0], start[1], cropSize[0], cropSize[1], (short) -1);
    return new Sample(c.caseId(), c.data().channels(), cropSize[0], cropSize[1], image, seg);
  }

  /** Checks the case and returns its foreground labels that have locations, ascending. */
  private static int[] validate(PreprocessedCase c, int channels) {
    if (c.seg() == null) {
      throw new IllegalArgumentException("case " + c.caseId() + " has no segmentation; training needs labels");
    }
    if (c.seg().length != c.data().pixels()) {
      throw new IllegalArgumentException("case " + c.caseId() + ": segmentation has " + c.seg().length
          + " pixels, image " + c.data().height() + "x" + c.data().width());
    }
    if (c.data().channels() != channels) {
      throw new IllegalArgumentException("case " + c.caseId() + " has " + c.data().channels()
          + " channels, expected " + channels + " like the first case");
    }
    Map<Integer, int[]> locations = c.classLocations() == null ? Map.of() : c.classLocations();
    for (Map.Entry<Integer, int[]> en : locations.entrySet()) {
      for (int v : en.getValue() == null ? new int[0] : en.getValue()) {
        if (v < 0 || v >= c.data().pixels()) {
          throw new IllegalArgumentException("case " + c.caseId() + ": class " + en.getKey()
              + " location " + v + " is outside the " + c.data().height() + "x" + c.data().width() + " image");
        }
      }
    }
    return locations.entrySet().stream()
        .filter(en -> en.getKey() > 0 && en.getValue() != null && en.getValue().length > 0)
        .mapToInt(Map.Entry::getKey)
        .sorted()
        .toArray();
  }
}
