package org.segflow.trust;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What a model version's images are compared with, computed once when the version is published
 * ({@code models/<version>.trust.json}): the drift reference over the training images, the foreground
 * fraction of the training labels, and the thresholds taken from the cross-validation images and the
 * folds' outputs on the cases they did not train on.
 */
public record TrustProfile(
    @JsonProperty("version") String version,
    @JsonProperty("folds") List<String> folds,
    @JsonProperty("training_cases") int trainingCases,
    @JsonProperty("crossval_cases") int crossvalCases,
    @JsonProperty("drift") Drift drift,
    @JsonProperty("confidence") Confidence confidence,
    @JsonProperty("foreground") Foreground foreground) {

  public TrustProfile {
    folds = List.copyOf(folds);
  }

  /**
   * The drift score of an image is max over features f of |x_f - median_f| / scale_f (scale: the
   * training images' robust standard deviation, at least a floor per feature); above {@code threshold}
   * the image is OUT_OF_DISTRIBUTION.
   */
  public record Drift(@JsonProperty("channels") int channels,
      @JsonProperty("features") Map<String, Feature> features,
      @JsonProperty("threshold") double threshold,
      @JsonProperty("crossval_p99") double crossvalP99) {

    public Drift {
      features = Map.copyOf(features);
    }
  }

  /** One feature's centre and scale over the training images. */
  public record Feature(@JsonProperty("median") double median, @JsonProperty("scale") double scale) {}

  /**
   * Mean max softmax probability over the predicted foreground and its border; below
   * {@code threshold} (the folds' 1st percentile on their validation cases) an image is LOW_CONFIDENCE.
   */
  public record Confidence(@JsonProperty("threshold") double threshold,
      @JsonProperty("crossval_median") double crossvalMedian) {}

  /**
   * The predicted foreground fraction against the training labels' (median, robust scale); a score
   * |f - median| / scale above {@code threshold} is LOW_CONFIDENCE too.
   */
  public record Foreground(@JsonProperty("median") double median, @JsonProperty("scale") double scale,
      @JsonProperty("threshold") double threshold) {}
}
