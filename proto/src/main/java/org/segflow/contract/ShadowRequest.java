package org.segflow.contract;

/**
 * Segment {@code request}'s image with {@code shadowVersion} beside the promoted version, whose
 * outputs ({@code promoted}, already published) it is compared with; nothing is published.
 */
public record ShadowRequest(InferenceRequest request, String shadowVersion, SegmentationOutputs promoted) {}
