package org.segflow.contract;

import java.util.List;

/**
 * What {@link PipelineWorkflow#progress()} answers.
 *
 * @param stage one of {@link PipelineWorkflow#STAGES}
 * @param folds the requested folds in fold order
 */
public record PipelineProgress(String stage, List<FoldProgress> folds) {

  public PipelineProgress {
    folds = folds == null ? List.of() : List.copyOf(folds);
  }
}
