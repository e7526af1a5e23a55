package org.segflow.dataset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/**
 * nnU-Net's dataset.json. Label values are integers, or lists of integers for regions;
 * the legacy key {@code modality} is accepted for {@code channel_names}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"channel_names", "labels", "numTraining", "file_ending", "name", "description",
    "overwrite_image_reader_writer", "regions_class_order", "segflow"})
public record DatasetJson(
    @JsonProperty("channel_names") Map<String, String> channelNames,
    @JsonProperty("modality") Map<String, String> legacyModality,
    @JsonProperty("labels") Map<String, Object> labels,
    @JsonProperty("numTraining") Integer numTraining,
    @JsonProperty("file_ending") String fileEnding,
    @JsonProperty("name") String name,
    @JsonProperty("description") String description,
    @JsonProperty("overwrite_image_reader_writer") String overwriteImageReaderWriter,
    @JsonProperty("regions_class_order") List<Integer> regionsClassOrder,
    @JsonProperty("segflow") Map<String, Object> segflow) {

  /** Channel names, from {@code channel_names} or the legacy {@code modality}; null if neither. */
  public Map<String, String> channels() {
    return channelNames != null ? channelNames : legacyModality;
  }
}
