package org.segflow.contract;

/**
 * The dataset's fingerprint.
 *
 * @param fingerprint preprocessed/DatasetNNN_Name/dataset_fingerprint.json
 * @param numCases    training cases fingerprinted
 * @param cacheKey    sha256 of the raw dataset.json and manifest, the options and the engine version
 * @param cacheHit    true when the fingerprint on disk was made from the same inputs and was reused
 */
public record FingerprintResult(String dataset, StepRef fingerprint, int numCases, String cacheKey,
    boolean cacheHit) {}
