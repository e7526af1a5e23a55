package org.segflow.trust;

import java.nio.file.Path;
import java.util.List;
import org.segflow.contract.TrustScores;
import org.segflow.io.ImageArray;
import org.segflow.predict.CasePrediction;
import org.segflow.predict.ChannelConverter;
import org.segflow.predict.Predictor;

/**
 * One image segmented and scored: the trust scores reuse the logits the label map comes from and the
 * image as converted for the network, so scoring adds no second prediction and no second read.
 */
public final class ScoredSegmentation {

  /**
   * The prepared case (for writing), its prediction, its scores (null without a profile) and the
   * nanoseconds the scores took (0 without a profile): the segmentation's path is the same either way.
   */
  public record Result(Predictor.PreparedCase prepared, CasePrediction prediction, TrustScores trust,
      long scoreNanos) {}

  private ScoredSegmentation() {}

  /** @param profile the model version's trust profile; null: the image is segmented but not scored */
  public static Result run(Predictor predictor, String caseId, List<Path> files, TrustProfile profile) {
    ChannelConverter.Converted read = predictor.converter().read(files);
    Predictor.PreparedCase prepared = predictor.prepare(caseId, read.image(), read.firstFile());
    ImageArray logits = predictor.logits(prepared);
    CasePrediction p = predictor.export(prepared, logits, predictor.options().saveProbabilities());
    if (profile == null) {
      return new Result(prepared, p, null, 0);
    }
    long start = System.nanoTime();
    TrustScores trust = TrustAssessor.assess(profile, read.image(), logits, foregroundFraction(p.labels()));
    return new Result(prepared, p, trust, System.nanoTime() - start);
  }

  /** Pixels with a label other than background, over all pixels. */
  public static double foregroundFraction(short[] labels) {
    long n = 0;
    for (short l : labels) {
      if (l != 0) {
        n++;
      }
    }
    return labels.length == 0 ? 0 : (double) n / labels.length;
  }
}
