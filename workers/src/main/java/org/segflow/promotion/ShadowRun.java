package org.segflow.promotion;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.InvalidInputException;
import org.segflow.dataset.CaseNaming;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.DatasetName;
import org.segflow.dataset.RawDataset;
import org.segflow.evaluate.LabelMap;
import org.segflow.pipeline.ReferenceLabels;
import org.segflow.predict.InputCase;
import org.segflow.predict.InputScanner;
import org.segflow.predict.PredictionOptions;
import org.segflow.predict.Predictor;
import org.segflow.predict.TrainedModel;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;
import org.segflow.trust.ScoredSegmentation;
import org.segflow.trust.TrustProfiles;

/**
 * Segments the same images with the promoted version and a candidate, publishing nothing, and writes
 * the comparison beside the candidate ({@code models/<candidate>.shadow.json}) for {@link PromotionGate}:
 * each version's mean Dice against reference labels (when a labels folder holds them), its flagged
 * share and time per image, and how far the two agree (mean Dice of one against the other). At most
 * {@code limit} images, one model loaded at a time; only the baseline's label maps stay in memory.
 */
public final class ShadowRun {

  private final SegflowPaths paths;
  private final ModelRegistry registry;

  public ShadowRun(SegflowPaths paths) {
    this.paths = paths;
    this.registry = new ModelRegistry(paths);
  }

  public Path reportFile(ModelVersion candidate) {
    return paths.results().resolve(candidate.dataset()).resolve(ModelRegistry.MODELS)
        .resolve(candidate.version() + ".shadow.json");
  }

  /**
   * @param images a folder of images (default: the dataset's raw imagesTs)
   * @param labels reference label maps named like the cases (default: labelsTs beside imagesTs); may be absent
   */
  public ShadowReport run(String dataset, String candidateVersion, Path images, Path labels, int limit,
      Device device) {
    ModelVersion baseline = registry.requirePromoted(dataset);
    ModelVersion candidate = registry.version(dataset, candidateVersion);
    if (baseline.version().equals(candidate.version())) {
      throw new InvalidInputException(candidate.version() + " is the promoted version of " + candidate.dataset()
          + "; shadow a version that is not promoted");
    }
    Path raw = paths.raw().resolve(candidate.dataset());
    Path in = images != null ? images : raw.resolve(RawDataset.IMAGES_TS);
    Path refs = labels != null ? labels : in.resolveSibling("labelsTs");
    String ending = RawDataset.readJson(paths.results().resolve(candidate.datasetJson().path())).fileEnding();
    DatasetLabels datasetLabels = DatasetLabels.of(RawDataset.readJson(paths.results()
        .resolve(candidate.datasetJson().path())));
    List<InputCase> cases = InputScanner.scan(in, ending, CaseNaming.ofRawDataset(raw,
        DatasetName.parse(candidate.dataset()).name(), ending)).cases();
    cases = cases.subList(0, Math.min(limit, cases.size()));
    if (cases.isEmpty()) {
      throw new InvalidInputException(in, "no images to shadow");
    }
    List<LabelMap> baselineMaps = new ArrayList<>();
    ShadowReport.VersionResult b = segment(baseline, cases, refs, ending, datasetLabels, device, baselineMaps,
        null);
    List<Double> agreement = new ArrayList<>();
    ShadowReport.VersionResult c = segment(candidate, cases, refs, ending, datasetLabels, device, baselineMaps,
        agreement);
    ShadowReport report = new ShadowReport(c, b, cases.size(), mean(agreement), in.toString());
    Json.write(reportFile(candidate), report);
    return report;
  }

  /**
   * Segments every case with {@code v}; with {@code agreement} null the label maps are kept in
   * {@code maps}, otherwise each is compared with the kept one of the same case.
   */
  private ShadowReport.VersionResult segment(ModelVersion v, List<InputCase> cases, Path refs, String ending,
      DatasetLabels datasetLabels, Device device, List<LabelMap> maps, List<Double> agreement) {
    var profile = new TrustProfiles(paths).of(v).orElse(null);
    List<Double> dices = new ArrayList<>();
    int flagged = 0;
    long start = System.nanoTime();
    try (TrainedModel model = TrainedModel.load(registry.files(v), device, v.postprocessing() != null)) {
      Predictor predictor = new Predictor(model, PredictionOptions.defaults().withTta(v.tta()));
      for (int i = 0; i < cases.size(); i++) {
        InputCase c = cases.get(i);
        ScoredSegmentation.Result r = ScoredSegmentation.run(predictor, c.id(), c.files(), profile);
        LabelMap map = new LabelMap(r.prediction().height(), r.prediction().width(), r.prediction().labels());
        if (r.trust() != null && r.trust().flagged()) {
          flagged++;
        }
        Path ref = refs.resolve(c.id() + ending);
        if (Files.isRegularFile(ref)) {
          double d = ReferenceLabels.dice(ReferenceLabels.read(ref.toAbsolutePath().toString(), datasetLabels,
              map.height(), map.width()), map, datasetLabels);
          if (!Double.isNaN(d)) {
            dices.add(d);
          }
        }
        if (agreement == null) {
          maps.add(map);
        } else {
          double d = ReferenceLabels.dice(maps.get(i), map, datasetLabels);
          if (!Double.isNaN(d)) {
            agreement.add(d);
          }
        }
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9 / cases.size();
    return new ShadowReport.VersionResult(v.version(), mean(dices),
        profile == null ? null : (double) flagged / cases.size(), seconds);
  }

  private static Double mean(List<Double> values) {
    return values.isEmpty() ? null : values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }
}
