package org.segflow.activity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.ConvertRequest;
import org.segflow.contract.ConvertResult;
import org.segflow.contract.FingerprintRequest;
import org.segflow.contract.FingerprintResult;
import org.segflow.contract.IngestRequest;
import org.segflow.contract.IngestResult;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.PlanRequest;
import org.segflow.contract.PlanResult;
import org.segflow.dataset.ConversionOptions;
import org.segflow.dataset.DatasetConverter;
import org.segflow.dataset.DatasetName;
import org.segflow.pipeline.FingerprintStepCache;
import org.segflow.pipeline.PlanStepCache;
import org.segflow.pipeline.SourceIngest;
import org.segflow.plan.PlanAndPreprocess;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import org.segflow.storage.StaleTemps;

/**
 * ingest -> convert -> fingerprint -> plan as separate cpu steps (no Temporal): they write what
 * plan-and-preprocess writes, each hits its own cache when its inputs are unchanged, and a change
 * reaches exactly the steps downstream of it.
 */
class CpuStepsTest {

  private static final DatasetName NAME = new DatasetName(5, "Sample");

  @TempDir
  Path home;

  private DataPreparationActivitiesImpl steps;

  @BeforeEach
  void sample() {
    FundusSampleGenerator.generate(home.resolve("source"), new SampleSpec(6, 1, 48, 48, 3), true);
    steps = new DataPreparationActivitiesImpl(SegflowPaths.under(home), 2);
  }

  @Test
  void theSplitStepsWriteWhatPlanAndPreprocessWrites(@TempDir Path other) throws Exception {
    run(8);
    SegflowPaths cli = SegflowPaths.under(other);
    new DatasetConverter().convert(home.resolve("source"), cli.raw(), NAME, ConversionOptions.DEFAULTS);
    new PlanAndPreprocess(cli, m -> { }).run(NAME.folderName(),
        new PlanAndPreprocess.Options(true, 8, "nnUNetPlans", 2));
    Path ours = home.resolve("preprocessed").resolve(NAME.folderName());
    Path theirs = cli.preprocessed().resolve(NAME.folderName());
    List<String> files = files(theirs);
    assertTrue(files.containsAll(List.of("dataset.json", "dataset_fingerprint.json", "nnUNetPlans.json",
        "splits_final.json")) && files.size() > 10, files.toString());
    assertEquals(files, files(ours).stream()
        .filter(f -> !f.startsWith("segflow_step_cache_")).toList(), "the same files");
    for (String f : files) {
      assertArrayEquals(Files.readAllBytes(theirs.resolve(f)), Files.readAllBytes(ours.resolve(f)), f);
    }
  }

  @Test
  void eachStepHitsItsCacheWhenItsInputsAreUnchanged() throws Exception {
    Steps first = run(8);
    assertFalse(first.ingest.cacheHit() || first.convert.cacheHit() || first.fingerprint.cacheHit()
        || first.plan.cacheHit());
    assertEquals(3 * 7, first.ingest.numFiles(), "image, label and mask of 7 cases");
    assertEquals(first.ingest.cacheKey(), first.ingest.sourceManifest().sha256());
    Path ppDir = home.resolve("preprocessed").resolve(NAME.folderName());
    String fingerprintKey = Files.readString(ppDir.resolve(FingerprintStepCache.FILE_NAME));
    assertTrue(fingerprintKey.contains("step fingerprint\n") && fingerprintKey.contains("input manifest.json "),
        fingerprintKey);
    assertTrue(Files.readString(ppDir.resolve(PlanStepCache.FILE_NAME))
        .contains("input dataset_fingerprint.json " + first.fingerprint.fingerprint().sha256()));

    Steps second = run(8);
    assertTrue(second.ingest.cacheHit() && second.convert.cacheHit() && second.fingerprint.cacheHit()
        && second.plan.cacheHit(), second.toString());
    assertEquals(first.plan.plans(), second.plan.plans());

    Steps otherTarget = run(4);
    assertTrue(otherTarget.fingerprint.cacheHit(), "the memory target is not a fingerprint input");
    assertFalse(otherTarget.plan.cacheHit(), "but a plan input");
    assertNotEquals(first.plan.cacheKey(), otherTarget.plan.cacheKey());
  }

  @Test
  void anNnunetRawSourceIsIngestedFileByFileAndCopiedOnce() throws Exception {
    run(8);
    DatasetName copy = new DatasetName(6, "Copy");
    String source = "raw/" + NAME.folderName();
    IngestResult in = steps.ingest(new IngestRequest(source, copy.id(), copy.name()));
    assertEquals("nnunet_raw", in.layout());
    assertEquals(6, in.numTraining());
    assertEquals(1, in.numTest());
    long rawFiles;
    try (Stream<Path> walk = Files.walk(home.resolve(source))) {
      rawFiles = walk.filter(Files::isRegularFile).count();
    }
    assertEquals(rawFiles - 1, in.numFiles(), "every file of the raw dataset but its manifest");
    ConvertResult first = steps.convert(new ConvertRequest(source, copy.id(), copy.name(), "gray",
        in.sourceManifest()));
    assertFalse(first.cacheHit());
    assertTrue(Files.isRegularFile(home.resolve("raw/Dataset006_Copy/dataset.json")));
    ConvertResult again = steps.convert(new ConvertRequest(source, copy.id(), copy.name(), "gray",
        steps.ingest(new IngestRequest(source, copy.id(), copy.name())).sourceManifest()));
    assertTrue(again.cacheHit(), "the same raw files are not copied again");
    assertEquals(first.cacheKey(), again.cacheKey());
  }

  @Test
  void aChangedLabelIsRedoneByEveryStep() throws Exception {
    Steps first = run(8);
    Path label = home.resolve("source/crop_train/1/label.png");
    BufferedImage img = ImageIO.read(label.toFile());
    img.setRGB(0, 0, img.getRGB(0, 0) == 0xFFFFFFFF ? 0xFF000000 : 0xFFFFFFFF);
    ImageIO.write(img, "png", label.toFile());

    Steps second = run(8);
    assertFalse(second.ingest.cacheHit() || second.convert.cacheHit() || second.fingerprint.cacheHit()
        || second.plan.cacheHit(), second.toString());
    assertNotEquals(first.ingest.sourceManifest().sha256(), second.ingest.sourceManifest().sha256());
    assertNotEquals(first.convert.cacheKey(), second.convert.cacheKey());
  }

  @Test
  void aSourceFileChangedBetweenIngestAndConvertIsRefusedNamingIt() throws Exception {
    IngestResult in = steps.ingest(new IngestRequest("source", NAME.id(), NAME.name()));
    Path image = home.resolve("source/crop_train/2/image.png");
    BufferedImage img = ImageIO.read(image.toFile());
    img.setRGB(1, 1, img.getRGB(1, 1) ^ 0x00101010);
    ImageIO.write(img, "png", image.toFile());

    ApplicationFailure e = assertThrows(ApplicationFailure.class, () -> steps.convert(
        new ConvertRequest("source", NAME.id(), NAME.name(), "gray", in.sourceManifest())));
    assertEquals(PipelineWorkflow.INVALID_INPUT, e.getType());
    assertTrue(e.isNonRetryable());
    assertTrue(e.getOriginalMessage().contains("crop_train/2/image.png")
        && e.getOriginalMessage().contains("changed since ingest"), e.getOriginalMessage());
  }

  @Test
  void aSourceThatIsNoKnownLayoutFailsIngestNamingTheFolder() throws Exception {
    Files.createDirectories(home.resolve("empty"));
    ApplicationFailure e = assertThrows(ApplicationFailure.class,
        () -> steps.ingest(new IngestRequest("empty", NAME.id(), NAME.name())));
    assertEquals(PipelineWorkflow.INVALID_INPUT, e.getType());
    assertTrue(e.getOriginalMessage().contains("empty") && e.getOriginalMessage().contains("layout"),
        e.getOriginalMessage());
    assertFalse(Files.exists(home.resolve(SourceIngest.FOLDER)), "nothing written");
  }

  private record Steps(IngestResult ingest, ConvertResult convert, FingerprintResult fingerprint, PlanResult plan) {}

  @Test
  void convertFingerprintAndPlanSweepWhatKilledStepsLeftOnceStale() throws Exception {
    SegflowPaths paths = SegflowPaths.under(home);
    Path pp = paths.preprocessed().resolve(NAME.folderName());
    Duration old = StaleTemps.STALE_AFTER.plusMinutes(5);
    Path killedConvert = leftover(paths.raw().resolve(".Dataset005_Sample.tmp-" + UUID.randomUUID()), old);
    Path killedPreprocess = leftover(pp.resolve(".nnUNetPlans_2d.tmp-" + UUID.randomUUID()), old);
    Path killedFingerprint = pp.resolve(".dataset_fingerprint.json.tmp-" + UUID.randomUUID());
    Files.writeString(killedFingerprint, "{");
    Files.setLastModifiedTime(killedFingerprint, FileTime.from(Instant.now().minus(old)));
    // another worker may still be filling this one
    Path recent = leftover(pp.resolve(".gt_segmentations.tmp-" + UUID.randomUUID()), Duration.ofMinutes(10));
    run(8);
    for (Path p : List.of(killedConvert, killedPreprocess, killedFingerprint)) {
      assertFalse(Files.exists(p), p + " swept");
    }
    assertTrue(Files.exists(recent));
  }

  /** A temp folder with a file, everything last modified {@code age} ago. */
  private static Path leftover(Path tmp, Duration age) throws Exception {
    Files.createDirectories(tmp);
    FileTime then = FileTime.from(Instant.now().minus(age));
    Files.setLastModifiedTime(Files.writeString(tmp.resolve("case.npy"), "half"), then);
    Files.setLastModifiedTime(tmp, then);
    return tmp;
  }

  private Steps run(double memoryTargetGb) {
    IngestResult in = steps.ingest(new IngestRequest("source", NAME.id(), NAME.name()));
    ConvertResult c = steps.convert(new ConvertRequest("source", NAME.id(), NAME.name(), "gray", in.sourceManifest()));
    FingerprintResult f = steps.fingerprint(new FingerprintRequest(c.dataset(), c.manifest()));
    PlanResult p = steps.planAndPreprocess(new PlanRequest(c.dataset(), memoryTargetGb, c.manifest(), f.fingerprint()));
    return new Steps(in, c, f, p);
  }

  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted().toList();
    }
  }
}
