package org.segflow.preprocess;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.segflow.InvalidInputException;
import org.segflow.preprocess.normalization.IntensityProperties;

/**
 * What preprocessing takes from the plans and the fingerprint: per channel the normalization scheme
 * name and use_mask_for_norm, the fingerprint's foreground intensity properties (keyed "0", "1", ...;
 * needed by CTNormalization only), the foreground labels to collect class locations for (ascending,
 * background excluded), the configuration's target spacing (y, x) and the plans' transpose_forward.
 */
public record PreprocessingParameters(
    List<String> normalizationSchemes,
    List<Boolean> useMaskForNorm,
    Map<String, IntensityProperties> intensityProperties,
    List<Integer> foregroundLabels,
    List<Double> spacing,
    List<Integer> transposeForward) {

  public PreprocessingParameters {
    normalizationSchemes = List.copyOf(normalizationSchemes);
    useMaskForNorm = List.copyOf(useMaskForNorm);
    intensityProperties = intensityProperties == null ? Map.of() : new TreeMap<>(intensityProperties);
    foregroundLabels = List.copyOf(foregroundLabels);
    spacing = List.copyOf(spacing);
    transposeForward = List.copyOf(transposeForward);
    if (normalizationSchemes.isEmpty()) {
      throw new InvalidInputException("the plans list no normalization_schemes");
    }
    if (useMaskForNorm.size() != normalizationSchemes.size()) {
      throw new InvalidInputException("the plans have " + normalizationSchemes.size()
          + " normalization_schemes but " + useMaskForNorm.size() + " use_mask_for_norm entries");
    }
    for (int label : foregroundLabels) {
      if (label <= 0) {
        throw new InvalidInputException("foreground labels must be positive, got " + label);
      }
    }
  }

  /** The 2D natural-image configuration: spacing (1, 1) and the identity transpose. */
  public static PreprocessingParameters for2d(List<String> normalizationSchemes,
      List<Boolean> useMaskForNorm, Map<String, IntensityProperties> intensityProperties,
      List<Integer> foregroundLabels) {
    return new PreprocessingParameters(normalizationSchemes, useMaskForNorm, intensityProperties,
        foregroundLabels, List.of(1.0, 1.0), List.of(0, 1, 2));
  }

  public int channels() {
    return normalizationSchemes.size();
  }
}
