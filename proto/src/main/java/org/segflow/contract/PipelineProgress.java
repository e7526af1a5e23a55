package org.segflow.contract;

import java.util.List;

/**
 * What {@link PipelineWorkflow#progress()} answers.
 *
 * @param stage the step running, or how the pipeline ended
 * @param folds the requested folds in fold order
 */
public record PipelineProgress(PipelineStage stage, List<FoldProgress> folds) {

  public PipelineProgress {
    folds = folds == null ? List.of() : List.copyOf(folds);
  }
}
