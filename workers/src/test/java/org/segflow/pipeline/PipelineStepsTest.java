package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.contract.FindBestRequest;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.StepRef;
import org.segflow.storage.SegflowPaths;

/** The parts of the find-best and predict steps that need no trained model. */
class PipelineStepsTest {

  @TempDir
  Path home;

  @Test
  void predictionsGoUnderTheDatasetAndRunName() {
    SegflowPaths paths = SegflowPaths.under(home);
    assertEquals(home.resolve("predictions/Dataset002_X/run1"),
        TestSetPrediction.outputFolder(paths, "Dataset002_X", "run1"));
    for (String bad : List.of("", "../up", "a/b", ".hidden")) {
      assertThrows(InvalidInputException.class, () -> TestSetPrediction.outputFolder(paths, "Dataset002_X", bad));
    }
  }

  @Test
  void aMissingFoldCheckpointOrInferenceInformationIsInvalidInputNamingTheFile() {
    SegflowPaths paths = SegflowPaths.under(home);
    StepRef gone = new StepRef("results/Dataset002_X/nnUNetTrainer__nnUNetPlans__2d/fold_0/checkpoint_final.zip",
        "00");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new BestConfigurationStep(paths).run(new FindBestRequest("Dataset002_X", List.of(0), List.of(gone))));
    assertTrue(e.getMessage().contains("fold_0/checkpoint_final.zip"), e.getMessage());
    StepRef info = new StepRef("results/Dataset002_X/inference_information.json", "00");
    e = assertThrows(InvalidInputException.class, () -> new TestSetPrediction(paths,
        new TestSetPrediction.Resources("cpu", 1)).run(new PredictRequest("Dataset002_X", "src", List.of(0), "r",
        info), org.segflow.predict.PredictionListener.NONE));
    assertTrue(e.getMessage().contains("inference_information.json"), e.getMessage());
  }
}
