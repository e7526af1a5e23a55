package org.segflow.contract;

import java.util.List;

/**
 * How far one segmented image can be trusted, against its model version's trust profile: the drift
 * score of the image (OUT_OF_DISTRIBUTION above its threshold, {@code driftFeature} the feature that
 * decided it), the prediction's confidence (LOW_CONFIDENCE below its threshold) and the predicted
 * foreground fraction's score against the training labels (LOW_CONFIDENCE above its threshold).
 */
public record TrustScores(double driftScore, double driftThreshold, String driftFeature, double confidence,
    double confidenceThreshold, double foregroundScore, double foregroundThreshold, List<String> flags) {

  public static final String OUT_OF_DISTRIBUTION = "OUT_OF_DISTRIBUTION";
  public static final String LOW_CONFIDENCE = "LOW_CONFIDENCE";

  public TrustScores {
    flags = flags == null ? List.of() : List.copyOf(flags);
  }

  public boolean flagged() {
    return !flags.isEmpty();
  }
}
