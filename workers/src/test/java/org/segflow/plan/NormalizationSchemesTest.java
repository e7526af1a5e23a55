package org.segflow.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NormalizationSchemesTest {

  @Test
  void namesMapCaseInsensitivelyAndEverythingElseIsZScore() {
    assertEquals("CTNormalization", NormalizationSchemes.forChannelName("CT"));
    assertEquals("CTNormalization", NormalizationSchemes.forChannelName("ct"));
    assertEquals("NoNormalization", NormalizationSchemes.forChannelName("NONORM"));
    assertEquals("RescaleTo01Normalization", NormalizationSchemes.forChannelName("Rescale_To_0_1"));
    assertEquals("RGBTo01Normalization", NormalizationSchemes.forChannelName("rgb_to_0_1"));
    assertEquals("ZScoreNormalization", NormalizationSchemes.forChannelName("zScore"));
    assertEquals("ZScoreNormalization", NormalizationSchemes.forChannelName("R"));
    assertEquals("ZScoreNormalization", NormalizationSchemes.forChannelName("CT "));
    // Python's casefold maps the long s (U+017F) to "s"
    assertEquals("RescaleTo01Normalization", NormalizationSchemes.forChannelName("re\u017Fcale_to_0_1"));
  }

  @Test
  void onlyZScoreSupportsTheMask() {
    assertTrue(NormalizationSchemes.supportsMask("ZScoreNormalization"));
    assertFalse(NormalizationSchemes.supportsMask("CTNormalization"));
    assertFalse(NormalizationSchemes.supportsMask("RGBTo01Normalization"));
  }
}
