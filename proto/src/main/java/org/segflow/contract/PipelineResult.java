package org.segflow.contract;

import java.util.List;

/**
 * A finished pipeline: what convert and planning returned (their refs, cache keys and whether the
 * step cache was hit) and every trained fold in fold order.
 */
public record PipelineResult(ConvertResult converted, PlanResult planned, List<FoldResult> folds) {

  public PipelineResult {
    folds = folds == null ? List.of() : List.copyOf(folds);
  }
}
