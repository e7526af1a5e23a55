package org.segflow.preprocess.normalization;

import java.util.List;
import org.segflow.InvalidInputException;

/**
 * One channel's intensity normalization, chosen by the scheme name nnU-Net writes in the
 * plans' {@code normalization_schemes}. Results are float32 computed with nnU-Net's float32
 * operations; statistics taken over an image (z-score) are accumulated in double, where numpy sums
 * float32 pairwise, so the mean and std can differ from numpy's in the last float32 bits.
 */
public interface ImageNormalization {

  String CT = "CTNormalization";
  String ZSCORE = "ZScoreNormalization";
  String RESCALE_TO_01 = "RescaleTo01Normalization";
  String RGB_TO_01 = "RGBTo01Normalization";
  String NONE = "NoNormalization";

  List<String> SCHEMES = List.of(CT, ZSCORE, RESCALE_TO_01, RGB_TO_01, NONE);

  /**
   * Normalizes {@code values[offset, offset + length)} in place. {@code seg} covers the same
   * {@code length} pixels with negative values outside the nonzero region; it may be null when no
   * mask is used.
   */
  void normalize(float[] values, int offset, int length, short[] seg);

  /**
   * The normalization for a plan's scheme name. {@code useMaskForNorm} matters only for z-score;
   * {@code intensityProperties} (the fingerprint's, for this channel) only for CT.
   */
  static ImageNormalization forScheme(String scheme, boolean useMaskForNorm,
      IntensityProperties intensityProperties) {
    switch (scheme) {
      case CT:
        if (intensityProperties == null) {
          throw new InvalidInputException(
              "CTNormalization requires the fingerprint's foreground intensity properties");
        }
        return new CTNormalization(intensityProperties);
      case ZSCORE:
        return new ZScoreNormalization(useMaskForNorm);
      case RESCALE_TO_01:
        return new RescaleTo01Normalization();
      case RGB_TO_01:
        return new RGBTo01Normalization();
      case NONE:
        return new NoNormalization();
      default:
        throw new InvalidInputException("unknown normalization scheme '" + scheme
            + "' in the plans; expected one of " + SCHEMES);
    }
  }
}
