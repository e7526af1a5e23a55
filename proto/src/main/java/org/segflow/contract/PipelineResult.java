package org.segflow.contract;

import java.util.List;

/**
 * A finished pipeline: what convert and planning returned (their refs, cache keys and whether the
 * step cache was hit), every trained fold in fold order, find-best's choice and the test predictions.
 */
public record PipelineResult(ConvertResult converted, PlanResult planned, List<FoldResult> folds,
    EnsembleResult ensemble, PredictResult predicted) {

  public PipelineResult {
    folds = folds == null ? List.of() : List.copyOf(folds);
  }
}
