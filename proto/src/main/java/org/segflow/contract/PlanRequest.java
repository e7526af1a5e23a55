package org.segflow.contract;

/**
 * Fingerprint, plan, preprocess and split a converted dataset.
 *
 * @param dataset  DatasetNNN_Name
 * @param manifest the converted dataset's manifest as convert returned it; a different file on
 *                 disk is refused (the dataset changed under the pipeline)
 */
public record PlanRequest(String dataset, double memoryTargetGb, StepRef manifest) {}
