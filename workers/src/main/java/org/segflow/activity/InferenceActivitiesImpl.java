package org.segflow.activity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.segflow.contract.InferenceActivities;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.SegmentRequest;
import org.segflow.contract.SegmentationOutputs;
import org.segflow.contract.TrustScores;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;
import org.segflow.metrics.InferenceMetrics;
import org.segflow.pipeline.ArrivedImages;
import org.segflow.pipeline.LoadedModel;
import org.segflow.pipeline.StepRefs;
import org.segflow.predict.CaseOutputs;
import org.segflow.predict.CasePrediction;
import org.segflow.predict.PredictionOptions;
import org.segflow.predict.Predictor;
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
 * image is scored too ({@code <case>.trust.json} beside the label map; the scores travel in the outputs).
 */
public final class InferenceActivitiesImpl implements InferenceActivities, AutoCloseable {

  /** Beside the label map: the image's trust scores, so a retry returns the same scores. */
  static final String TRUST_SUFFIX = ".trust.json";

  private final SegflowPaths paths;
  private final ModelRegistry registry;
  private final LoadedModel loaded;
  private final InferenceMetrics metrics;
  private final TrustProfiles trustProfiles;

  /**
   * @param device  "cpu" or "gpu"/"gpu0" ...
   * @param metrics where latency and outcomes go; null for none
   */
  public InferenceActivitiesImpl(SegflowPaths paths, String device, int threads, InferenceMetrics metrics) {
    this.paths = paths;
    this.registry = new ModelRegistry(paths);
    this.loaded = new LoadedModel(registry, device, threads, PredictionOptions.defaults());
    this.metrics = metrics;
    this.trustProfiles = new TrustProfiles(paths);
  }

  @Override
  public SegmentationOutputs segment(SegmentRequest request) {
    long start = System.nanoTime();
    InferenceRequest r = request.request();
    try {
      SegmentationOutputs out = Failures.invalidInputIsFinal(() -> run(request, start));
      record(r.dataset(), InferenceMetrics.Outcome.OK, start);
      return out;
    } catch (io.temporal.failure.ApplicationFailure e) {
      record(r.dataset(), InferenceMetrics.Outcome.REJECTED, start);
      throw e;
    } catch (RuntimeException | Error e) {
      record(r.dataset(), InferenceMetrics.Outcome.FAILED, start);
      throw e;
    }
  }

  private SegmentationOutputs run(SegmentRequest request, long start) {
    InferenceRequest r = request.request();
    Path image = ArrivedImages.verified(r);
    ModelVersion version = registry.version(r.dataset(), request.modelVersion());
    Path dir = paths.predictions().resolve(version.dataset()).resolve(version.version());
    String caseId = ImageFiles.stem(image) + "_" + r.sha256().substring(0, Math.min(12, r.sha256().length()));
    CaseOutputs outputs = new CaseOutputs(dir, caseId);
    Path scoresFile = dir.resolve(caseId + TRUST_SUFFIX);
    double foreground;
    int height;
    int width;
    TrustScores trust;
    if (outputs.complete()) {
      ImageArray labels = ImageFiles.read(outputs.labelMap());
      foreground = foregroundFraction(labels);
      height = labels.height();
      width = labels.width();
      // a retry after the outputs were written keeps the scores of the prediction that wrote them
      trust = Files.isRegularFile(scoresFile) ? Json.read(scoresFile, TrustScores.class) : null;
    } else {
      TrustProfile profile = trustProfiles.of(version).orElse(null);
      synchronized (loaded) {
        Predictor predictor = loaded.predictor(version);
        ScoredSegmentation.Result scored = ScoredSegmentation.run(predictor, caseId, List.of(image), profile);
        CasePrediction p = scored.prediction();
        trust = scored.trust();
        if (trust != null) {
          Json.write(scoresFile, trust);
        }
        predictor.write(scored.prepared(), p, dir);
        foreground = foregroundFraction(p.labels());
        height = p.height();
        width = p.width();
      }
    }
    return new SegmentationOutputs(version.version(), StepRefs.of(paths, outputs.labelMap()),
        StepRefs.of(paths, outputs.mask()), StepRefs.of(paths, outputs.overlay()), foreground, height, width,
        (System.nanoTime() - start) / 1_000_000, trust);
  }

  static double foregroundFraction(short[] labels) {
    long n = 0;
    for (short l : labels) {
      if (l != 0) {
        n++;
      }
    }
    return labels.length == 0 ? 0 : (double) n / labels.length;
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

  private void record(String dataset, InferenceMetrics.Outcome outcome, long start) {
    if (metrics != null) {
      metrics.record(dataset, outcome, (System.nanoTime() - start) / 1e9);
    }
  }

  @Override
  public void close() {
    loaded.close();
  }
}
