package org.segflow.contract;

/**
 * What find-best chose.
 *
 * @param inferenceInformation results/DatasetNNN_Name/inference_information.json
 * @param crossValidation      the merged folds' summary.json (crossval_results_folds_.../summary.json)
 * @param postprocessing       the chosen postprocessing.json
 * @param model                the best model's identifier, e.g. nnUNetTrainer__nnUNetPlans__2d
 * @param crossValidationDice  foreground-mean Dice of the merged folds, before postprocessing
 * @param crossValidationFovDice the same inside the field-of-view masks (NaN without masks)
 * @param postprocessed        whether the chosen postprocessing changes predictions (largest component)
 * @param cacheKey             sha256 of the step's inputs (the folds' validation files and checkpoints, the
 *                             plans, the references, options, engine version)
 * @param cacheHit             true when find-best's files on disk were made from the same inputs: nothing was
 *                             scored again, and the registry answered with the version already published
 */
public record FindBestResult(StepRef inferenceInformation, StepRef crossValidation, StepRef postprocessing,
    String model, double crossValidationDice, double crossValidationFovDice, boolean postprocessed,
    String cacheKey, boolean cacheHit) {}
