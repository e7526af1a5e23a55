package org.segflow.train;

/**
 * What one finished epoch produced (nnU-Net's per-epoch log lines). Dice per foreground
 * class may hold NaN where a class was absent from every validation batch. {@code dataWaitSeconds} is
 * how long training waited for augmented batches (0 when the loader keeps up).
 */
public record EpochResult(
    int epoch,
    int numEpochs,
    double learningRate,
    double trainLoss,
    double valLoss,
    double[] pseudoDicePerClass,
    double meanForegroundDice,
    double emaForegroundDice,
    boolean newBestEma,
    double epochSeconds,
    long iterationsDone,
    double dataWaitSeconds) {}
