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
 */
public record FindBestResult(StepRef inferenceInformation, StepRef crossValidation, StepRef postprocessing,
    String model, double crossValidationDice, double crossValidationFovDice, boolean postprocessed) {}
