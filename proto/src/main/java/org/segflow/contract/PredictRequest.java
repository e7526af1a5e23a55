package org.segflow.contract;

import java.util.List;

/**
 * Segment a dataset's test images with the folds' ensemble and score them where references exist.
 *
 * @param dataset              DatasetNNN_Name
 * @param source               the pipeline's source folder (its crop_test/ is used when the raw
 *                             dataset has no imagesTs)
 * @param folds                the folds to ensemble
 * @param runName              names the output folder predictions/DatasetNNN_Name/runName/
 * @param inferenceInformation what find-best wrote; a changed one is refused
 */
public record PredictRequest(String dataset, String source, List<Integer> folds, String runName,
    StepRef inferenceInformation) {

  public PredictRequest {
    folds = folds == null ? List.of() : List.copyOf(folds);
  }
}
