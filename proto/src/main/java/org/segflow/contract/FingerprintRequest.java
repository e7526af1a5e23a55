package org.segflow.contract;

/**
 * Verify a converted dataset and extract its fingerprint.
 *
 * @param dataset  DatasetNNN_Name
 * @param manifest the converted dataset's manifest as convert returned it; a different file on disk
 *                 is refused (the dataset changed under the pipeline)
 */
public record FingerprintRequest(String dataset, StepRef manifest) {}
