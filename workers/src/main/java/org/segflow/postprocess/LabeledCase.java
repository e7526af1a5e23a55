package org.segflow.postprocess;

import org.segflow.evaluate.LabelMap;

/** A predicted label map with its reference, named as summary.json names them. */
public record LabeledCase(String predictionFile, String referenceFile, LabelMap prediction,
    LabelMap reference) {

  public LabeledCase {
    if (!prediction.sameShape(reference)) {
      throw new IllegalArgumentException(predictionFile + " is " + prediction.height() + "x"
          + prediction.width() + " but its reference " + referenceFile + " is "
          + reference.height() + "x" + reference.width());
    }
  }
}
