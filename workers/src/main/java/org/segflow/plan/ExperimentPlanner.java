package org.segflow.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetJson;
import org.segflow.fingerprint.DatasetFingerprint;
import org.segflow.fingerprint.NumpyStats;

/**
 * nnU-Net's default {@code ExperimentPlanner} for the 2D configuration: target spacing,
 * topology, patch and batch size, normalization.
 *
 * <p>Where nnU-Net's arithmetic is numpy's, this mirrors it: medians and percentiles as numpy's
 * ({@link NumpyStats}), Python's {@code round} as {@link Math#rint} (half to even), {@code //} as
 * {@link Math#floorDiv}, float patch sizes until the padding truncates them, and the VRAM
 * comparison in nnU-Net's operation order ({@code estimate / 12 * 2 > reference}).
 */
public final class ExperimentPlanner {

  public static final String NAME = "ExperimentPlanner";
  public static final String DEFAULT_PLANS_NAME = "nnUNetPlans";
  public static final double DEFAULT_GPU_MEMORY_TARGET_GB = 8;

  public static final int BASE_NUM_FEATURES = 32;
  public static final int MAX_FEATURES_2D = 512;
  public static final int CONVS_PER_STAGE = 2;
  static final double REFERENCE_VAL_2D = 85_000_000;
  static final double REFERENCE_VAL_CORRESP_GB = 8;
  static final int REFERENCE_BATCH_SIZE_2D = 12;
  static final int MIN_BATCH_SIZE = 2;
  static final double MAX_DATASET_COVERED = 0.05;
  static final double ANISO_THRESHOLD = 3;
  static final int INITIAL_PATCH_EDGE_2D = 2048;
  static final double MASK_FOR_NORM_MAX_RELATIVE_SIZE = 0.75;

  private final double gpuMemoryTargetGb;
  private final String plansName;

  /** nnU-Net's defaults: 8 GB, plans "nnUNetPlans". */
  public ExperimentPlanner() {
    this(DEFAULT_GPU_MEMORY_TARGET_GB, DEFAULT_PLANS_NAME);
  }

  public ExperimentPlanner(double gpuMemoryTargetGb, String plansName) {
    requireMemoryTarget(gpuMemoryTargetGb, "GPU memory target");
    requirePlansName(plansName, "plans name");
    this.gpuMemoryTargetGb = gpuMemoryTargetGb;
    this.plansName = plansName;
  }

  /**
   * Refuses a memory target that is not a positive, finite number of GB (0, -1, NaN), so callers can
   * check it before any work; {@code option} names it as the user gave it.
   */
  public static void requireMemoryTarget(double gb, String option) {
    if (!(gb > 0) || Double.isInfinite(gb)) {
      throw new InvalidInputException(option + " must be a positive number of GB, got " + gb);
    }
  }

  public static void requirePlansName(String plansName, String option) {
    if (plansName == null || plansName.isBlank()) {
      throw new InvalidInputException(option + " must not be blank");
    }
  }

  /** Plans with the reader/writer nnU-Net would pick for the dataset's file ending. */
  public Plans plan(String datasetName, DatasetJson dataset, DatasetFingerprint fingerprint) {
    return plan(datasetName, dataset, fingerprint, imageReaderWriterFor(dataset));
  }

  /**
   * The plans for a 2D dataset (only the "2d" configuration).
   *
   * @throws InvalidInputException if the fingerprint or dataset.json is incomplete or inconsistent,
   *     or the data is 3D (median slice count after resampling other than 1)
   */
  public Plans plan(String datasetName, DatasetJson dataset, DatasetFingerprint fingerprint,
      String imageReaderWriter) {
    List<String> channelNames = channelNamesInIndexOrder(dataset);
    int numClasses = numClasses(dataset);
    double[][] spacings = rows(fingerprint.spacings(), "spacings");
    double[][] shapes = rows(fingerprint.shapesAfterCrop(), "shapes_after_crop");
    if (spacings.length != shapes.length) {
      throw fingerprintError("'spacings' has " + spacings.length + " cases but 'shapes_after_crop' has "
          + shapes.length);
    }
    if (dataset.numTraining() == null || dataset.numTraining() != spacings.length) {
      throw new InvalidInputException("dataset.json: numTraining is " + dataset.numTraining()
          + " but dataset_fingerprint.json describes " + spacings.length + " cases");
    }
    if (fingerprint.foregroundIntensityPropertiesPerChannel() == null) {
      throw fingerprintError("'foreground_intensity_properties_per_channel' is missing");
    }

    double[] target = targetSpacing(spacings, shapes);
    int[] forward = transposeForward(target);
    int[] backward = inverse(forward);
    double[] medianShape = permute(medianNewShape(spacings, shapes, target), forward);
    double[] targetTransposed = permute(target, forward);
    if (medianShape[0] != 1) {
      throw new InvalidInputException("only 2D data is supported for now: the median image shape "
          + "(z, y, x) is " + Arrays.toString(medianShape) + ", so nnU-Net would plan 3D "
          + "configurations, which segflow does not implement");
    }
    // np.prod(float64) * numTraining, multiplied left to right
    double approximateVoxelsDataset = medianShape[0] * medianShape[1] * medianShape[2]
        * dataset.numTraining();

    List<String> schemes = channelNames.stream().map(NormalizationSchemes::forChannelName).toList();
    boolean maskAllowed = fingerprint.medianRelativeSizeAfterCropping() < MASK_FOR_NORM_MAX_RELATIVE_SIZE;
    List<Boolean> useMask = schemes.stream()
        .map(s -> maskAllowed && NormalizationSchemes.supportsMask(s)).toList();

    PlansConfiguration config2d = configuration2d(
        Arrays.copyOfRange(targetTransposed, 1, 3), Arrays.copyOfRange(medianShape, 1, 3),
        numClasses, approximateVoxelsDataset, schemes, useMask);

    double[] originalMedianSpacing = permute(columnMedians(spacings), forward);
    double[] originalMedianShape = permute(columnMedians(shapes), forward);
    Map<String, PlansConfiguration> configurations = new LinkedHashMap<>();
    configurations.put(Plans.CONFIGURATION_2D, config2d);
    return new Plans(datasetName, plansName, boxed(originalMedianSpacing),
        Arrays.stream(originalMedianShape).mapToObj(v -> (int) Math.rint(v)).toList(),
        imageReaderWriter, boxedInts(forward), boxedInts(backward), configurations, NAME,
        "LabelManager", new TreeMap<>(fingerprint.foregroundIntensityPropertiesPerChannel()));
  }

  /**
   * nnU-Net's {@code get_plans_for_configuration} for two axes.
   *
   * @param spacing     target spacing (y, x)
   * @param medianShape median shape after resampling (y, x), possibly fractional
   * @param numClasses  {@code len(dataset.json labels)}, background (and ignore) included
   */
  PlansConfiguration configuration2d(double[] spacing, double[] medianShape, int numClasses,
      double approximateVoxelsDataset, List<String> schemes, List<Boolean> useMask) {
    for (double s : spacing) {
      if (!(s > 0)) {
        throw fingerprintError("target spacing must be > 0, got " + Arrays.toString(spacing));
      }
    }
    // step 1: a 2048² patch with the spacing's aspect ratio, clipped to the median shape.
    // numpy computes x ** (1/2) with pow(); sqrt is the correctly rounded value pow approximates.
    double[] inverseSpacing = {1 / spacing[0], 1 / spacing[1]};
    double scale = Math.sqrt((double) INITIAL_PATCH_EDGE_2D * INITIAL_PATCH_EDGE_2D
        / (inverseSpacing[0] * inverseSpacing[1]));
    double[] initialPatch = new double[2];
    for (int i = 0; i < 2; i++) {
      double rounded = Math.rint(inverseSpacing[i] * scale);
      initialPatch[i] = medianShape[i] < rounded ? medianShape[i] : rounded;
    }

    // steps 2-5: topology, padded patch, arch kwargs, feature-map estimate
    NetworkTopology topology = NetworkTopology.compute(spacing, initialPatch);
    ArchKwargs arch = ArchKwargs.plainConvUNet2d(topology);
    long estimate = FeatureMapEstimator.estimate(topology.patchSize(), arch, numClasses);

    // step 6: shrink the patch until a batch of 2 fits the reference
    double reference = REFERENCE_VAL_2D * (gpuMemoryTargetGb / REFERENCE_VAL_CORRESP_GB);
    while ((double) estimate / REFERENCE_BATCH_SIZE_2D * 2 > reference) {
      int[] patch = topology.patchSizeArray();
      int axis = mostOversizedAxis(patch, medianShape);
      // nnU-Net subtracts the divisibility of the topology of (patch - current step) so that it does
      // not skip valid sizes (e.g. 224 between 256 and 192)
      double[] smaller = toDoubles(patch);
      smaller[axis] -= topology.mustBeDivisibleBy().get(axis);
      patch[axis] -= shrinkTopology(spacing, smaller).mustBeDivisibleBy().get(axis);
      topology = shrinkTopology(spacing, toDoubles(patch));
      arch = ArchKwargs.plainConvUNet2d(topology);
      estimate = FeatureMapEstimator.estimate(topology.patchSize(), arch, numClasses);
    }

    // step 7: batch size from the headroom, capped at 5 % of the dataset's voxels, at least 2
    int[] patch = topology.patchSizeArray();
    double batchFromMemory = Math.rint(reference / estimate * REFERENCE_BATCH_SIZE_2D);
    double patchVoxels = (double) patch[0] * patch[1];
    double batchFor5Percent = Math.rint(approximateVoxelsDataset * MAX_DATASET_COVERED / patchVoxels);
    int batchSize = (int) Math.max(Math.min(batchFromMemory, batchFor5Percent), MIN_BATCH_SIZE);

    return new PlansConfiguration(plansName + "_" + Plans.CONFIGURATION_2D,
        PlansConfiguration.DEFAULT_PREPROCESSOR, batchSize, topology.patchSize(), boxed(medianShape),
        boxed(spacing), List.copyOf(schemes), List.copyOf(useMask), PlansConfiguration.RESAMPLING_FN,
        PlansConfiguration.RESAMPLING_FN, ResamplingKwargs.data(), ResamplingKwargs.segmentation(),
        PlansConfiguration.RESAMPLING_FN, ResamplingKwargs.probabilities(),
        Architecture.plainConvUNet(arch), true, null, null, null);
  }

  private NetworkTopology shrinkTopology(double[] spacing, double[] patch) {
    for (double p : patch) {
      if (p < 1) {
        throw tooLittleMemory(patch);
      }
    }
    try {
      return NetworkTopology.compute(spacing, patch);
    } catch (InvalidInputException e) {
      throw tooLittleMemory(patch);
    }
  }

  private InvalidInputException tooLittleMemory(double[] patch) {
    return new InvalidInputException(String.format(Locale.ROOT,
        "GPU memory target %s GB is too small: the planner shrank the 2D patch to %s and still "
            + "exceeds it", gpuMemoryTargetGb, Arrays.toString(patch)));
  }

  /** {@code np.argsort(patch / median)[-1]}: the largest ratio; ties go to the last axis. */
  static int mostOversizedAxis(int[] patch, double[] medianShape) {
    int axis = 0;
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < patch.length; i++) {
      double ratio = patch[i] / medianShape[i];
      if (ratio >= best) {
        best = ratio;
        axis = i;
      }
    }
    return axis;
  }

  /**
   * nnU-Net's fullres target spacing: the per-axis median ({@code np.percentile(.., 50)}),
   * with the low-resolution axis of strongly anisotropic data set to its 10th percentile.
   */
  static double[] targetSpacing(double[][] spacings, double[][] shapes) {
    int dim = spacings[0].length;
    double[] target = new double[dim];
    double[] targetSize = new double[dim];
    for (int a = 0; a < dim; a++) {
      target[a] = NumpyStats.percentile(column(spacings, a), 50);
      targetSize[a] = NumpyStats.percentile(column(shapes, a), 50);
    }
    int worst = argmax(target);
    double maxOtherSpacing = Double.NEGATIVE_INFINITY;
    double minOtherSize = Double.POSITIVE_INFINITY;
    for (int a = 0; a < dim; a++) {
      if (a != worst) {
        maxOtherSpacing = Math.max(maxOtherSpacing, target[a]);
        minOtherSize = Math.min(minOtherSize, targetSize[a]);
      }
    }
    boolean anisoSpacing = target[worst] > ANISO_THRESHOLD * maxOtherSpacing;
    boolean anisoVoxels = targetSize[worst] * ANISO_THRESHOLD < minOtherSize;
    if (anisoSpacing && anisoVoxels) {
      double tenth = NumpyStats.percentile(column(spacings, worst), 10);
      if (tenth < maxOtherSpacing) {
        tenth = Math.max(maxOtherSpacing, tenth) + 1e-5;
      }
      target[worst] = tenth;
    }
    return target;
  }

  /** The axis with the largest target spacing first, the others in order. */
  static int[] transposeForward(double[] targetSpacing) {
    int first = argmax(targetSpacing);
    int[] forward = new int[targetSpacing.length];
    forward[0] = first;
    for (int a = 0, k = 1; a < targetSpacing.length; a++) {
      if (a != first) {
        forward[k++] = a;
      }
    }
    return forward;
  }

  /** Median over cases of {@code round(spacing / target * shape)} per axis. */
  static double[] medianNewShape(double[][] spacings, double[][] shapes, double[] target) {
    double[][] newShapes = new double[shapes.length][];
    for (int c = 0; c < shapes.length; c++) {
      newShapes[c] = new double[target.length];
      for (int a = 0; a < target.length; a++) {
        newShapes[c][a] = Math.rint(spacings[c][a] / target[a] * shapes[c][a]);
      }
    }
    return columnMedians(newShapes);
  }

  /**
   * The name of nnU-Net's reader/writer for the dataset: {@code overwrite_image_reader_writer} if
   * set, else the first in nnU-Net's registry order that handles the file ending.
   */
  public static String imageReaderWriterFor(DatasetJson dataset) {
    if (dataset.overwriteImageReaderWriter() != null) {
      return dataset.overwriteImageReaderWriter();
    }
    String ending = dataset.fileEnding() == null ? "" : dataset.fileEnding().toLowerCase(Locale.ROOT);
    return switch (ending) {
      case ".png", ".bmp", ".tif" -> "NaturalImage2DIO";
      case ".tiff" -> "Tiff3DIO";
      default -> throw new InvalidInputException("dataset.json: file_ending '" + dataset.fileEnding()
          + "' is not a 2D image format nnU-Net reads (expected .png, .bmp, .tif or .tiff)");
    };
  }

  /**
   * Channel names ordered by their integer key. nnU-Net takes dict order, which is the key order
   * in every dataset.json it writes; sorting keeps the result independent of map implementation.
   */
  static List<String> channelNamesInIndexOrder(DatasetJson dataset) {
    Map<String, String> channels = dataset.channels();
    if (channels == null || channels.isEmpty()) {
      throw new InvalidInputException("dataset.json: 'channel_names' is missing or empty");
    }
    TreeMap<Integer, String> byIndex = new TreeMap<>();
    for (Map.Entry<String, String> e : channels.entrySet()) {
      try {
        byIndex.put(Integer.parseInt(e.getKey().trim()), e.getValue());
      } catch (NumberFormatException ex) {
        throw new InvalidInputException("dataset.json: channel_names key '" + e.getKey()
            + "' is not a channel index (expected \"0\", \"1\", ...)");
      }
      if (e.getValue() == null) {
        throw new InvalidInputException("dataset.json: channel_names[" + e.getKey() + "] is null");
      }
    }
    return new ArrayList<>(byIndex.values());
  }

  private static int numClasses(DatasetJson dataset) {
    if (dataset.labels() == null || dataset.labels().isEmpty()) {
      throw new InvalidInputException("dataset.json: 'labels' is missing or empty");
    }
    return dataset.labels().size();
  }

  private static double[][] rows(List<? extends List<? extends Number>> rows, String field) {
    if (rows == null || rows.isEmpty()) {
      throw fingerprintError("'" + field + "' is missing or empty");
    }
    double[][] out = new double[rows.size()][];
    for (int c = 0; c < rows.size(); c++) {
      List<? extends Number> row = rows.get(c);
      if (row == null || row.size() != 3 || row.stream().anyMatch(v -> v == null)) {
        throw fingerprintError("'" + field + "'[" + c + "] must be 3 numbers (z, y, x), got " + row);
      }
      out[c] = row.stream().mapToDouble(Number::doubleValue).toArray();
    }
    return out;
  }

  private static InvalidInputException fingerprintError(String message) {
    return new InvalidInputException("dataset_fingerprint.json: " + message);
  }

  private static double[] columnMedians(double[][] rows) {
    double[] out = new double[rows[0].length];
    for (int a = 0; a < out.length; a++) {
      out[a] = NumpyStats.median(column(rows, a));
    }
    return out;
  }

  private static double[] column(double[][] rows, int axis) {
    double[] out = new double[rows.length];
    for (int c = 0; c < rows.length; c++) {
      out[c] = rows[c][axis];
    }
    return out;
  }

  /** {@code np.argmax}: the first maximal index. */
  private static int argmax(double[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }

  private static int[] inverse(int[] forward) {
    int[] backward = new int[forward.length];
    for (int i = 0; i < forward.length; i++) {
      backward[forward[i]] = i;
    }
    return backward;
  }

  private static double[] permute(double[] values, int[] order) {
    double[] out = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      out[i] = values[order[i]];
    }
    return out;
  }

  private static double[] toDoubles(int[] values) {
    return Arrays.stream(values).asDoubleStream().toArray();
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  private static List<Integer> boxedInts(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
