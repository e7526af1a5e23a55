package org.segflow.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetLocator;
import org.segflow.dataset.DatasetManifest;
import org.segflow.dataset.DatasetName;
import org.segflow.predict.ModelFiles;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;

/**
 * Published model versions of each dataset, as JSON under {@code results/DatasetNNN_Name/models/}:
 * {@code v1.json}, {@code v2.json} ... and {@code promoted.json} naming the version inference uses;
 * {@code shadow.json}, while a live shadow run lasts, names the version that segments every arriving
 * image beside it without publishing.
 * Publishing the same files again returns the existing version; the first version published is
 * promoted, later ones when {@link #promote} is called. Files are written atomically, so a reader
 * never sees half a version.
 */
public final class ModelRegistry {

  public static final String MODELS = "models";
  public static final String PROMOTED = "promoted.json";
  public static final String SHADOW = "shadow.json";
  private static final Pattern VERSION_FILE = Pattern.compile("v(\\d+)\\.json");
  private static final Pattern VERSION_NAME = Pattern.compile("v(\\d+)");

  private final SegflowPaths paths;

  public ModelRegistry(SegflowPaths paths) {
    this.paths = paths;
  }

  /**
   * What to publish: the trained folds of one configuration, the checkpoint to use, and whether
   * arriving images are segmented with test-time mirroring.
   */
  public record Publication(String dataset, String configuration, String plansName, List<String> folds,
      ModelFiles.CheckpointChoice checkpoint, boolean tta) {

    public Publication {
      folds = List.copyOf(folds);
    }

    /** With test-time mirroring, as nnU-Net predicts by default. */
    public Publication(String dataset, String configuration, String plansName, List<String> folds,
        ModelFiles.CheckpointChoice checkpoint) {
      this(dataset, configuration, plansName, folds, checkpoint, true);
    }
  }

  /** The published version (new, or the existing one with the same files and settings). */
  public ModelVersion publish(Publication p) {
    return publish(p, Map.of());
  }

  /**
   * As {@link #publish(Publication)}, with the sha256s of checkpoints the caller has just verified
   * ({@code verified}, by absolute normalized path): those are not read again (a checkpoint is tens of
   * megabytes); any other file is.
   */
  public synchronized ModelVersion publish(Publication p, Map<Path, String> verified) {
    ModelFiles files = ModelFiles.locate(paths, p.dataset(), p.configuration(), p.plansName(), p.folds(),
        p.checkpoint());
    List<ModelVersion.FoldFile> checkpoints = new ArrayList<>();
    for (ModelFiles.FoldCheckpoint c : files.checkpoints()) {
      String sha256 = verified.get(c.file().toAbsolutePath().normalize());
      checkpoints.add(new ModelVersion.FoldFile(c.fold(), relative(c.file()),
          sha256 != null ? sha256 : DatasetManifest.sha256(c.file())));
    }
    Path pp = files.postprocessingFile();
    List<String> folds = files.checkpoints().stream().map(ModelFiles.FoldCheckpoint::fold).toList();
    ModelVersion candidate = new ModelVersion("", files.dataset().folderName(), p.configuration(),
        p.plansName(), p.checkpoint().fileName(), folds, ref(files.plansFile()), ref(files.datasetJsonFile()),
        Files.isRegularFile(pp) ? ref(pp) : null, checkpoints, crossvalDice(files, folds), p.tta());
    List<ModelVersion> existing = list(files.dataset().folderName());
    for (ModelVersion v : existing) {
      if (v.named("").equals(candidate)) {
        return v;
      }
    }
    ModelVersion published = candidate.named("v" + (existing.isEmpty() ? 1
        : number(existing.get(existing.size() - 1).version()) + 1));
    Path dir = modelsDir(files.dataset());
    Json.write(dir.resolve(published.version() + ".json"), published);
    if (!Files.isRegularFile(dir.resolve(PROMOTED))) {
      Json.write(dir.resolve(PROMOTED), new PromotedModel(published.version()));
    }
    return published;
  }

  /** Every version of the dataset, oldest first. */
  public List<ModelVersion> list(String dataset) {
    Path dir = modelsDir(name(dataset));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(f -> VERSION_FILE.matcher(f.getFileName().toString()).matches())
          .sorted(Comparator.comparingInt(f -> number(f.getFileName().toString().replace(".json", ""))))
          .map(f -> Json.read(f, ModelVersion.class)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  /** Makes {@code version} the one inference uses; promoting the shadowed version ends its shadow run. */
  public synchronized ModelVersion promote(String dataset, String version) {
    ModelVersion v = version(dataset, version);
    Json.write(modelsDir(name(dataset)).resolve(PROMOTED), new PromotedModel(v.version()));
    if (shadowFile(dataset).filter(f -> Json.read(f, ShadowedModel.class).version().equals(v.version()))
        .isPresent()) {
      stopShadow(dataset);
    }
    return v;
  }

  /**
   * Starts a live shadow run: {@code version} segments every image of the dataset that arrives from now
   * on beside the promoted version (replacing any other shadowed version). The promoted version itself
   * is refused.
   */
  public synchronized ModelVersion startShadow(String dataset, String version) {
    ModelVersion v = version(dataset, version);
    if (promoted(dataset).map(ModelVersion::version).filter(v.version()::equals).isPresent()) {
      throw new InvalidInputException(v.version() + " is the promoted version of " + v.dataset()
          + "; shadow a version that is not promoted");
    }
    Json.write(modelsDir(name(dataset)).resolve(SHADOW), new ShadowedModel(v.version(),
        java.time.Instant.now().toString()));
    return v;
  }

  /** Ends the dataset's live shadow run; the version that was shadowed, if any. */
  public synchronized Optional<String> stopShadow(String dataset) {
    Optional<Path> file = shadowFile(dataset);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    String version = Json.read(file.get(), ShadowedModel.class).version();
    try {
      Files.delete(file.get());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file.get(), e);
    }
    return Optional.of(version);
  }

  /**
   * The version in a live shadow run, if any. Unlike {@link #promoted} a version that is also the
   * promoted one is no shadow: empty then.
   */
  public Optional<ModelVersion> shadow(String dataset) {
    Optional<Path> file = shadowFile(dataset);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    ModelVersion v = version(dataset, Json.read(file.get(), ShadowedModel.class).version());
    return promoted(dataset).map(ModelVersion::version).filter(v.version()::equals).isPresent()
        ? Optional.empty() : Optional.of(v);
  }

  private Optional<Path> shadowFile(String dataset) {
    return find(dataset).map(n -> modelsDir(n).resolve(SHADOW)).filter(Files::isRegularFile);
  }

  /** The promoted version, if the dataset has published one. */
  public Optional<ModelVersion> promoted(String dataset) {
    Optional<DatasetName> n = find(dataset);
    if (n.isEmpty()) {
      return Optional.empty();
    }
    Path file = modelsDir(n.get()).resolve(PROMOTED);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    return Optional.of(version(n.get(), Json.read(file, PromotedModel.class).version()));
  }

  /** The promoted version, or an error naming the command that publishes one. */
  public ModelVersion requirePromoted(String dataset) {
    return promoted(dataset).orElseThrow(() -> new InvalidInputException("dataset " + dataset
        + " has no published model: run `segflow models publish -d " + dataset + "` after training"));
  }

  /** One version by name. */
  public ModelVersion version(String dataset, String version) {
    return version(name(dataset), version);
  }

  private ModelVersion version(DatasetName name, String version) {
    Path file = modelsDir(name).resolve(version + ".json");
    if (!VERSION_FILE.matcher(file.getFileName().toString()).matches() || !Files.isRegularFile(file)) {
      throw new InvalidInputException(file, "no model version '" + version + "' of " + name.folderName()
          + "; published: " + list(name.folderName()).stream().map(ModelVersion::version).toList());
    }
    return Json.read(file, ModelVersion.class);
  }

  /**
   * The dataset folder name of {@code ref} ("4", "Dataset004_X" or "X") when that dataset has a
   * promoted model; the Kafka bridge uses it to refuse events for datasets nothing can segment.
   */
  public Optional<String> servedDataset(String ref) {
    try {
      return promoted(ref).map(ModelVersion::dataset);
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  /**
   * The model files of {@code v}, each checked to still hold the bytes that were published; a changed
   * checkpoint is refused rather than silently used under the old version's name.
   */
  public ModelFiles files(ModelVersion v) {
    ModelFiles files = ModelFiles.locate(paths, v.dataset(), v.configuration(), v.plansName(), v.folds(),
        ModelFiles.CheckpointChoice.parse(v.checkpoint()));
    verify(v.plans());
    verify(v.datasetJson());
    if (v.postprocessing() != null) {
      verify(v.postprocessing());
    } else if (Files.isRegularFile(files.postprocessingFile())) {
      throw new InvalidInputException(files.postprocessingFile(), "appeared after model " + v.version()
          + " was published without postprocessing; publish a new version");
    }
    for (ModelVersion.FoldFile f : v.checkpoints()) {
      verify(new ModelVersion.FileRef(f.path(), f.sha256()));
    }
    return files;
  }

  private void verify(ModelVersion.FileRef ref) {
    Path file = paths.results().resolve(ref.path());
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file, "missing: it belongs to a published model version");
    }
    String actual = DatasetManifest.sha256(file);
    if (!actual.equals(ref.sha256())) {
      throw new InvalidInputException(file, "changed since the model version was published (sha256 "
          + actual + ", published " + ref.sha256() + "); publish and promote a new version");
    }
  }

  /** The foreground mean Dice of the cross-validation over exactly these folds, when find-best wrote it. */
  private static Double crossvalDice(ModelFiles files, List<String> folds) {
    Path summary = files.trainerDir().resolve("crossval_results_folds_" + String.join("_", folds))
        .resolve("summary.json");
    if (!Files.isRegularFile(summary)) {
      return null;
    }
    JsonNode dice = Json.read(summary, JsonNode.class).path("foreground_mean").path("Dice");
    return dice.isNumber() ? dice.asDouble() : null;
  }

  private ModelVersion.FileRef ref(Path file) {
    return new ModelVersion.FileRef(relative(file), DatasetManifest.sha256(file));
  }

  private String relative(Path file) {
    return paths.results().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  private Path modelsDir(DatasetName dataset) {
    return paths.results().resolve(dataset.folderName()).resolve(MODELS);
  }

  private DatasetName name(String ref) {
    return find(ref).orElseThrow(() -> new InvalidInputException(paths.results(), "no dataset '" + ref
        + "' has trained results"));
  }

  private Optional<DatasetName> find(String ref) {
    try {
      return Optional.of(DatasetLocator.of(paths).resolve(ref));
    } catch (InvalidInputException e) {
      return Optional.empty();
    }
  }

  private static int number(String version) {
    Matcher m = VERSION_NAME.matcher(version);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a model version name: " + version);
    }
    return Integer.parseInt(m.group(1));
  }
}
