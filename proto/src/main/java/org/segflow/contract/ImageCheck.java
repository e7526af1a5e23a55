package org.segflow.contract;

/**
 * The arrived image as checked: readable, the sha256 the event named, and the promoted model
 * version that will segment it (fixed here so that retries use the same model).
 */
public record ImageCheck(String dataset, String modelVersion, int height, int width, int channels) {}
