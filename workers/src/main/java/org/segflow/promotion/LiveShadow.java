package org.segflow.promotion;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.segflow.contract.TrustScores;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;

/**
 * The records of live shadow runs: while a version is shadowed (see
 * {@link org.segflow.registry.ModelRegistry#startShadow}) it segments every arriving image beside the
 * promoted version into {@code predictions/DatasetNNN_Name/shadow/<version>/}, apart from the published
 * outputs, and leaves one {@code <case>.comparison.json} per image there: each version's Dice against
 * the event's reference labels, confidence and flags, and the agreement of the two masks. One file per
 * image, written whole, so a retried image replaces its record instead of counting twice; the records
 * outlive the shadow run and {@link #comparisons} sums them up per shadowed and promoted version.
 */
public final class LiveShadow {

  public static final String FOLDER = "shadow";
  static final String RECORD_SUFFIX = ".comparison.json";

  private final SegflowPaths paths;

  public LiveShadow(SegflowPaths paths) {
    this.paths = paths;
  }

  /** One version's side of an image: Dice null without a reference, confidence and flags null unscored. */
  public record Side(
      @JsonProperty("version") String version,
      @JsonProperty("dice") Double dice,
      @JsonProperty("confidence") Double confidence,
      @JsonProperty("flags") List<String> flags) {

    /** The side of {@code version} with its trust scores (null: unscored). */
    public static Side of(String version, Double dice, TrustScores trust) {
      return new Side(version, dice, trust == null ? null : trust.confidence(), trust == null ? null : trust.flags());
    }
  }

  /** One arriving image segmented by both versions. */
  public record ImageRecord(
      @JsonProperty("image_uri") String imageUri,
      @JsonProperty("sha256") String sha256,
      @JsonProperty("case") String caseId,
      @JsonProperty("shadow") Side shadow,
      @JsonProperty("promoted") Side promoted,
      @JsonProperty("agreement_dice") Double agreementDice,
      @JsonProperty("recorded_at") String recordedAt) {}

  /**
   * One version over the images of a comparison: {@code labelled} images have a Dice for both versions
   * (the means are over those same images); confidence and flagged share over the scored images.
   */
  public record VersionStats(String version, int images, int labelled, Double meanDice, Double flaggedShare,
      Double meanConfidence) {}

  /** A shadowed version beside the version that was promoted while it segmented {@code images} images. */
  public record Comparison(VersionStats shadow, VersionStats promoted, int images, Double agreementDice) {}

  /** Where {@code version}'s shadow outputs and records go. */
  public Path dir(ModelVersion version) {
    return paths.predictions().resolve(version.dataset()).resolve(FOLDER).resolve(version.version());
  }

  public Path recordFile(ModelVersion version, String caseId) {
    return dir(version).resolve(caseId + RECORD_SUFFIX);
  }

  public void write(ModelVersion version, ImageRecord record) {
    Json.write(recordFile(version, record.caseId()), record);
  }

  /**
   * Every comparison recorded for the dataset folder {@code dataset} (DatasetNNN_Name), by shadowed
   * version then promoted version.
   */
  public List<Comparison> comparisons(String dataset) {
    Path root = paths.predictions().resolve(dataset).resolve(FOLDER);
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    Map<String, List<ImageRecord>> groups = new LinkedHashMap<>();
    try (Stream<Path> files = Files.walk(root, 2)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(RECORD_SUFFIX)).sorted().toList()) {
        ImageRecord r = Json.read(f, ImageRecord.class);
        groups.computeIfAbsent(r.shadow().version() + " " + r.promoted().version(), k -> new ArrayList<>()).add(r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root, e);
    }
    return groups.values().stream().map(LiveShadow::compare)
        .sorted(Comparator.comparing((Comparison c) -> number(c.shadow().version()))
            .thenComparing(c -> number(c.promoted().version())))
        .toList();
  }

  /** The comparison of {@code candidate} against {@code promoted}, if images were recorded for the pair. */
  public Optional<Comparison> comparison(ModelVersion candidate, ModelVersion promoted) {
    return comparisons(candidate.dataset()).stream()
        .filter(c -> c.shadow().version().equals(candidate.version())
            && c.promoted().version().equals(promoted.version()))
        .findFirst();
  }

  private static Comparison compare(List<ImageRecord> records) {
    List<ImageRecord> labelled = records.stream()
        .filter(r -> r.shadow().dice() != null && r.promoted().dice() != null).toList();
    return new Comparison(stats(records, labelled, ImageRecord::shadow),
        stats(records, labelled, ImageRecord::promoted), records.size(),
        mean(records.stream().map(ImageRecord::agreementDice).toList()));
  }

  private static VersionStats stats(List<ImageRecord> records, List<ImageRecord> labelled,
      Function<ImageRecord, Side> side) {
    List<Side> scored = records.stream().map(side).filter(s -> s.confidence() != null).toList();
    long flagged = scored.stream().filter(s -> s.flags() != null && !s.flags().isEmpty()).count();
    return new VersionStats(side.apply(records.get(0)).version(), records.size(), labelled.size(),
        mean(labelled.stream().map(r -> side.apply(r).dice()).toList()),
        scored.isEmpty() ? null : (double) flagged / scored.size(),
        mean(scored.stream().map(Side::confidence).toList()));
  }

  private static Double mean(List<Double> values) {
    List<Double> present = values.stream().filter(v -> v != null && !v.isNaN()).toList();
    return present.isEmpty() ? null : present.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
  }

  private static int number(String version) {
    try {
      return Integer.parseInt(version.substring(1));
    } catch (RuntimeException e) {
      return Integer.MAX_VALUE;
    }
  }
}
