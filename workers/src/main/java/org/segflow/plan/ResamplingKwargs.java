package org.segflow.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Keyword arguments of nnU-Net's {@code resample_data_or_seg_to_shape} as stored in the plans
 * file. {@code force_separate_z} is null ("decide from the spacing"), written as JSON null.
 */
@JsonPropertyOrder({"is_seg", "order", "order_z", "force_separate_z"})
public record ResamplingKwargs(
    @JsonProperty("is_seg") boolean isSeg,
    @JsonProperty("order") int order,
    @JsonProperty("order_z") int orderZ,
    @JsonProperty("force_separate_z") Boolean forceSeparateZ) {

  /** Image data: cubic in-plane, nearest along a separate z. */
  public static ResamplingKwargs data() {
    return new ResamplingKwargs(false, 3, 0, null);
  }

  /** Segmentations: linear on the one-hot maps. */
  public static ResamplingKwargs segmentation() {
    return new ResamplingKwargs(true, 1, 0, null);
  }

  /** Softmax probabilities at export: linear. */
  public static ResamplingKwargs probabilities() {
    return new ResamplingKwargs(false, 1, 0, null);
  }
}
