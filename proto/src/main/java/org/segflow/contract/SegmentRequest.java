package org.segflow.contract;

/** Segment {@code request}'s image with model {@code modelVersion} of its dataset. */
public record SegmentRequest(InferenceRequest request, String modelVersion) {}
