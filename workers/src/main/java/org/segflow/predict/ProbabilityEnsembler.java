package org.segflow.predict;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.segflow.InvalidInputException;
import org.segflow.evaluate.FolderEvaluator;
import org.segflow.evaluate.LabelMap;
import org.segflow.infer.Argmax;
import org.segflow.infer.LogitEnsemble;
import org.segflow.io.ImageArray;
import org.segflow.io.NpyFile.NpyArray;
import org.segflow.io.NpyFile;
import org.segflow.storage.AtomicFiles;

/**
 * nnU-Net's {@code nnUNetv2_ensemble}: every input folder holds the same CASE.npz files (key
 * {@code probabilities}, float32, (K, 1, H, W) as predict --save-probabilities writes them, or
 * (K, H, W)); per case the probabilities are averaged in float32 (summed, then divided by the number
 * of folders) and their argmax (the first class on ties) is written as the label image CASE.png, with
 * the averaged probabilities as CASE.npz when asked. One case is in memory at a time; each output
 * file appears atomically. dataset.json and plans.json of the first folder are copied, as nnU-Net does.
 */
public final class ProbabilityEnsembler {

  public static final String KEY = "probabilities";
  private static final String NPZ = ".npz";

  private ProbabilityEnsembler() {}

  /** @return the case identifiers written, sorted */
  public static List<String> ensemble(List<Path> inputs, Path output, boolean saveProbabilities) {
    if (inputs.size() < 2) {
      throw new InvalidInputException("ensembling needs at least two input folders, got " + inputs.size());
    }
    List<String> cases = commonCases(inputs);
    for (String id : cases) {
      LogitEnsemble sum = new LogitEnsemble();
      int[] shape = null;
      for (Path folder : inputs) {
        Path file = folder.resolve(id + NPZ);
        NpyArray p = probabilities(file);
        if (shape != null && !Arrays.equals(shape, p.shape())) {
          throw new InvalidInputException(file, "probabilities have shape " + Arrays.toString(p.shape())
              + " but " + inputs.get(0).resolve(id + NPZ) + " has " + Arrays.toString(shape));
        }
        shape = p.shape();
        int[] s = p.shape();
        sum.add(new ImageArray(s[0], s[s.length - 2], s[s.length - 1], p.floats()));
      }
      ImageArray mean = sum.mean();
      short[] labels = Argmax.labels(mean.data(), mean.channels(), mean.pixels());
      new LabelMap(mean.height(), mean.width(), labels).writePng(output.resolve(id + ".png"));
      if (saveProbabilities) {
        NpyFile.writeNpz(output.resolve(id + NPZ), Map.of(KEY, NpyArray.ofFloats(mean.data(), shape)), true);
      }
    }
    for (String json : List.of("dataset.json", "plans.json")) {
      Path source = inputs.get(0).resolve(json);
      if (Files.isRegularFile(source)) {
        try {
          AtomicFiles.write(output.resolve(json), Files.readAllBytes(source));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot copy " + source, e);
        }
      }
    }
    return cases;
  }

  /** The case identifiers (CASE of CASE.npz) every folder has; a difference is an error listing it. */
  static List<String> commonCases(List<Path> inputs) {
    List<TreeSet<String>> perFolder = new ArrayList<>();
    TreeSet<String> union = new TreeSet<>();
    for (Path folder : inputs) {
      TreeSet<String> ids = new TreeSet<>();
      for (String name : FolderEvaluator.listFiles(folder, NPZ)) {
        ids.add(name.substring(0, name.length() - NPZ.length()));
      }
      if (ids.isEmpty()) {
        throw new InvalidInputException(folder, "no probability files (CASE.npz); predict with "
            + "--save-probabilities to ensemble");
      }
      perFolder.add(ids);
      union.addAll(ids);
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      TreeSet<String> missing = new TreeSet<>(union);
      missing.removeAll(perFolder.get(i));
      if (!missing.isEmpty()) {
        problems.add(inputs.get(i) + " lacks " + missing);
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidInputException("the input folders do not hold the same cases: " + String.join("; ", problems));
    }
    return new ArrayList<>(union);
  }

  private static NpyArray probabilities(Path file) {
    NpyArray p = NpyFile.readNpz(file).get(KEY);
    if (p == null) {
      throw new InvalidInputException(file, "has no '" + KEY + "' array");
    }
    int[] s = p.shape();
    boolean shapeOk = s.length == 3 || (s.length == 4 && s[1] == 1);
    if (p.dtype() != NpyFile.DType.FLOAT32 || !shapeOk) {
      throw new InvalidInputException(file, "'" + KEY + "' must be float32 of shape (K, 1, H, W) or (K, H, W), got "
          + p.dtype().descr() + " " + Arrays.toString(s));
    }
    return p;
  }
}
