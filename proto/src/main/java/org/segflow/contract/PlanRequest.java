package org.segflow.contract;

/**
 * Plan, preprocess and split a fingerprinted dataset.
 *
 * @param dataset     DatasetNNN_Name
 * @param manifest    the converted dataset's manifest as convert returned it (preprocessing reads its images)
 * @param fingerprint the fingerprint as the fingerprint step returned it
 */
public record PlanRequest(String dataset, double memoryTargetGb, StepRef manifest, StepRef fingerprint) {}
