package org.segflow.predict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.segflow.io.ImageArray;
import org.segflow.io.NpyFile;
import org.segflow.io.PngWriter;
import org.segflow.storage.AtomicFiles;

/**
 * The files one case's prediction writes into the output folder: {@code CASE.png} (nnU-Net's label
 * map), {@code masks/CASE.png} (0/255, for people), {@code overlays/CASE.png} and, with
 * probabilities, {@code CASE.npz} (key {@code probabilities}, float32 (K, 1, H, W)). The top level
 * holds only label maps, so {@code segflow evaluate OUT REF} works on it as nnU-Net's evaluation
 * does. Each file is written atomically, the label map last, so a case whose label map exists was
 * written whole.
 */
public record CaseOutputs(Path dir, String caseId) {

  public static final String PROBABILITIES_KEY = "probabilities";
  public static final String MASKS = "masks";
  public static final String OVERLAYS = "overlays";

  public Path labelMap() {
    return dir.resolve(caseId + ".png");
  }

  public Path mask() {
    return dir.resolve(MASKS).resolve(caseId + ".png");
  }

  public Path overlay() {
    return dir.resolve(OVERLAYS).resolve(caseId + ".png");
  }

  public Path probabilities() {
    return dir.resolve(caseId + ".npz");
  }

  /** Every output of the case, in writing order. */
  public List<Path> all(boolean withProbabilities) {
    List<Path> out = new ArrayList<>();
    if (withProbabilities) {
      out.add(probabilities());
    }
    out.add(overlay());
    out.add(mask());
    out.add(labelMap());
    return out;
  }

  /** Whether the label map, mask and overlay all exist. */
  public boolean complete() {
    return all(false).stream().allMatch(Files::isRegularFile);
  }

  /** Whether the label map, mask, overlay and the probabilities all exist. */
  public boolean completeWithProbabilities() {
    return all(true).stream().allMatch(Files::isRegularFile);
  }

  /**
   * Whether every output a run with {@code options} writes exists (--continue-prediction skips such
   * cases): the probabilities count only when the options save them.
   */
  public boolean complete(PredictionOptions options) {
    return options.saveProbabilities() ? completeWithProbabilities() : complete();
  }

  /** Writes the prediction; {@code prediction.probabilities()} may be null when not saved. */
  public void write(CasePrediction prediction, ImageArray overlay) {
    int h = prediction.height();
    int w = prediction.width();
    if (prediction.probabilities() != null) {
      ImageArray p = prediction.probabilities();
      NpyFile.writeNpz(probabilities(), Map.of(PROBABILITIES_KEY,
          NpyFile.NpyArray.ofFloats(p.data(), p.channels(), 1, h, w)), true);
    }
    AtomicFiles.write(overlay(), PngWriter.encodeRgb8(overlay));
    AtomicFiles.write(mask(), PngWriter.encodeGray8(Overlay.mask(prediction.labels(), h, w,
        prediction.classes())));
    float[] labels = new float[prediction.labels().length];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = prediction.labels()[i];
    }
    AtomicFiles.write(labelMap(), PngWriter.encodeLabelMap(new ImageArray(1, h, w, labels)));
  }
}
