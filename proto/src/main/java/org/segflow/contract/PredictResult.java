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
 */
public record PredictResult(String predictions, String overlays, int numCases, StepRef summary, double testDice,
    double testFovDice) {}
