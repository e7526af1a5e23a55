package org.segflow.contract;

/**
 * Train one fold of the 2d configuration. A retried or repeated request continues from the newest
 * checkpoint on disk.
 *
 * @param dataset DatasetNNN_Name
 * @param plans   the plans the fold trains with, as planning returned them
 */
public record FoldRequest(String dataset, int fold, String configuration, StepRef plans, int epochs,
    int iterations, int valIterations) {}
