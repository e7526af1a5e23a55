package org.segflow.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.segflow.InvalidInputException;
import org.segflow.preprocess.normalization.IntensityProperties;
import org.segflow.storage.Json;

/**
 * nnU-Net's {@code nnUNetPlans.json}, keys in the order nnU-Net writes them. Axis lists
 * at the top level are (z, y, x) after {@code transpose_forward}.
 */
@JsonPropertyOrder({"dataset_name", "plans_name", "original_median_spacing_after_transp",
    "original_median_shape_after_transp", "image_reader_writer", "transpose_forward",
    "transpose_backward", "configurations", "experiment_planner_used", "label_manager",
    "foreground_intensity_properties_per_channel"})
public record Plans(
    @JsonProperty("dataset_name") String datasetName,
    @JsonProperty("plans_name") String plansName,
    @JsonProperty("original_median_spacing_after_transp") List<Double> originalMedianSpacingAfterTransp,
    @JsonProperty("original_median_shape_after_transp") List<Integer> originalMedianShapeAfterTransp,
    @JsonProperty("image_reader_writer") String imageReaderWriter,
    @JsonProperty("transpose_forward") List<Integer> transposeForward,
    @JsonProperty("transpose_backward") List<Integer> transposeBackward,
    @JsonProperty("configurations") Map<String, PlansConfiguration> configurations,
    @JsonProperty("experiment_planner_used") String experimentPlannerUsed,
    @JsonProperty("label_manager") String labelManager,
    @JsonProperty("foreground_intensity_properties_per_channel")
    Map<String, IntensityProperties> foregroundIntensityPropertiesPerChannel) {

  public static final String CONFIGURATION_2D = "2d";

  /** Reads a plans file; the file is named in the error if it is missing or malformed. */
  public static Plans read(Path file) {
    Plans plans = Json.read(file, Plans.class);
    if (plans.configurations() == null || plans.configurations().isEmpty()) {
      throw new InvalidInputException(file, "plans have no 'configurations'");
    }
    return plans;
  }

  /**
   * The named configuration with {@code inherits_from} resolved as nnU-Net's PlansManager does.
   *
   * @throws InvalidInputException if the configuration is absent or inherits in a circle
   */
  public PlansConfiguration configuration(String name) {
    return resolve(name, new ArrayList<>());
  }

  private PlansConfiguration resolve(String name, List<String> visited) {
    PlansConfiguration own = configurations == null ? null : configurations.get(name);
    if (own == null) {
      throw new InvalidInputException("plans '" + plansName + "' have no configuration '" + name
          + "'; available: " + (configurations == null ? List.of() : configurations.keySet()));
    }
    if (own.inheritsFrom() == null) {
      return own;
    }
    if (visited.contains(own.inheritsFrom()) || own.inheritsFrom().equals(name)) {
      throw new InvalidInputException("plans '" + plansName + "': configuration '" + name
          + "' inherits in a circle through " + visited);
    }
    visited.add(name);
    return own.over(resolve(own.inheritsFrom(), visited));
  }
}
