package org.segflow.plan;

import java.util.Locale;
import java.util.Map;

/**
 * nnU-Net's channel-name → normalization lookup, by nnU-Net's class names. The lookup is
 * case-insensitive; any other name gets z-scoring, so "R", "G", "B" are z-scored per channel.
 */
public final class NormalizationSchemes {

  public static final String CT = "CTNormalization";
  public static final String NO_NORMALIZATION = "NoNormalization";
  public static final String ZSCORE = "ZScoreNormalization";
  public static final String RESCALE_TO_01 = "RescaleTo01Normalization";
  public static final String RGB_TO_01 = "RGBTo01Normalization";

  private static final Map<String, String> BY_CHANNEL_NAME = Map.of(
      "ct", CT,
      "nonorm", NO_NORMALIZATION,
      "zscore", ZSCORE,
      "rescale_to_0_1", RESCALE_TO_01,
      "rgb_to_0_1", RGB_TO_01);

  private NormalizationSchemes() {}

  public static String forChannelName(String channelName) {
    // Python's str.casefold(): upper- then lower-casing also folds e.g. the long s (U+017F) to "s"
    String folded = channelName.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    return BY_CHANNEL_NAME.getOrDefault(folded, ZSCORE);
  }

  /**
   * nnU-Net's {@code leaves_pixels_outside_mask_at_zero_if_use_mask_for_norm_is_true}: only z-score
   * normalizes inside the nonzero mask and leaves the outside at 0.
   */
  public static boolean supportsMask(String scheme) {
    return ZSCORE.equals(scheme);
  }
}
