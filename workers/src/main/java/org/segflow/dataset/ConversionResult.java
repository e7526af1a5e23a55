package org.segflow.dataset;

import java.nio.file.Path;

/**
 * What {@link DatasetConverter#convert} published.
 *
 * @param dir        raw/DatasetNNN_Name
 * @param testLabels whether labelsTs/ was written (test cases carry labels for evaluation)
 * @param warnings   what was converted but looks wrong (images of different bit depths), for the user
 */
public record ConversionResult(DatasetName name, Path dir, SourceLayout layout, int numTraining,
    int numTest, boolean testLabels, DatasetManifest manifest, java.util.List<String> warnings) {

  public ConversionResult {
    warnings = java.util.List.copyOf(warnings);
  }
}
