package org.segflow.trust;

import ai.djl.Device;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetJson;
import org.segflow.dataset.RawDataset;
import org.segflow.evaluate.LabelMap;
import org.segflow.io.ImageArray;
import org.segflow.predict.ChannelConverter;
import org.segflow.predict.ModelFiles;
import org.segflow.predict.PredictionOptions;
import org.segflow.predict.Predictor;
import org.segflow.predict.TrainedModel;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.SegflowPaths;

/**
 * Computes a model version's {@link TrustProfile} from what training left on disk: the training
 * images (raw imagesTr, labelsTr) and each fold's held-out cases (the label maps in
 * fold_N/validation/). Thresholds come from held-out data only: drift scores of each fold's
 * validation images against a reference built without them, the foreground fraction of the
 * validation label maps, and the confidence of each fold's own network on its validation images
 * (with the version's test-time mirroring). Images are read one at a time; only their features stay.
 */
public final class TrustCalibration {

  private final SegflowPaths paths;
  private final ModelRegistry registry;

  public TrustCalibration(SegflowPaths paths) {
    this.paths = paths;
    this.registry = new ModelRegistry(paths);
  }

  /** Computes and writes the version's profile; returns it. */
  public TrustProfile calibrate(ModelVersion v, Device device) {
    ModelFiles files = registry.files(v);
    DatasetJson json = RawDataset.readJson(files.datasetJsonFile());
    String ending = json.fileEnding();
    Path raw = paths.raw().resolve(v.dataset());
    ChannelConverter converter = new ChannelConverter(json.channels());
    List<String> ids = RawDataset.identifiers(raw.resolve(RawDataset.IMAGES_TR), ending);
    Map<String, Map<String, Double>> features = new LinkedHashMap<>();
    List<Double> labelFractions = new ArrayList<>();
    for (String id : ids) {
      features.put(id, ImageStatistics.of(converter.read(imageFiles(raw, id, ending)).image()));
      Path label = raw.resolve(RawDataset.LABELS_TR).resolve(id + ending);
      if (Files.isRegularFile(label)) {
        labelFractions.add(ScoredSegmentation.foregroundFraction(LabelMap.read(label).labels()));
      }
    }
    if (features.isEmpty()) {
      throw new InvalidInputException(raw.resolve(RawDataset.IMAGES_TR), "no training images to calibrate on");
    }
    Map<String, List<String>> heldOut = new LinkedHashMap<>();
    for (String fold : v.folds()) {
      heldOut.put(fold, validationCases(files.trainerDir().resolve("fold_" + fold).resolve("validation"), ending)
          .stream().filter(features::containsKey).toList());
    }
    int crossval = heldOut.values().stream().mapToInt(List::size).sum();
    if (crossval == 0) {
      throw new InvalidInputException(files.trainerDir(), "no validation predictions in fold_N/validation/ of"
          + " folds " + v.folds() + ": the trust thresholds need the cross-validation outputs");
    }

    // drift: each fold's held-out images against the images it trained on
    List<Double> driftScores = new ArrayList<>();
    for (List<String> cases : heldOut.values()) {
      Set<String> held = Set.copyOf(cases);
      List<Map<String, Double>> train = features.entrySet().stream().filter(e -> !held.contains(e.getKey()))
          .map(Map.Entry::getValue).toList();
      if (train.isEmpty()) {
        continue;
      }
      Map<String, TrustProfile.Feature> ref = DriftReference.build(train);
      for (String id : cases) {
        driftScores.add(DriftReference.score(ref, features.get(id)).value());
      }
    }
    double[] drift = unbox(driftScores);
    TrustProfile.Drift driftProfile = new TrustProfile.Drift(converter.channels(),
        DriftReference.build(List.copyOf(features.values())), DriftReference.threshold(drift),
        drift.length == 0 ? Double.NaN : Percentiles.of(drift, 99));

    // foreground fraction: training labels as the reference, the folds' validation label maps for the threshold
    double[] fractions = unbox(labelFractions);
    double median = fractions.length == 0 ? 0 : Percentiles.of(fractions, 50);
    double scale = Math.max(fractions.length == 0 ? 0 : Percentiles.robustSd(fractions, median), 0.005);
    List<Double> fgScores = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : heldOut.entrySet()) {
      Path dir = files.trainerDir().resolve("fold_" + e.getKey()).resolve("validation");
      for (String id : e.getValue()) {
        double f = ScoredSegmentation.foregroundFraction(LabelMap.read(dir.resolve(id + ending)).labels());
        fgScores.add(Math.abs(f - median) / scale);
      }
    }
    TrustProfile.Foreground foreground = new TrustProfile.Foreground(median, scale,
        DriftReference.threshold(unbox(fgScores)));

    // confidence: each fold's network alone on the cases it did not train on
    List<Double> confidences = new ArrayList<>();
    for (ModelFiles.FoldCheckpoint fc : files.checkpoints()) {
      List<String> cases = heldOut.getOrDefault(fc.fold(), List.of());
      if (cases.isEmpty()) {
        continue;
      }
      try (TrainedModel model = TrainedModel.load(files.withCheckpoints(List.of(fc)), device, false)) {
        Predictor predictor = new Predictor(model, PredictionOptions.defaults().withTta(v.tta()));
        for (String id : cases) {
          ChannelConverter.Converted read = converter.read(imageFiles(raw, id, ending));
          ImageArray logits = predictor.logits(predictor.prepare(id, read.image(), read.firstFile()));
          confidences.add(SoftmaxConfidence.of(logits));
        }
      }
    }
    double[] conf = unbox(confidences);
    TrustProfile.Confidence confidence = new TrustProfile.Confidence(Percentiles.of(conf, 1),
        Percentiles.of(conf, 50));

    TrustProfile profile = new TrustProfile(v.version(), v.folds(), features.size(), crossval, driftProfile,
        confidence, foreground);
    new TrustProfiles(paths).write(v, profile);
    return profile;
  }

  /** CASE_0000.png, CASE_0001.png ... of one training case, in channel order. */
  private static List<Path> imageFiles(Path raw, String id, String ending) {
    Pattern p = Pattern.compile(Pattern.quote(id) + "_\\d{4}" + Pattern.quote(ending));
    try (Stream<Path> s = Files.list(raw.resolve(RawDataset.IMAGES_TR))) {
      List<Path> out = s.filter(f -> p.matcher(f.getFileName().toString()).matches()).sorted().toList();
      if (out.isEmpty()) {
        throw new InvalidInputException(raw.resolve(RawDataset.IMAGES_TR), "no image files of case " + id);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + raw.resolve(RawDataset.IMAGES_TR), e);
    }
  }

  private static List<String> validationCases(Path dir, String ending) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(ending))
          .map(n -> n.substring(0, n.length() - ending.length())).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  private static double[] unbox(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
