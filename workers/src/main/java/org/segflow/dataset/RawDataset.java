package org.segflow.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.storage.Json;

/**
 * An nnU-Net raw dataset folder: dataset.json, imagesTr/, labelsTr/, and optionally
 * imagesTs/, labelsTs/ (test labels, for evaluation) and segflow's FOV masks masksTr/, masksTs/.
 * Opening reads dataset.json and discovers the cases; it does not read any image (see
 * {@link IntegrityVerifier} for that).
 */
public final class RawDataset {

  public static final String DATASET_JSON = "dataset.json";
  public static final String IMAGES_TR = "imagesTr";
  public static final String LABELS_TR = "labelsTr";
  public static final String IMAGES_TS = "imagesTs";
  public static final String LABELS_TS = "labelsTs";
  public static final String MASKS_TR = "masksTr";
  public static final String MASKS_TS = "masksTs";

  private static final Pattern ENV = Pattern.compile("\\$(\\w+|\\{[^}]*})");

  private final Path dir;
  private final DatasetJson json;
  private final boolean explicitCases;
  private final List<RawCase> training;
  private final List<RawCase> test;

  private RawDataset(Path dir, DatasetJson json, boolean explicitCases, List<RawCase> training,
      List<RawCase> test) {
    this.dir = dir;
    this.json = json;
    this.explicitCases = explicitCases;
    this.training = List.copyOf(training);
    this.test = List.copyOf(test);
  }

  /**
   * Opens {@code dir}: dataset.json must exist with its required keys, and imagesTr/ must exist
   * unless dataset.json lists the cases under {@code "dataset"}. Label files are named as nnU-Net
   * expects them ({@code labelsTr/CASE + file_ending}) whether or not they exist.
   */
  public static RawDataset open(Path dir) {
    Path jsonFile = dir.resolve(DATASET_JSON);
    DatasetJson json = readJson(jsonFile);
    List<String> missing = missingKeys(json);
    if (!missing.isEmpty()) {
      throw new InvalidInputException(jsonFile, "missing required key(s) " + missing);
    }
    JsonNode explicit = datasetNode(jsonFile);
    String ending = json.fileEnding();
    List<RawCase> training;
    if (explicit != null) {
      training = explicitCases(dir, explicit, ending, jsonFile);
    } else {
      Path imagesTr = dir.resolve(IMAGES_TR);
      if (!Files.isDirectory(imagesTr)) {
        throw new InvalidInputException(imagesTr, "folder not found (an nnU-Net raw dataset has"
            + " imagesTr/ and labelsTr/)");
      }
      training = discover(dir, IMAGES_TR, LABELS_TR, MASKS_TR, ending, true);
    }
    List<RawCase> test = Files.isDirectory(dir.resolve(IMAGES_TS))
        ? discover(dir, IMAGES_TS, LABELS_TS, MASKS_TS, ending, false) : List.of();
    return new RawDataset(dir, json, explicit != null, training, test);
  }

  public Path dir() {
    return dir;
  }

  public DatasetJson json() {
    return json;
  }

  public String fileEnding() {
    return json.fileEnding();
  }

  /** channel_names (or the legacy modality), index -> name. */
  public Map<String, String> channelNames() {
    return json.channels();
  }

  /** The labels, checked as nnU-Net's LabelManager does (InvalidInputException if wrong). */
  public DatasetLabels labels() {
    return DatasetLabels.of(json);
  }

  /** True when dataset.json lists the training cases itself under {@code "dataset"}. */
  public boolean explicitCases() {
    return explicitCases;
  }

  /** Training cases in nnU-Net's order: sorted ids (or dataset.json order for "dataset"). */
  public List<RawCase> trainingCases() {
    return training;
  }

  /** Cases of imagesTs/, sorted; label = labelsTs/CASE if present, else null. */
  public List<RawCase> testCases() {
    return test;
  }

  /** Parses dataset.json; InvalidInputException if it is missing or not valid JSON. */
  public static DatasetJson readJson(Path jsonFile) {
    if (!Files.isRegularFile(jsonFile)) {
      throw new InvalidInputException(jsonFile, "file not found (every nnU-Net raw dataset has a"
          + " dataset.json)");
    }
    return Json.read(jsonFile, DatasetJson.class);
  }

  /** Required keys absent from {@code json}, in nnU-Net's order. */
  public static List<String> missingKeys(DatasetJson json) {
    List<String> missing = new ArrayList<>();
    if (json.labels() == null) {
      missing.add("labels");
    }
    if (json.channels() == null) {
      missing.add("channel_names");
    }
    if (json.numTraining() == null) {
      missing.add("numTraining");
    }
    if (json.fileEnding() == null) {
      missing.add("file_ending");
    }
    return missing;
  }

  /** The {@code "dataset"} object of dataset.json, or null when absent. */
  static JsonNode datasetNode(Path jsonFile) {
    try {
      JsonNode node = Json.mapper().readTree(jsonFile.toFile()).get("dataset");
      return node == null || node.isNull() ? null : node;
    } catch (IOException e) {
      throw new InvalidInputException(jsonFile, "not valid JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Case identifiers of a folder, as nnU-Net: every file name ending with {@code fileEnding}, minus
   * {@code len(fileEnding) + 5} characters, unique and sorted.
   */
  public static List<String> identifiers(Path folder, String fileEnding) {
    TreeSet<String> ids = new TreeSet<>();
    int crop = fileEnding.length() + 5;
    for (String name : fileNames(folder)) {
      if (name.endsWith(fileEnding)) {
        ids.add(name.substring(0, Math.max(0, name.length() - crop)));
      }
    }
    return new ArrayList<>(ids);
  }

  /** The files of {@code caseId} in sorted order: names fully matching {@code CASE_\d{4}+ending}. */
  public static List<Path> channelFiles(Path folder, String caseId, String fileEnding) {
    return channelFiles(folder, caseId, fileEnding, fileNames(folder));
  }

  private static List<Path> channelFiles(Path folder, String caseId, String fileEnding,
      List<String> sortedNames) {
    Pattern p = Pattern.compile(Pattern.quote(caseId) + "_\\d{4}" + Pattern.quote(fileEnding));
    List<Path> files = new ArrayList<>();
    for (String name : sortedNames) {
      if (p.matcher(name).matches()) {
        files.add(folder.resolve(name));
      }
    }
    return files;
  }

  private static List<RawCase> discover(Path dir, String images, String labels, String masks,
      String ending, boolean labelAlways) {
    Path imageDir = dir.resolve(images);
    List<String> names = fileNames(imageDir);
    List<RawCase> cases = new ArrayList<>();
    for (String id : identifiers(imageDir, ending)) {
      Path label = dir.resolve(labels).resolve(id + ending);
      Path mask = dir.resolve(masks).resolve(id + ending);
      cases.add(new RawCase(id, channelFiles(imageDir, id, ending, names),
          labelAlways || Files.isRegularFile(label) ? label : null,
          Files.isRegularFile(mask) ? mask : null));
    }
    return cases;
  }

  private static List<RawCase> explicitCases(Path dir, JsonNode dataset, String ending, Path jsonFile) {
    if (!dataset.isObject()) {
      throw new InvalidInputException(jsonFile, "'dataset' must map case ids to {\"images\": [...],"
          + " \"label\": ...}");
    }
    List<RawCase> cases = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : dataset.properties()) {
      JsonNode images = e.getValue().get("images");
      JsonNode label = e.getValue().get("label");
      if (images == null || !images.isArray() || label == null || !label.isTextual()) {
        throw new InvalidInputException(jsonFile, "dataset entry '" + e.getKey()
            + "' needs \"images\": [paths] and \"label\": path");
      }
      List<Path> files = new ArrayList<>();
      images.forEach(i -> files.add(datasetPath(dir, i.asText())));
      Path mask = dir.resolve(MASKS_TR).resolve(e.getKey() + ending);
      cases.add(new RawCase(e.getKey(), files, datasetPath(dir, label.asText()),
          Files.isRegularFile(mask) ? mask : null));
    }
    return cases;
  }

  /** A path from the "dataset" dict: environment variables expanded, relative to the dataset. */
  private static Path datasetPath(Path dir, String raw) {
    Matcher m = ENV.matcher(raw);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String name = m.group(1).startsWith("{") ? m.group(1).substring(1, m.group(1).length() - 1)
          : m.group(1);
      String value = System.getenv(name);
      m.appendReplacement(sb, Matcher.quoteReplacement(value != null ? value : m.group()));
    }
    m.appendTail(sb);
    Path p = Path.of(sb.toString());
    return p.isAbsolute() ? p : dir.resolve(p).toAbsolutePath().normalize();
  }

  private static List<String> fileNames(Path folder) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(folder)) {
      return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }
}
