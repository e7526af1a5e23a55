package org.segflow.contract;

/**
 * Train one fold of the 2d configuration. A retried or repeated request continues from the newest
 * checkpoint on disk, if that fold folder was trained from the same inputs.
 *
 * @param dataset     DatasetNNN_Name
 * @param plans       the plans the fold trains with, as planning returned them
 * @param inputsKey   the plan step's cache key: what the preprocessed data was made from
 */
public record FoldRequest(String dataset, int fold, String configuration, StepRef plans, String inputsKey,
    int epochs, int iterations, int valIterations) {}
