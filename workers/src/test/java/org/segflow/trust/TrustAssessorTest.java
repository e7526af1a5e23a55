package org.segflow.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.segflow.contract.TrustScores;
import org.segflow.io.ImageArray;

/** The pure scoring: features, drift reference, confidence and the flags they raise. */
class TrustAssessorTest {

  /** A gray disc (the nonzero region) of brightness {@code level} with a fine stripe texture. */
  private static ImageArray disc(int size, float level) {
    ImageArray a = ImageArray.zeros(1, size, size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double r = Math.hypot(y - size / 2.0, x - size / 2.0);
        if (r < size * 0.45) {
          a.set(0, y, x, level + (x % 4 < 2 ? 20 : 0) + (float) (r / size * 40));
        }
      }
    }
    return a;
  }

  private static TrustProfile profile(List<ImageArray> training) {
    List<Map<String, Double>> features = new ArrayList<>();
    for (ImageArray t : training) {
      features.add(ImageStatistics.of(t));
    }
    return new TrustProfile("v1", List.of("0"), training.size(), training.size(),
        new TrustProfile.Drift(1, DriftReference.build(features), DriftReference.MIN_THRESHOLD, 0),
        new TrustProfile.Confidence(0.8, 0.9), new TrustProfile.Foreground(0.1, 0.02, 3));
  }

  /** Logits of two classes: foreground (class 1) with margin {@code margin} on the left half. */
  private static ImageArray logits(int size, float margin) {
    ImageArray l = ImageArray.zeros(2, size, size);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean fg = x < size / 2;
        l.set(0, y, x, fg ? 0 : 6);
        l.set(1, y, x, fg ? margin : 0);
      }
    }
    return l;
  }

  @Test
  void imagesLikeTheTrainingImagesPassAndShiftedOnesAreOutOfDistribution() {
    List<ImageArray> training = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      training.add(disc(64, 100 + 3 * i));
    }
    TrustProfile p = profile(training);
    ImageArray confident = logits(64, 6);
    TrustScores same = TrustAssessor.assess(p, disc(64, 110), confident, 0.1);
    assertEquals(List.of(), same.flags(), same.toString());
    TrustScores dark = TrustAssessor.assess(p, disc(64, 50), confident, 0.1);
    assertEquals(List.of(TrustScores.OUT_OF_DISTRIBUTION), dark.flags(), dark.toString());
    assertTrue(dark.driftFeature().startsWith("c0.p"), dark.driftFeature());
    TrustScores bigger = TrustAssessor.assess(p, disc(96, 110), confident, 0.1);
    assertTrue(bigger.flags().contains(TrustScores.OUT_OF_DISTRIBUTION), bigger.toString());
  }

  @Test
  void doubtfulLogitsOrAnOddForegroundShareAreLowConfidence() {
    TrustProfile p = profile(List.of(disc(64, 100), disc(64, 103), disc(64, 106)));
    TrustScores unsure = TrustAssessor.assess(p, disc(64, 103), logits(64, 0.5f), 0.1);
    assertEquals(List.of(TrustScores.LOW_CONFIDENCE), unsure.flags(), unsure.toString());
    TrustScores empty = TrustAssessor.assess(p, disc(64, 103), logits(64, 6), 0.0);
    assertEquals(List.of(TrustScores.LOW_CONFIDENCE), empty.flags(), empty.toString());
    assertEquals(5.0, empty.foregroundScore(), 1e-9);
  }

  @Test
  void confidenceIsTheMeanMaxProbabilityOverTheForegroundAndItsBorder() {
    // margin ln(3): p = 0.75 on the foreground; the 2-pixel border is background with p ~ 1 - e^-6
    ImageArray l = logits(8, (float) Math.log(3));
    double border = 1 / (1 + Math.exp(-6));
    double expected = (4 * 8 * 0.75 + 2 * 8 * border) / (6 * 8);
    assertEquals(expected, SoftmaxConfidence.of(l), 1e-6);
  }

  @Test
  void thresholdsFollowTheCrossValidationScoresButNeverFallBelowFour() {
    assertEquals(4.0, DriftReference.threshold(new double[] {0.5, 1, 1.5, 3.2}));
    double[] wide = new double[100];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = i / 10.0;
    }
    assertEquals(Percentiles.of(wide, 99), DriftReference.threshold(wide), 1e-12);
    assertEquals(9.801, DriftReference.threshold(wide), 1e-9);
  }
}
