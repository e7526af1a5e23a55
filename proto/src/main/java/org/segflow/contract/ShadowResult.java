package org.segflow.contract;

/**
 * One image segmented by the shadow version: its outputs (apart from the published ones; trust scores
 * when the version has a profile), each version's foreground mean Dice against the request's reference
 * labels (null without references, or when neither mask nor reference has foreground) and
 * {@code agreement}, the foreground mean Dice of the shadow mask against the promoted one (null when
 * neither has foreground).
 */
public record ShadowResult(String shadowVersion, String promotedVersion, SegmentationOutputs outputs,
    Double dice, Double promotedDice, Double agreement) {}
