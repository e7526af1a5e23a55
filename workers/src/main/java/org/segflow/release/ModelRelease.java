package org.segflow.release;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.segflow.dataset.DatasetName;
import org.segflow.findbest.BestConfigurationFinder;
import org.segflow.findbest.ModelIdentifier;
import org.segflow.net.Engines;
import org.segflow.predict.ModelFiles;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.SegflowPaths;
import org.segflow.trust.TrustCalibration;
import org.segflow.trust.TrustProfile;
import org.segflow.trust.TrustProfiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the model find-best chose: a version in the dataset's model registry (the first version is
 * promoted; publishing the same files again returns the existing version) with its trust profile, so
 * arriving images are segmented and scored by it. The pipeline's find-best step and
 * {@code segflow find-best} release alike.
 */
public final class ModelRelease {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRelease.class);

  private final SegflowPaths paths;

  public ModelRelease(SegflowPaths paths) {
    this.paths = paths;
  }

  /** Publishes the final checkpoints of {@code found}'s best model over its folds. */
  public ModelVersion publish(BestConfigurationFinder.Result found) {
    return publish(found.dataset(), found.best().model().model(), found.folds(), Map.of());
  }

  /**
   * Publishes the final checkpoints of {@code model} over {@code folds}; {@code verified} are sha256s of
   * checkpoints the caller has just checked (by absolute path), not read again. The registry answers
   * with the version already published from the same files: the pipeline's find-best publishes on every
   * run, also when its step cache answered.
   */
  public ModelVersion publish(DatasetName dataset, ModelIdentifier model, List<Integer> folds,
      Map<Path, String> verified) {
    ModelVersion version = new ModelRegistry(paths).publish(new ModelRegistry.Publication(
        dataset.folderName(), model.configuration(), model.plansIdentifier(),
        folds.stream().map(String::valueOf).toList(), ModelFiles.CheckpointChoice.FINAL), verified);
    LOG.info("model {} published for {}", version.version(), dataset.folderName());
    calibrate(version);
    return version;
  }

  /**
   * The version's trust profile (drift and confidence thresholds from the cross-validation), once per
   * version. Without one the model still segments, unscored, so a failure is logged, not thrown.
   */
  private void calibrate(ModelVersion version) {
    TrustProfiles profiles = new TrustProfiles(paths);
    if (Files.isRegularFile(profiles.file(version))) {
      return;
    }
    try {
      TrustProfile p = new TrustCalibration(paths).calibrate(version, Engines.device("cpu", Engines.pytorch(0)));
      LOG.info("trust profile of {} {}: drift threshold {}, confidence threshold {}, from {} cross-validation"
          + " cases", version.dataset(), version.version(), p.drift().threshold(), p.confidence().threshold(),
          p.crossvalCases());
    } catch (RuntimeException e) {
      LOG.warn("no trust profile for {} {}: its images will not be scored ({})", version.dataset(),
          version.version(), e.getMessage(), e);
    }
  }
}
