package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.contract.FindBestRequest;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.PredictResult;
import org.segflow.contract.StepRef;
import org.segflow.dataset.RawDataset;
import org.segflow.io.FolderListing;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;
import org.segflow.io.PngWriter;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.plan.Plans;
import org.segflow.predict.CaseOutputs;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionJob;
import org.segflow.predict.PredictionListener;
import org.segflow.predict.PredictionOptions;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.SegflowPaths;
import org.segflow.train.Checkpoint;

/**
 * find-best's and predict's step caches on a really trained (tiny) fold of the 64 px sample, with real
 * files and DJL: a repeated step with the same inputs returns the result of the run that made its files,
 * rewrites nothing and publishes no new model version; a changed checkpoint, test image, validation file or
 * option, and an incomplete output folder, run the step again.
 */
class FindBestAndPredictCacheTest {

  private static final String DATASET = "Dataset007_Sample";
  private static final String RUN = "test";

  @TempDir
  static Path trained;

  @TempDir
  Path home;

  private SegflowPaths paths;
  private Path fold;

  @BeforeAll
  static void trainOneFold() {
    TrainedSample.train(trained, 7, 1, 2, "0");
  }

  /** Each test on its own copy of the trained sample. */
  @BeforeEach
  void copyTrainedSample() throws IOException {
    try (Stream<Path> files = Files.walk(trained)) {
      for (Path f : files.toList()) {
        Path to = home.resolve(trained.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    paths = SegflowPaths.under(home);
    fold = home.resolve("results").resolve(DATASET).resolve("nnUNetTrainer__nnUNetPlans__2d/fold_0");
  }

  @Test
  void findBestAnswersFromItsFilesOnlyWhileWhatItReadsIsUnchanged() throws Exception {
    FindBestResult first = findBest();
    assertFalse(first.cacheHit(), "nothing on disk yet");
    Path crossvalSummary = home.resolve(first.crossValidation().path());
    FileTime scored = Files.getLastModifiedTime(crossvalSummary);

    FindBestResult again = findBest();
    assertTrue(again.cacheHit(), "same folds, checkpoints, plans and references");
    assertEquals(hit(first), again, "the same references (paths and sha256s) and figures as the run that made them");
    assertEquals(scored, Files.getLastModifiedTime(crossvalSummary), "nothing scored again");
    assertEquals(List.of("v1"), versions(), "publishing the same files again answers with v1");

    // the key gone (as while find-best runs): found again from identical inputs, no v2
    Files.delete(home.resolve("results").resolve(DATASET).resolve(FindBestStepCache.FILE_NAME));
    FindBestResult redone = findBest();
    assertFalse(redone.cacheHit());
    assertEquals(first, redone, "identical inputs, identical files");
    assertEquals(List.of("v1"), versions(), "a re-run from identical inputs creates no new version");
    assertTrue(findBest().cacheHit(), "recorded again");

    // another validation prediction of the fold (one pixel flipped): scored again
    Path validation = FolderListing.files(fold.resolve("validation")).stream()
        .filter(p -> p.getFileName().toString().endsWith(".png")).findFirst().orElseThrow();
    byte[] original = Files.readAllBytes(validation);
    ImageArray labels = ImageFiles.read(validation);
    labels.set(0, 0, 0, labels.get(0, 0, 0) == 0 ? 1 : 0);
    Files.write(validation, PngWriter.encodeLabelMap(labels));
    FindBestResult changed = findBest();
    assertFalse(changed.cacheHit(), "a validation prediction changed");
    assertNotEquals(first.cacheKey(), changed.cacheKey());
    assertTrue(findBest().cacheHit());
    Files.write(validation, original);
    FindBestResult restored = findBest();
    assertFalse(restored.cacheHit(), "the files on disk were made from the changed validation");
    assertEquals(first, restored, "the original validation gives the original key and figures");
  }

  @Test
  void findBestRunsAgainForAChangedCheckpointAndPublishesItAsANewVersion() throws Exception {
    StepRef before = checkpoint();
    FindBestResult first = findBest();
    assertTrue(findBest().cacheHit());
    retrain();
    assertThrows(InvalidInputException.class, () -> new BestConfigurationStep(paths)
        .run(new FindBestRequest(DATASET, List.of(0), List.of(before))), "the old reference is refused");
    FindBestResult after = findBest();
    assertFalse(after.cacheHit(), "the fold's checkpoint changed");
    assertNotEquals(first.cacheKey(), after.cacheKey());
    assertEquals(List.of("v1", "v2"), versions(), "other checkpoint, other version");
    assertTrue(findBest().cacheHit());
    assertEquals(List.of("v1", "v2"), versions());
  }

  @Test
  void predictAnswersFromItsFolderOnlyWhenEveryOutputIsThere() throws Exception {
    StepRef info = findBest().inferenceInformation();
    PredictResult first = predict(info);
    assertFalse(first.cacheHit());
    assertNotNull(first.summary(), "the sample has test labels");
    assertEquals(2, first.numCases());
    Path out = home.resolve(first.predictions());
    String caseId = FolderListing.files(out).stream().map(p -> p.getFileName().toString())
        .filter(n -> n.endsWith(".png")).findFirst().orElseThrow().replace(".png", "");
    CaseOutputs outputs = new CaseOutputs(out, caseId);
    FileTime written = Files.getLastModifiedTime(outputs.labelMap());

    PredictResult again = predict(info);
    assertTrue(again.cacheHit());
    assertEquals(hit(first), again, "the same folder, summary (path and sha256) and Dice as the run that wrote them");
    assertEquals(written, Files.getLastModifiedTime(outputs.labelMap()), "nothing predicted again");

    // an output missing: predicted again, whole
    Files.delete(outputs.overlay());
    PredictResult incomplete = predict(info);
    assertFalse(incomplete.cacheHit(), "a case's overlay is missing");
    assertEquals(first, incomplete);
    assertTrue(Files.isRegularFile(outputs.overlay()));
    assertTrue(predict(info).cacheHit());

    // the scoring missing: predicted (and scored) again
    Files.delete(out.resolve(TestSetPrediction.SUMMARY));
    assertFalse(predict(info).cacheHit(), "summary.json is missing");

    // the key missing (a prediction interrupted after its first cases): predicted again
    Files.delete(out.resolve(PredictStepCache.FILE_NAME));
    PredictResult unrecorded = predict(info);
    assertFalse(unrecorded.cacheHit());
    assertEquals(first, unrecorded);
    assertTrue(predict(info).cacheHit());
  }

  @Test
  void predictRunsAgainForAChangedTestImageOrCheckpoint() throws Exception {
    StepRef info = findBest().inferenceInformation();
    PredictResult first = predict(info);
    assertTrue(predict(info).cacheHit());

    Path imagesTs = home.resolve("raw").resolve(DATASET).resolve(RawDataset.IMAGES_TS);
    Path image = FolderListing.files(imagesTs).get(0);
    Path other = FolderListing.files(home.resolve("raw").resolve(DATASET).resolve("imagesTr")).get(0);
    Files.copy(other, image, StandardCopyOption.REPLACE_EXISTING);
    PredictResult newImage = predict(info);
    assertFalse(newImage.cacheHit(), "a test image changed");
    assertNotEquals(first.cacheKey(), newImage.cacheKey());
    assertTrue(predict(info).cacheHit());

    retrain();
    PredictResult newCheckpoint = predict(info);
    assertFalse(newCheckpoint.cacheHit(), "the fold's checkpoint changed");
    assertNotEquals(newImage.cacheKey(), newCheckpoint.cacheKey());
    assertTrue(predict(info).cacheHit());
  }

  @Test
  void predictKeyCoversTheOptionsAndFindBestsChoice() throws Exception {
    StepRef info = findBest().inferenceInformation();
    PredictResult first = predict(info);
    Path raw = home.resolve("raw").resolve(DATASET);
    PredictStepCache.Scoring scoring = new PredictStepCache.Scoring(raw.resolve(RawDataset.LABELS_TS),
        raw.resolve(RawDataset.MASKS_TS));
    PredictionJob job = new PredictionJob(paths);
    PredictionOptions defaults = PredictionOptions.defaults();
    PredictionJob.Inputs inputs = job.inputs(request(defaults));
    StepCacheKey same = PredictStepCache.key(paths, request(defaults), inputs, info, scoring);
    assertEquals(first.cacheKey(), same.key(), "the step's own request: " + same.text());
    assertTrue(PredictStepCache.hit(inputs, defaults, scoring, same));

    for (PredictionOptions o : List.of(defaults.withTta(false), defaults.withTilesPerCall(4),
        defaults.withStepSize(0.25), defaults.withOverlayOutline(true))) {
      StepCacheKey k = PredictStepCache.key(paths, request(o), job.inputs(request(o)), info, scoring);
      assertNotEquals(same.key(), k.key(), o.toString());
      assertFalse(PredictStepCache.hit(inputs, o, scoring, k), o.toString());
    }
    StepCacheKey otherChoice = PredictStepCache.key(paths, request(defaults), inputs,
        new StepRef(info.path(), "0".repeat(64)), scoring);
    assertFalse(PredictStepCache.hit(inputs, defaults, scoring, otherChoice), "another inference_information.json");
    StepCacheKey unscored = PredictStepCache.key(paths, request(defaults), inputs, info, PredictStepCache.Scoring.NONE);
    assertFalse(PredictStepCache.hit(inputs, defaults, PredictStepCache.Scoring.NONE, unscored));
  }

  private FindBestResult findBest() {
    return new BestConfigurationStep(paths).run(new FindBestRequest(DATASET, List.of(0), List.of(checkpoint())));
  }

  private PredictResult predict(StepRef info) {
    return new TestSetPrediction(paths, new TestSetPrediction.Resources("cpu", 2))
        .run(new PredictRequest(DATASET, null, List.of(0), RUN, info), new PredictionListener() { });
  }

  /** The request TestSetPrediction makes, with {@code options}. */
  private PredictionJob.Request request(PredictionOptions options) {
    return new PredictionJob.Request(home.resolve("raw").resolve(DATASET).resolve(RawDataset.IMAGES_TS),
        TestSetPrediction.outputFolder(paths, DATASET, RUN), DATASET, Plans.CONFIGURATION_2D,
        ExperimentPlanner.DEFAULT_PLANS_NAME, List.of("0"), ModelFiles.CheckpointChoice.FINAL, options, true, "cpu", 2);
  }

  private StepRef checkpoint() {
    return StepRefs.of(paths, fold.resolve(Checkpoint.FINAL));
  }

  /** The fold's final checkpoint with other bytes that still load (another best EMA), as a retrained fold. */
  private void retrain() {
    Checkpoint c = Checkpoint.read(fold.resolve(Checkpoint.FINAL));
    Checkpoint.State s = c.state();
    new Checkpoint(new Checkpoint.State(s.trainerName(), s.currentEpoch(), s.numEpochs(), s.bestEma() + 0.01,
        s.logging(), s.initArgs(), s.mirrorAxes(), s.weightsSha256()), c.weights(), c.optimizer())
        .write(fold.resolve(Checkpoint.FINAL));
  }

  private List<String> versions() {
    return new ModelRegistry(paths).list(DATASET).stream().map(ModelVersion::version).toList();
  }

  private static FindBestResult hit(FindBestResult r) {
    return new FindBestResult(r.inferenceInformation(), r.crossValidation(), r.postprocessing(), r.model(),
        r.crossValidationDice(), r.crossValidationFovDice(), r.postprocessed(), r.cacheKey(), true);
  }

  private static PredictResult hit(PredictResult r) {
    return new PredictResult(r.predictions(), r.overlays(), r.numCases(), r.summary(), r.testDice(), r.testFovDice(),
        r.cacheKey(), true);
  }
}
