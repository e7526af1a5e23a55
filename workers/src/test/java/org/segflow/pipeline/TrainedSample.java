package org.segflow.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.FoldTrainer;
import org.segflow.train.FoldTrainingJob;
import org.segflow.train.TrainingSettings;

/**
 * Test fixture: a small synthetic dataset (64 px) prepared and trained for the given folds with a
 * tiny budget, each fold ending with its sliding-window validation (fold_K/validation/ + summary.json).
 * Results land under {@code home/results/DatasetNNN_Sample/nnUNetTrainer__nnUNetPlans__2d/}.
 */
public final class TrainedSample {

  private TrainedSample() {}

  public static List<FoldTrainer.Outcome> train(Path home, int datasetId, int epochs, int iterations,
      String... folds) {
    SampleDatasets.prepare(home, datasetId, 10, 64);
    FoldTrainingJob job = new FoldTrainingJob(SegflowPaths.under(home));
    List<FoldTrainer.Outcome> out = new ArrayList<>();
    for (String fold : folds) {
      TrainingSettings s = TrainingSettings.schedule(epochs, iterations, 2).withSeed(100 + fold.hashCode());
      out.add(job.run(new FoldTrainingJob.Request(Integer.toString(datasetId), "2d", fold, "nnUNetPlans", s,
          "cpu", 2), List.of()));
    }
    return out;
  }
}
