package org.segflow.preprocess;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.segflow.InvalidInputException;
import org.segflow.dataset.RawCase;
import org.segflow.io.ImageArray;
import org.segflow.preprocess.PreprocessedCase.CaseProperties;
import org.segflow.preprocess.normalization.ImageNormalization;

/**
 * nnU-Net's DefaultPreprocessor for one 2D case: transpose (the identity for 2D), crop to
 * nonzero, normalize each channel, and, for labelled cases, sample the class locations. There is no
 * resampling: natural 2D images have spacing (999, 1, 1) and the 2d configuration keeps (1, 1); a
 * plan asking for another spacing is rejected. Used for training cases and, with a null label, at
 * inference.
 */
public final class Preprocessor {

  /** NaturalImage2DIO's spacing: the fake slice axis gets 999 so it is never resampled. */
  public static final List<Double> NATURAL_IMAGE_SPACING = List.of(999.0, 1.0, 1.0);

  private final PreprocessingParameters params;
  private final NonzeroCropper cropper;
  private final ImageNormalization[] normalizations;

  public Preprocessor(PreprocessingParameters params) {
    this(params, NonzeroCropper.NNUNET);
  }

  public Preprocessor(PreprocessingParameters params, NonzeroCropper cropper) {
    if (!params.transposeForward().equals(List.of(0, 1, 2))) {
      throw new UnsupportedOperationException("transpose_forward " + params.transposeForward()
          + " is not supported: 2D natural images always plan [0, 1, 2]");
    }
    if (params.spacing().size() != 2) {
      throw new UnsupportedOperationException("only the 2d configuration is supported; its spacing has"
          + " 2 entries, got " + params.spacing());
    }
    this.params = params;
    this.cropper = cropper;
    this.normalizations = new ImageNormalization[params.channels()];
    for (int c = 0; c < normalizations.length; c++) {
      normalizations[c] = ImageNormalization.forScheme(params.normalizationSchemes().get(c),
          params.useMaskForNorm().get(c), params.intensityProperties().get(String.valueOf(c)));
    }
  }

  public PreprocessingParameters parameters() {
    return params;
  }

  /** Reads the case's files and preprocesses them; a case without label gets no seg. */
  public PreprocessedCase run(RawCase raw) {
    CaseLoader.LoadedCase loaded = CaseLoader.load(raw);
    if (loaded.image().channels() != params.channels()) {
      Path first = raw.images().get(0);
      throw new InvalidInputException(first, "case " + raw.id() + " has " + loaded.image().channels()
          + " channels in " + raw.images().size() + " file(s), the plans expect " + params.channels());
    }
    return run(raw.id(), loaded.image(), loaded.seg());
  }

  /**
   * Preprocesses an image already in memory; {@code seg} is row-major H x W labels or null. The
   * inputs are not modified.
   */
  public PreprocessedCase run(String caseId, ImageArray image, short[] seg) {
    if (image.channels() != params.channels()) {
      throw new InvalidInputException("case " + caseId + " has " + image.channels()
          + " channels, the plans expect " + params.channels());
    }
    NonzeroCropper.Cropped cropped = cropper.crop(image, seg);
    requireNoResampling(cropped.shapeAfterCropping());
    ImageArray data = cropped.data();
    int n = data.pixels();
    for (int c = 0; c < normalizations.length; c++) {
      try {
        normalizations[c].normalize(data.data(), c * n, n, cropped.seg());
      } catch (InvalidInputException e) {
        throw new InvalidInputException("case " + caseId + ", channel " + c + ": " + e.getMessage());
      }
    }
    Map<Integer, int[]> locations = seg == null
        ? Map.of()
        : ClassLocationSampler.sample(cropped.seg(), params.foregroundLabels());
    CaseProperties properties = new CaseProperties(cropped.shapeBeforeCropping(), cropped.bbox(),
        cropped.shapeAfterCropping(), NATURAL_IMAGE_SPACING.stream().mapToDouble(d -> d).toArray());
    return new PreprocessedCase(caseId, data, seg == null ? null : cropped.seg(), locations,
        properties);
  }

  /**
   * nnU-Net resamples to round(old_spacing / new_spacing * shape) and leaves the data untouched when
   * that equals the current shape; anything else would need resampling, which 2D images never do.
   */
  private void requireNoResampling(int[] shape) {
    double[] target = {NATURAL_IMAGE_SPACING.get(0), params.spacing().get(0), params.spacing().get(1)};
    for (int axis = 0; axis < 3; axis++) {
      long newSize = (long) Math.rint(NATURAL_IMAGE_SPACING.get(axis) / target[axis] * shape[axis]);
      if (newSize != shape[axis]) {
        throw new UnsupportedOperationException("resampling is not supported: the plans' 2d spacing "
            + params.spacing() + " would resize axis " + axis + " from " + shape[axis] + " to "
            + newSize + "; natural 2D images need spacing [1.0, 1.0]");
      }
    }
  }
}
