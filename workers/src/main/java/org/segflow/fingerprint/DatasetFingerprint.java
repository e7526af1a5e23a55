package org.segflow.fingerprint;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.segflow.preprocess.normalization.IntensityProperties;

/** nnU-Net's dataset_fingerprint.json. Shapes and spacings are (z, y, x), z = 1 for 2D. */
@JsonPropertyOrder({"foreground_intensity_properties_per_channel", "median_relative_size_after_cropping",
    "shapes_after_crop", "spacings"})
public record DatasetFingerprint(
    @JsonProperty("foreground_intensity_properties_per_channel")
    Map<String, IntensityProperties> foregroundIntensityPropertiesPerChannel,
    @JsonProperty("median_relative_size_after_cropping") double medianRelativeSizeAfterCropping,
    @JsonProperty("shapes_after_crop") List<List<Integer>> shapesAfterCrop,
    @JsonProperty("spacings") List<List<Double>> spacings) {}
