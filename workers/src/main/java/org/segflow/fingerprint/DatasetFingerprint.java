package org.segflow.fingerprint;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** nnU-Net's dataset_fingerprint.json. Shapes and spacings are (z, y, x), z = 1 for 2D. */
@JsonPropertyOrder({"foreground_intensity_properties_per_channel", "median_relative_size_after_cropping",
    "shapes_after_crop", "spacings"})
public record DatasetFingerprint(
    @JsonProperty("foreground_intensity_properties_per_channel")
    Map<String, IntensityProperties> foregroundIntensityPropertiesPerChannel,
    @JsonProperty("median_relative_size_after_cropping") double medianRelativeSizeAfterCropping,
    @JsonProperty("shapes_after_crop") List<List<Integer>> shapesAfterCrop,
    @JsonProperty("spacings") List<List<Double>> spacings) {

  /** Foreground intensity statistics of one channel, over the samples drawn from all cases. */
  @JsonPropertyOrder({"max", "mean", "median", "min", "percentile_00_5", "percentile_99_5", "std"})
  public record IntensityProperties(
      @JsonProperty("max") double max,
      @JsonProperty("mean") double mean,
      @JsonProperty("median") double median,
      @JsonProperty("min") double min,
      @JsonProperty("percentile_00_5") double percentile005,
      @JsonProperty("percentile_99_5") double percentile995,
      @JsonProperty("std") double std) {}
}
