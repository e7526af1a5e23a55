package org.segflow.contract;

/**
 * The planned and preprocessed dataset.
 *
 * @param plans    preprocessed/DatasetNNN_Name/nnUNetPlans.json
 * @param splits   preprocessed/DatasetNNN_Name/splits_final.json
 * @param cacheKey sha256 of the fingerprint, dataset.json, the manifest, the options and the engine version
 * @param cacheHit true when the outputs on disk were made from the same inputs and were reused
 */
public record PlanResult(String dataset, StepRef plans, StepRef splits, int numCases, String cacheKey,
    boolean cacheHit) {}
