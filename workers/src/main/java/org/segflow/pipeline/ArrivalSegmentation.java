package org.segflow.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.SegmentationOutputs;
import org.segflow.contract.ShadowRequest;
import org.segflow.contract.ShadowResult;
import org.segflow.contract.TrustScores;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.RawDataset;
import org.segflow.evaluate.LabelMap;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;
import org.segflow.pipeline.ArrivedImages;
import org.segflow.pipeline.LoadedModel;
import org.segflow.pipeline.ReferenceLabels;
import org.segflow.pipeline.StepRefs;
import org.segflow.predict.CaseOutputs;
import org.segflow.predict.CasePrediction;
import org.segflow.predict.PredictionOptions;
import org.segflow.predict.Predictor;
import org.segflow.promotion.LiveShadow;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;
import org.segflow.trust.ScoredSegmentation;
import org.segflow.trust.TrustProfile;
import org.segflow.trust.TrustProfiles;

/**
 * Segments one arrived image with a published model version into
 * {@code predictions/DatasetNNN_Name/<version>/}: {@code <case>.png} (label map), {@code masks/} (0/255)
 * and {@code overlays/}, the case named {@code <file stem>_<first 12 hex of sha256>}. A retry finds the
 * complete outputs and returns them without predicting again. When the version has a trust profile the
 * image is scored too ({@code <case>.trust.json} beside the label map; the scores travel in the outputs),
 * unless scoring is switched off ({@link TrustProfiles#scoringEnabled}). A shadowed version segments into
 * {@code predictions/DatasetNNN_Name/shadow/<version>/} with a model of its own, so alternating the two
 * versions loads neither again ({@link #shadow}). The Temporal activity (InferenceActivitiesImpl) adds
 * the failure types and the meters.
 */
public final class ArrivalSegmentation implements AutoCloseable {

  /** Beside the label map: the image's trust scores, so a retry returns the same scores. */
  private static final String TRUST_SUFFIX = ".trust.json";

  private final SegflowPaths paths;
  private final ModelRegistry registry;
  private final LoadedModel loaded;
  private final LoadedModel shadowLoaded;
  private final TrustProfiles trustProfiles;
  private final boolean scoring;
  private final LiveShadow liveShadow;

  /** @param device "cpu" or "gpu"/"gpu0" ... */
  public ArrivalSegmentation(SegflowPaths paths, String device, int threads) {
    this.paths = paths;
    this.registry = new ModelRegistry(paths);
    this.loaded = new LoadedModel(registry, device, threads, PredictionOptions.defaults());
    this.shadowLoaded = new LoadedModel(registry, device, threads, PredictionOptions.defaults());
    this.trustProfiles = new TrustProfiles(paths);
    this.scoring = TrustProfiles.scoringEnabled();
    this.liveShadow = new LiveShadow(paths);
  }

  /**
   * The image segmented by {@code modelVersion}, or the outputs an earlier attempt wrote; {@code start}
   * (System.nanoTime()) dates the outputs' duration.
   */
  public SegmentationOutputs segment(InferenceRequest r, String modelVersion, long start) {
    ModelVersion version = registry.version(r.dataset(), modelVersion);
    return run(r, version, paths.predictions().resolve(version.dataset()).resolve(version.version()), loaded,
        start);
  }

  /**
   * The shadowed version's outputs beside the promoted ones (its own folder, its own loaded model), the
   * two masks compared with each other and with the reference labels, and the comparison recorded in
   * {@link LiveShadow}.
   */
  public ShadowResult shadow(ShadowRequest request) {
    long start = System.nanoTime();
    InferenceRequest r = request.request();
    ModelVersion version = registry.version(r.dataset(), request.shadowVersion());
    SegmentationOutputs out = run(r, version, liveShadow.dir(version), shadowLoaded, start);
    SegmentationOutputs promoted = request.promoted();
    DatasetLabels labels = DatasetLabels.of(RawDataset.readJson(paths.results().resolve(version.datasetJson().path())));
    LabelMap mine = LabelMap.read(StepRefs.resolve(paths, out.labelMap()));
    LabelMap theirs = LabelMap.read(StepRefs.verified(paths, promoted.labelMap()));
    Double agreement = present(ReferenceLabels.dice(theirs, mine, labels));
    Double dice = null;
    Double promotedDice = null;
    if (r.labelUri() != null) {
      LabelMap reference = ReferenceLabels.read(r.labelUri(), labels, mine.height(), mine.width());
      dice = present(ReferenceLabels.dice(reference, mine, labels));
      promotedDice = present(ReferenceLabels.dice(reference, theirs, labels));
    }
    String caseId = caseId(r);
    liveShadow.write(version, new LiveShadow.ImageRecord(r.imageUri(), r.sha256(), caseId,
        LiveShadow.Side.of(version.version(), dice, out.trust()),
        LiveShadow.Side.of(promoted.modelVersion(), promotedDice, promoted.trust()), agreement,
        java.time.Instant.now().toString()));
    return new ShadowResult(version.version(), promoted.modelVersion(), out, dice, promotedDice, agreement);
  }

  private static Double present(double d) {
    return Double.isNaN(d) ? null : d;
  }

  private static String caseId(InferenceRequest r) {
    return ImageFiles.stem(Path.of(r.imagePath())) + "_" + r.sha256().substring(0, Math.min(12, r.sha256().length()));
  }

  private SegmentationOutputs run(InferenceRequest r, ModelVersion version, Path dir, LoadedModel model,
      long start) {
    Path image = ArrivedImages.verified(r);
    String caseId = caseId(r);
    CaseOutputs outputs = new CaseOutputs(dir, caseId);
    Path scoresFile = dir.resolve(caseId + TRUST_SUFFIX);
    double foreground;
    int height;
    int width;
    TrustScores trust;
    // what scoring adds to this attempt (counted only when the image has scores): the segmentation's
    // own path is the same with and without a profile
    long scoreNanos;
    if (outputs.complete()) {
      ImageArray labels = ImageFiles.read(outputs.labelMap());
      foreground = foregroundFraction(labels);
      height = labels.height();
      width = labels.width();
      // a retry after the outputs were written keeps the scores of the prediction that wrote them
      long t = System.nanoTime();
      trust = Files.isRegularFile(scoresFile) ? Json.read(scoresFile, TrustScores.class) : null;
      scoreNanos = System.nanoTime() - t;
    } else {
      long t = System.nanoTime();
      TrustProfile profile = scoring ? trustProfiles.of(version).orElse(null) : null;
      scoreNanos = System.nanoTime() - t;
      synchronized (model) {
        Predictor predictor = model.predictor(version);
        ScoredSegmentation.Result scored = ScoredSegmentation.run(predictor, caseId, List.of(image), profile);
        CasePrediction p = scored.prediction();
        trust = scored.trust();
        scoreNanos += scored.scoreNanos();
        if (trust != null) {
          long w = System.nanoTime();
          Json.write(scoresFile, trust);
          scoreNanos += System.nanoTime() - w;
        }
        predictor.write(scored.prepared(), p, dir);
        foreground = ScoredSegmentation.foregroundFraction(p.labels());
        height = p.height();
        width = p.width();
      }
    }
    long scoreMillis = trust == null ? 0 : Math.max(1, (scoreNanos + 999_999) / 1_000_000);
    return new SegmentationOutputs(version.version(), StepRefs.of(paths, outputs.labelMap()),
        StepRefs.of(paths, outputs.mask()), StepRefs.of(paths, outputs.overlay()), foreground, height, width,
        (System.nanoTime() - start) / 1_000_000, trust, scoreMillis);
  }

  private static double foregroundFraction(ImageArray labels) {
    long n = 0;
    for (float v : labels.data()) {
      if (v != 0) {
        n++;
      }
    }
    return labels.data().length == 0 ? 0 : (double) n / labels.data().length;
  }

  @Override
  public void close() {
    loaded.close();
    shadowLoaded.close();
  }
}
