package org.segflow.contract;

/**
 * A trained fold.
 *
 * @param finalCheckpoint  results/.../fold_K/checkpoint_final.zip
 * @param validation       results/.../fold_K/validation/summary.json (null without validation)
 * @param resumedFromEpoch the checkpoint epoch this attempt started from (0 for a fresh start)
 * @param epochsRun        epochs this attempt trained
 * @param validationDice   mean foreground Dice of the sliding-window validation (NaN without)
 */
public record FoldResult(int fold, StepRef finalCheckpoint, StepRef validation, int resumedFromEpoch,
    int epochsRun, double bestEma, double validationDice) {}
