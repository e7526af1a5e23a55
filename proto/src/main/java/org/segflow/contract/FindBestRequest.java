package org.segflow.contract;

import java.util.List;

/**
 * find-best: cross-validation over the trained folds and the postprocessing choice (nnU-Net's
 * find_best_configuration) for the 2d configuration.
 *
 * @param dataset     DatasetNNN_Name
 * @param folds       the folds to merge, as trained
 * @param checkpoints the folds' final checkpoints as training returned them; a changed one is refused
 */
public record FindBestRequest(String dataset, List<Integer> folds, List<StepRef> checkpoints) {

  public FindBestRequest {
    folds = folds == null ? List.of() : List.copyOf(folds);
    checkpoints = checkpoints == null ? List.of() : List.copyOf(checkpoints);
  }
}
