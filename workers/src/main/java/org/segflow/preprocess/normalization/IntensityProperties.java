package org.segflow.preprocess.normalization;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Foreground intensity statistics of one channel, over the samples drawn from all cases: written by
 * the fingerprint, copied into the plans, read by the normalization (CT clips and scales with them).
 */
@JsonPropertyOrder({"max", "mean", "median", "min", "percentile_00_5", "percentile_99_5", "std"})
public record IntensityProperties(
    @JsonProperty("max") double max,
    @JsonProperty("mean") double mean,
    @JsonProperty("median") double median,
    @JsonProperty("min") double min,
    @JsonProperty("percentile_00_5") double percentile005,
    @JsonProperty("percentile_99_5") double percentile995,
    @JsonProperty("std") double std) {}
