package org.segflow.fingerprint;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.segflow.InvalidInputException;
import org.segflow.StepProgress;
import org.segflow.dataset.RawCase;
import org.segflow.io.ImageArray;
import org.segflow.preprocess.CaseLoader;
import org.segflow.preprocess.CasePool;
import org.segflow.preprocess.NonzeroCropper;
import org.segflow.preprocess.Preprocessor;
import org.segflow.preprocess.normalization.IntensityProperties;
import org.segflow.storage.Json;

/**
 * nnU-Net's dataset fingerprint. Per case: read, crop to nonzero, and draw
 * {@code int(1e8 // nCases)} foreground intensities per channel with replacement (seed 1234 per
 * case). Over the dataset: per-channel mean, median, population std, min, max and the 0.5 / 99.5
 * percentiles of all drawn samples, the spacings, the shapes after cropping and the median relative
 * size after cropping.
 *
 * <p>The samples are never materialised: each case contributes value counts, and the statistics are
 * computed exactly from the merged counts (see {@link IntensityHistogram}; mean and std are computed
 * in double where numpy accumulates float32, a difference around 1e-7 relative). Cases run on a
 * bounded pool and are merged in case order.
 */
public final class FingerprintExtractor {

  /** nnU-Net samples 10e7 foreground voxels over the whole dataset. */
  public static final double TOTAL_FOREGROUND_SAMPLES = 10e7;

  private final int threads;
  private final NonzeroCropper cropper;
  private final double totalSamples;

  public FingerprintExtractor() {
    this(CasePool.DEFAULT_THREADS, NonzeroCropper.NNUNET);
  }

  public FingerprintExtractor(int threads, NonzeroCropper cropper) {
    this(threads, cropper, TOTAL_FOREGROUND_SAMPLES);
  }

  /** With a smaller sample budget, for tests. */
  FingerprintExtractor(int threads, NonzeroCropper cropper, double totalSamples) {
    this.threads = threads;
    this.cropper = cropper;
    this.totalSamples = totalSamples;
  }

  /** {@code int(total // nCases)}: the samples drawn per case and channel. */
  public static long samplesPerCase(double total, int numCases) {
    return (long) Math.floor(total / numCases);
  }

  /** Fingerprints labelled training cases (every case needs a label file). */
  public DatasetFingerprint extract(List<RawCase> cases) {
    return extract(cases, line -> { });
  }

  /** The same, with progress lines to {@code log}. */
  public DatasetFingerprint extract(List<RawCase> cases, Consumer<String> log) {
    if (cases.isEmpty()) {
      throw new InvalidInputException("the dataset has no training cases to fingerprint");
    }
    long numSamples = samplesPerCase(totalSamples, cases.size());
    List<List<Integer>> shapes = new ArrayList<>();
    List<List<Double>> spacings = new ArrayList<>();
    double[] relativeSizes = new double[cases.size()];
    List<Merger> channels = new ArrayList<>();
    StepProgress progress = new StepProgress("fingerprint", cases.size(), log);
    CasePool.forEachInOrder(cases, threads, "fingerprint", raw -> analyze(raw, numSamples),
        result -> {
          progress.caseDone();
          if (channels.isEmpty()) {
            for (int c = 0; c < result.histograms.length; c++) {
              channels.add(new Merger());
            }
          } else if (result.histograms.length != channels.size()) {
            throw new InvalidInputException(result.raw.images().get(0), "case " + result.raw.id()
                + " has " + result.histograms.length + " channels, the first case has "
                + channels.size());
          }
          for (int c = 0; c < channels.size(); c++) {
            channels.get(c).add(result.histograms[c]);
          }
          relativeSizes[shapes.size()] = result.relativeSize;
          shapes.add(result.shapeAfterCrop);
          spacings.add(Preprocessor.NATURAL_IMAGE_SPACING);
        });
    Map<String, IntensityProperties> stats = new TreeMap<>();
    for (int c = 0; c < channels.size(); c++) {
      IntensityHistogram h = channels.get(c).result();
      if (h.total() == 0) {
        throw new InvalidInputException("no foreground pixels (label > 0) in any case: channel " + c
            + " has no intensities to fingerprint");
      }
      stats.put(String.valueOf(c), h.properties());
    }
    return new DatasetFingerprint(stats, NumpyStats.median(relativeSizes), List.copyOf(shapes),
        List.copyOf(spacings));
  }

  /** Writes {@code dataset_fingerprint.json} atomically. */
  public static void write(Path file, DatasetFingerprint fingerprint) {
    Json.write(file, fingerprint);
  }

  private CaseResult analyze(RawCase raw, long numSamples) {
    if (raw.label() == null) {
      throw new InvalidInputException(raw.images().get(0), "case " + raw.id()
          + " has no label file; the fingerprint needs labelled training cases");
    }
    CaseLoader.LoadedCase loaded = CaseLoader.load(raw);
    NonzeroCropper.Cropped cropped = cropper.crop(loaded.image(), loaded.seg());
    ImageArray data = cropped.data();
    int[] after = cropped.shapeAfterCropping();
    int[] before = cropped.shapeBeforeCropping();
    double relative = (double) ((long) after[1] * after[2]) / ((long) before[1] * before[2]);
    return new CaseResult(raw, List.of(after[0], after[1], after[2]), relative,
        ForegroundSampler.sample(data, cropped.seg(), numSamples));
  }

  /** numpy's median: the middle value, or the mean of the two middle values. */
  private record CaseResult(RawCase raw, List<Integer> shapeAfterCrop, double relativeSize,
      IntensityHistogram[] histograms) {}

  /**
   * Merges per-case histograms like a binary counter, so that merging many large histograms (float
   * images with many distinct values) costs O(n log n) rather than O(n^2).
   */
  static final class Merger {
    private final List<IntensityHistogram> stack = new ArrayList<>();

    void add(IntensityHistogram h) {
      stack.add(h);
      while (stack.size() >= 2 && stack.get(stack.size() - 2).distinctValues()
          <= 2 * stack.get(stack.size() - 1).distinctValues()) {
        IntensityHistogram top = stack.remove(stack.size() - 1);
        int below = stack.size() - 1;
        stack.set(below, IntensityHistogram.merge(stack.get(below), top));
      }
    }

    IntensityHistogram result() {
      IntensityHistogram out = IntensityHistogram.EMPTY;
      for (int i = stack.size() - 1; i >= 0; i--) {
        out = IntensityHistogram.merge(stack.get(i), out);
      }
      return out;
    }
  }
}
