package org.segflow.contract;

import java.util.List;

/** A finished pipeline: the converted dataset, its plans and every trained fold in fold order. */
public record PipelineResult(String dataset, StepRef manifest, StepRef plans, StepRef splits,
    List<FoldResult> folds) {

  public PipelineResult {
    folds = folds == null ? List.of() : List.copyOf(folds);
  }
}
