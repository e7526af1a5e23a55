package org.segflow.dataset;

import java.nio.file.Path;

/**
 * What {@link DatasetConverter#convert} published.
 *
 * @param dir        raw/DatasetNNN_Name
 * @param testLabels whether labelsTs/ was written (test cases carry labels for evaluation)
 */
public record ConversionResult(DatasetName name, Path dir, SourceLayout layout, int numTraining,
    int numTest, boolean testLabels, DatasetManifest manifest) {}
