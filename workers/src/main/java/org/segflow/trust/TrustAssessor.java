package org.segflow.trust;

import java.util.ArrayList;
import java.util.List;
import org.segflow.contract.TrustScores;
import org.segflow.io.ImageArray;

/** Scores one segmented image against its model version's trust profile (pure: no files, no workflow). */
public final class TrustAssessor {

  private TrustAssessor() {}

  /**
   * @param image              the image in the model's input channels, before preprocessing
   * @param logits             the folds' mean (K, h, w) logits the label map was taken from
   * @param foregroundFraction the written label map's share of foreground pixels
   */
  public static TrustScores assess(TrustProfile profile, ImageArray image, ImageArray logits,
      double foregroundFraction) {
    DriftReference.Score drift = image.channels() == profile.drift().channels()
        ? DriftReference.score(profile.drift().features(), ImageStatistics.of(image))
        : new DriftReference.Score(Double.POSITIVE_INFINITY, "channels");
    double confidence = SoftmaxConfidence.of(logits);
    TrustProfile.Foreground fg = profile.foreground();
    double foregroundScore = Math.abs(foregroundFraction - fg.median()) / fg.scale();
    List<String> flags = new ArrayList<>();
    if (drift.value() > profile.drift().threshold()) {
      flags.add(TrustScores.OUT_OF_DISTRIBUTION);
    }
    if (confidence < profile.confidence().threshold() || foregroundScore > fg.threshold()) {
      flags.add(TrustScores.LOW_CONFIDENCE);
    }
    return new TrustScores(drift.value(), profile.drift().threshold(), drift.feature(), confidence,
        profile.confidence().threshold(), foregroundScore, fg.threshold(), flags);
  }
}
