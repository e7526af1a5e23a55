package org.segflow.contract;

/**
 * The test images segmented.
 *
 * @param predictions folder of label maps (0/1), with masks/ and overlays/ beside them, relative to SEGFLOW_HOME
 * @param overlays    the overlays folder, relative to SEGFLOW_HOME
 * @param numCases    cases written
 * @param summary     summary.json of the scoring against labelsTs (null when there are no test labels)
 * @param testDice    foreground-mean Dice over the whole image (NaN without labels)
 * @param testFovDice the same inside the field-of-view masks (NaN without masks)
 * @param cacheKey    sha256 of the step's inputs (the test images, the checkpoints, the postprocessing,
 *                    the prediction options, the test references, engine version)
 * @param cacheHit    true when the folder already held every case's outputs (and the scoring) made from the
 *                    same inputs: nothing was predicted again
 */
public record PredictResult(String predictions, String overlays, int numCases, StepRef summary, double testDice,
    double testFovDice, String cacheKey, boolean cacheHit) {}
