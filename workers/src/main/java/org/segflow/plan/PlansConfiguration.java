package org.segflow.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * One entry of the plans' {@code configurations}, in nnU-Net's key order. Fields are
 * nullable because a hand-written configuration may only override a few keys of the one it
 * {@code inherits_from}; {@link Plans#configuration(String)} returns the resolved, complete entry.
 * Lists are (y, x) for 2D.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"inherits_from", "previous_stage", "data_identifier", "preprocessor_name",
    "batch_size", "patch_size", "median_image_size_in_voxels", "spacing", "normalization_schemes",
    "use_mask_for_norm", "resampling_fn_data", "resampling_fn_seg", "resampling_fn_data_kwargs",
    "resampling_fn_seg_kwargs", "resampling_fn_probabilities", "resampling_fn_probabilities_kwargs",
    "architecture", "batch_dice", "next_stage"})
public record PlansConfiguration(
    @JsonProperty("data_identifier") String dataIdentifier,
    @JsonProperty("preprocessor_name") String preprocessorName,
    @JsonProperty("batch_size") Integer batchSize,
    @JsonProperty("patch_size") List<Integer> patchSize,
    @JsonProperty("median_image_size_in_voxels") List<Double> medianImageSizeInVoxels,
    @JsonProperty("spacing") List<Double> spacing,
    @JsonProperty("normalization_schemes") List<String> normalizationSchemes,
    @JsonProperty("use_mask_for_norm") List<Boolean> useMaskForNorm,
    @JsonProperty("resampling_fn_data") String resamplingFnData,
    @JsonProperty("resampling_fn_seg") String resamplingFnSeg,
    @JsonProperty("resampling_fn_data_kwargs") ResamplingKwargs resamplingFnDataKwargs,
    @JsonProperty("resampling_fn_seg_kwargs") ResamplingKwargs resamplingFnSegKwargs,
    @JsonProperty("resampling_fn_probabilities") String resamplingFnProbabilities,
    @JsonProperty("resampling_fn_probabilities_kwargs") ResamplingKwargs resamplingFnProbabilitiesKwargs,
    @JsonProperty("architecture") Architecture architecture,
    @JsonProperty("batch_dice") Boolean batchDice,
    @JsonProperty("inherits_from") String inheritsFrom,
    @JsonProperty("previous_stage") String previousStage,
    @JsonProperty("next_stage") String nextStage) {

  public static final String DEFAULT_PREPROCESSOR = "DefaultPreprocessor";
  public static final String RESAMPLING_FN = "resample_data_or_seg_to_shape";

  /** The patch size as an int array (y, x). */
  public int[] patchSizeArray() {
    return patchSize.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The network keyword arguments (shortcut for {@code architecture().archKwargs()}). */
  public ArchKwargs archKwargs() {
    return architecture.archKwargs();
  }

  /**
   * nnU-Net's inheritance ({@code PlansManager}): a shallow update of the resolved parent's keys by
   * this entry's non-null keys, so an {@code architecture} given here replaces the parent's whole.
   */
  PlansConfiguration over(PlansConfiguration parent) {
    return new PlansConfiguration(
        pick(dataIdentifier, parent.dataIdentifier), pick(preprocessorName, parent.preprocessorName),
        pick(batchSize, parent.batchSize), pick(patchSize, parent.patchSize),
        pick(medianImageSizeInVoxels, parent.medianImageSizeInVoxels), pick(spacing, parent.spacing),
        pick(normalizationSchemes, parent.normalizationSchemes),
        pick(useMaskForNorm, parent.useMaskForNorm), pick(resamplingFnData, parent.resamplingFnData),
        pick(resamplingFnSeg, parent.resamplingFnSeg),
        pick(resamplingFnDataKwargs, parent.resamplingFnDataKwargs),
        pick(resamplingFnSegKwargs, parent.resamplingFnSegKwargs),
        pick(resamplingFnProbabilities, parent.resamplingFnProbabilities),
        pick(resamplingFnProbabilitiesKwargs, parent.resamplingFnProbabilitiesKwargs),
        pick(architecture, parent.architecture), pick(batchDice, parent.batchDice),
        pick(inheritsFrom, parent.inheritsFrom), pick(previousStage, parent.previousStage),
        pick(nextStage, parent.nextStage));
  }

  private static <T> T pick(T own, T inherited) {
    return own != null ? own : inherited;
  }
}
