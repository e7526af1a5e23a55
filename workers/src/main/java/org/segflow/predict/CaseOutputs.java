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
 * map), {@code CASE_mask.png} (0/255), {@code CASE_overlay.png} and, with probabilities,
 * {@code CASE.npz} (key {@code probabilities}, float32 (K, 1, H, W)). Each is written atomically,
 * and the label map last, so a case whose label map exists was written whole.
 */
public record CaseOutputs(Path dir, String caseId) {

  public static final String PROBABILITIES_KEY = "probabilities";

  public Path labelMap() {
    return dir.resolve(caseId + ".png");
  }

  public Path mask() {
    return dir.resolve(caseId + "_mask.png");
  }

  public Path overlay() {
    return dir.resolve(caseId + "_overlay.png");
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

  /** True when every output exists (--continue-prediction skips such cases). */
  public boolean complete(boolean withProbabilities) {
    return all(withProbabilities).stream().allMatch(Files::isRegularFile);
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
