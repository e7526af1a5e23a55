package org.segflow.preprocess;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageArray;
import org.segflow.io.NpyFile;
import org.segflow.io.NpyFile.NpyArray;
import org.segflow.preprocess.PreprocessedCase.CaseProperties;
import org.segflow.storage.Json;

/**
 * Preprocessed cases on disk, in a format numpy and Java both read without extra libraries (nnU-Net
 * itself uses Blosc2 and pickle). Per case {@code CASE} in a configuration folder such as
 * {@code preprocessed/DatasetXXX/nnUNetPlans_2d/}:
 *
 * <ul>
 *   <li>{@code CASE.npy}: the normalized image, float32 little-endian, shape (C, 1, H, W) in the
 *       cropped geometry (numpy .npy version 1.0, C order; {@code numpy.load} reads it).
 *   <li>{@code CASE_seg.npy}: the segmentation, int16, shape (1, 1, H, W); -1 marks background
 *       outside the nonzero region. Absent for unlabelled (inference) cases.
 *   <li>{@code CASE_locations.npy}: the class locations for foreground oversampling, int32, shape
 *       (N, 3), one row (label, y, x) per location, grouped by label in ascending label order and in
 *       draw order within a label. N is the sum of the counts in the JSON. Absent when unlabelled.
 *   <li>{@code CASE.json}: nnU-Net's properties: {@code bbox_used_for_cropping} ([[0, 1], [y0, y1],
 *       [x0, x1]], half-open), {@code class_locations} ({"label": number of locations}, every
 *       foreground label, 0 when absent; omitted when unlabelled),
 *       {@code shape_after_cropping_and_before_resampling} ([1, H, W]), {@code shape_before_cropping}
 *       ([1, H0, W0]) and {@code spacing} ([999.0, 1.0, 1.0]).
 * </ul>
 *
 * Each file is written atomically (temporary name, then rename) and the JSON last, so a case whose
 * JSON exists is complete. Output is deterministic: the same case gives byte-identical files.
 */
public final class PreprocessedStore {

  private PreprocessedStore() {}

  public static Path dataFile(Path dir, String caseId) {
    return dir.resolve(caseId + ".npy");
  }

  public static Path segFile(Path dir, String caseId) {
    return dir.resolve(caseId + "_seg.npy");
  }

  public static Path locationsFile(Path dir, String caseId) {
    return dir.resolve(caseId + "_locations.npy");
  }

  public static Path propertiesFile(Path dir, String caseId) {
    return dir.resolve(caseId + ".json");
  }

  /** Writes the case's files into {@code dir} (created if needed), the JSON last. */
  public static void write(Path dir, PreprocessedCase pc) {
    ImageArray data = pc.data();
    int h = data.height();
    int w = data.width();
    NpyFile.write(dataFile(dir, pc.caseId()),
        NpyArray.ofFloats(data.data(), data.channels(), 1, h, w));
    Map<String, Integer> counts = null;
    if (pc.seg() != null) {
      if (pc.seg().length != h * w) {
        throw new IllegalArgumentException("case " + pc.caseId() + ": seg has " + pc.seg().length
            + " pixels, data " + h + "x" + w);
      }
      NpyFile.write(segFile(dir, pc.caseId()), NpyArray.ofShorts(pc.seg(), 1, 1, h, w));
      counts = new LinkedHashMap<>();
      Map<Integer, int[]> sorted = new TreeMap<>(pc.classLocations());
      int total = sorted.values().stream().mapToInt(a -> a.length).sum();
      int[] rows = new int[total * 3];
      int r = 0;
      for (Map.Entry<Integer, int[]> e : sorted.entrySet()) {
        counts.put(String.valueOf(e.getKey()), e.getValue().length);
        for (int p : e.getValue()) {
          rows[r++] = e.getKey();
          rows[r++] = p / w;
          rows[r++] = p % w;
        }
      }
      NpyFile.write(locationsFile(dir, pc.caseId()), NpyArray.ofInts(rows, total, 3));
    }
    CaseProperties p = pc.properties();
    Json.write(propertiesFile(dir, pc.caseId()), new PropertiesJson(p.bboxUsedForCropping(), counts,
        p.shapeAfterCroppingAndBeforeResampling(), p.shapeBeforeCropping(), p.spacing()));
  }

  /** Reads a case written by {@link #write}; the seg is null and the locations empty if unlabelled. */
  public static PreprocessedCase read(Path dir, String caseId) {
    Path jsonFile = propertiesFile(dir, caseId);
    PropertiesJson props = Json.read(jsonFile, PropertiesJson.class);
    int[] shape = props.shapeAfterCropping();
    if (shape == null || shape.length != 3 || shape[0] != 1) {
      throw new InvalidInputException(jsonFile,
          "shape_after_cropping_and_before_resampling must be [1, H, W], got " + Arrays.toString(shape));
    }
    int h = shape[1];
    int w = shape[2];
    Path dataPath = dataFile(dir, caseId);
    NpyArray dataArray = NpyFile.read(dataPath);
    int[] ds = dataArray.shape();
    if (ds.length != 4 || ds[1] != 1 || ds[2] != h || ds[3] != w
        || dataArray.dtype() != NpyFile.DType.FLOAT32) {
      throw new InvalidInputException(dataPath, "expected float32 of shape (C, 1, " + h + ", " + w
          + "), found " + dataArray);
    }
    ImageArray data = new ImageArray(ds[0], h, w, dataArray.floats());
    short[] seg = null;
    Map<Integer, int[]> locations = Map.of();
    if (props.classLocations() != null) {
      Path segPath = segFile(dir, caseId);
      NpyArray segArray = NpyFile.read(segPath);
      if (segArray.dtype() != NpyFile.DType.INT16
          || !Arrays.equals(segArray.shape(), new int[] {1, 1, h, w})) {
        throw new InvalidInputException(segPath, "expected int16 of shape (1, 1, " + h + ", " + w
            + "), found " + segArray);
      }
      seg = segArray.shorts();
      locations = readLocations(locationsFile(dir, caseId), props.classLocations(), w);
    }
    CaseProperties properties = new CaseProperties(props.shapeBeforeCropping(),
        props.bboxUsedForCropping(), shape, props.spacing());
    return new PreprocessedCase(caseId, data, seg, locations, properties);
  }

  private static Map<Integer, int[]> readLocations(Path file, Map<String, Integer> counts, int w) {
    NpyArray array = NpyFile.read(file);
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    if (array.dtype() != NpyFile.DType.INT32
        || !Arrays.equals(array.shape(), new int[] {total, 3})) {
      throw new InvalidInputException(file, "expected int32 of shape (" + total + ", 3) to match the "
          + "class_locations counts, found " + array);
    }
    int[] rows = array.ints();
    Map<Integer, List<Integer>> byLabel = new TreeMap<>();
    for (String key : counts.keySet()) {
      byLabel.put(Integer.valueOf(key), new ArrayList<>());
    }
    for (int r = 0; r < total; r++) {
      List<Integer> list = byLabel.get(rows[3 * r]);
      if (list == null) {
        throw new InvalidInputException(file, "row " + r + " has label " + rows[3 * r]
            + " which the class_locations counts do not list");
      }
      list.add(rows[3 * r + 1] * w + rows[3 * r + 2]);
    }
    Map<Integer, int[]> out = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<Integer>> e : byLabel.entrySet()) {
      if (e.getValue().size() != counts.get(String.valueOf(e.getKey()))) {
        throw new InvalidInputException(file, "label " + e.getKey() + " has " + e.getValue().size()
            + " rows, the JSON says " + counts.get(String.valueOf(e.getKey())));
      }
      out.put(e.getKey(), e.getValue().stream().mapToInt(Integer::intValue).toArray());
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** The CASE.json content. */
  @JsonPropertyOrder({"bbox_used_for_cropping", "class_locations",
      "shape_after_cropping_and_before_resampling", "shape_before_cropping", "spacing"})
  record PropertiesJson(
      @JsonProperty("bbox_used_for_cropping") int[][] bboxUsedForCropping,
      @JsonInclude(JsonInclude.Include.NON_NULL)
      @JsonProperty("class_locations") Map<String, Integer> classLocations,
      @JsonProperty("shape_after_cropping_and_before_resampling") int[] shapeAfterCropping,
      @JsonProperty("shape_before_cropping") int[] shapeBeforeCropping,
      @JsonProperty("spacing") double[] spacing) {}
}
