package org.segflow.contract;

/**
 * The converted dataset.
 *
 * @param manifest raw/DatasetNNN_Name/manifest.json
 * @param cacheKey sha256 of the step's inputs (source files' sha256s, options, engine version)
 * @param cacheHit true when the dataset on disk already matched and nothing was rewritten
 */
public record ConvertResult(String dataset, StepRef manifest, int numTraining, int numTest,
    String cacheKey, boolean cacheHit) {}
