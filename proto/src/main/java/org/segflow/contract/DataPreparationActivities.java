package org.segflow.contract;

import io.temporal.activity.ActivityInterface;

/**
 * The cpu steps of the pipeline (convert, plan, find-best), served on {@value #TASK_QUEUE}. Each returns at once when its
 * outputs on disk were made from the same inputs (the step cache).
 */
@ActivityInterface
public interface DataPreparationActivities {

  String TASK_QUEUE = "segflow-cpu";

  ConvertResult convert(ConvertRequest request);

  PlanResult planAndPreprocess(PlanRequest request);

  /** Cross-validation over the trained folds, the postprocessing choice, inference_information.json. */
  EnsembleResult findBest(EnsembleRequest request);
}
