package org.segflow.contract;

import io.temporal.activity.ActivityInterface;

/**
 * The cpu steps of the pipeline, served on {@value #TASK_QUEUE}: ingest, convert, fingerprint,
 * plan (with preprocessing and splits), the fold cache and find-best. Each step returns at once when
 * its outputs on disk were made from the same inputs (its step cache).
 */
@ActivityInterface
public interface DataPreparationActivities {

  String TASK_QUEUE = "segflow-cpu";

  /** Recognises the source layout and writes the sha256 manifest of every input file. */
  IngestResult ingest(IngestRequest request);

  ConvertResult convert(ConvertRequest request);

  /** Verifies the converted dataset's integrity and writes dataset_fingerprint.json. */
  FingerprintResult fingerprint(FingerprintRequest request);

  /** Plans from the fingerprint, preprocesses the training cases and writes the 5-fold splits. */
  PlanResult planAndPreprocess(PlanRequest request);

  /**
   * Whether the fold was already trained from the same plans, data and budget (final checkpoint
   * and validation summary on disk), so the pipeline need not send it to the gpu queue.
   */
  FinishedFold finishedFold(FoldRequest request);

  /**
   * Cross-validation over the trained folds, the postprocessing choice, inference_information.json and the
   * chosen model published; answered from the files on disk when the folds' validation files, checkpoints,
   * plans and references are unchanged (its step cache; publishing again returns the same version).
   */
  FindBestResult findBest(FindBestRequest request);
}
