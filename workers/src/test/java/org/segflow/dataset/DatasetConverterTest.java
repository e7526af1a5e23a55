package org.segflow.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.io.DecodedImage;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;
import org.segflow.io.TestImages;

class DatasetConverterTest {

  @TempDir
  Path src;
  @TempDir
  Path raw;

  private final DatasetConverter converter = new DatasetConverter();
  private final DatasetName name = new DatasetName(2, "CHASEDB1");

  private ConversionResult convert(ConversionOptions options) {
    return converter.convert(src, raw, name, options);
  }

  private InvalidInputException fails(ConversionOptions options) {
    return assertThrows(InvalidInputException.class, () -> convert(options));
  }

  private void standardSource() throws Exception {
    for (String n : List.of("1", "2", "10")) {
      Fixtures.cropCase(src, "crop_train", n, 4, 3, true, true);
    }
    Fixtures.cropCase(src, "crop_test", "1", 4, 3, true, true);
    Files.createDirectories(src.resolve("original"));
    Files.writeString(src.resolve("original/readme.txt"), "ignored");
  }

  @Test
  void convertsTheCropLayoutToAVerifiedRawDataset() throws Exception {
    standardSource();
    ConversionResult r = convert(ConversionOptions.DEFAULTS);
    Path d = raw.resolve("Dataset002_CHASEDB1");
    assertEquals(d, r.dir());
    assertEquals(3, r.numTraining());
    assertEquals(1, r.numTest());
    assertTrue(r.testLabels());
    assertEquals(List.of("CHASEDB1_01_0000.png", "CHASEDB1_02_0000.png", "CHASEDB1_10_0000.png"),
        Fixtures.names(d.resolve("imagesTr")));
    assertEquals(List.of("CHASEDB1_01.png"), Fixtures.names(d.resolve("labelsTs")));
    assertEquals(List.of("CHASEDB1_01.png"), Fixtures.names(d.resolve("masksTs")));
    assertEquals(List.of("CHASEDB1_01.png", "CHASEDB1_02.png", "CHASEDB1_10.png"),
        Fixtures.names(d.resolve("masksTr")));
    assertEquals(List.of("Dataset002_CHASEDB1"), Fixtures.names(raw)); // no temporary leftovers

    // gray = Pillow luma of the RGB source, pixel by pixel
    int[] rgb = Fixtures.rgb(4, 3, "10".hashCode() & 0xFF);
    DecodedImage gray = ImageFiles.readDecoded(d.resolve("imagesTr/CHASEDB1_10_0000.png"));
    assertEquals(8, gray.bitDepth());
    assertEquals(1, gray.pixels().channels());
    for (int i = 0; i < 12; i++) {
      int r0 = rgb[3 * i];
      int g0 = rgb[3 * i + 1];
      int b0 = rgb[3 * i + 2];
      assertEquals((r0 * 19595 + g0 * 38470 + b0 * 7471 + 0x8000) >> 16, (int) gray.pixels().data()[i]);
    }
    // labels and masks 255 -> 1
    float[] expected = new float[12];
    int[] l255 = Fixtures.label255(4, 3);
    for (int i = 0; i < 12; i++) {
      expected[i] = l255[i] / 255f;
    }
    assertArrayEquals(expected, ImageFiles.read(d.resolve("labelsTr/CHASEDB1_02.png")).data());
    assertArrayEquals(expected, ImageFiles.read(d.resolve("labelsTs/CHASEDB1_01.png")).data());
    assertEquals(1f, ImageFiles.read(d.resolve("masksTr/CHASEDB1_01.png")).data()[1]);

    assertEquals("""
        {
            "channel_names": {
                "0": "CT"
            },
            "labels": {
                "background": 0,
                "vessel": 1
            },
            "numTraining": 3,
            "file_ending": ".png",
            "name": "Dataset002_CHASEDB1",
            "overwrite_image_reader_writer": "NaturalImage2DIO"
        }
        """, Files.readString(d.resolve("dataset.json")));

    RawDataset opened = new IntegrityVerifier().verify(d);
    assertEquals(d.resolve("masksTr/CHASEDB1_01.png"), opened.trainingCases().get(0).fovMask());
    assertEquals(d.resolve("labelsTs/CHASEDB1_01.png"), opened.testCases().get(0).label());
  }

  @Test
  void manifestListsEverySourceAndWrittenFileWithItsHash() throws Exception {
    standardSource();
    ConversionResult r = convert(ConversionOptions.DEFAULTS.withLabelName("artery"));
    DatasetManifest m = DatasetManifest.read(r.dir().resolve("manifest.json"));
    assertEquals(r.manifest(), m);
    assertEquals(DatasetManifest.ENGINE_VERSION, m.engineVersion());
    assertEquals("crop_folders", m.source().layout());
    assertEquals(Map.of("channels", "gray", "channel_name", "CT", "label_name", "artery"), m.options());
    assertEquals(12, m.sourceFiles().size()); // 4 cases x image, label, mask; original/ ignored
    assertEquals("crop_test/1/image.png", m.sourceFiles().get(0).path());
    for (DatasetManifest.FileEntry e : m.sourceFiles()) {
      byte[] bytes = Files.readAllBytes(src.resolve(e.path()));
      assertEquals(DatasetManifest.sha256(bytes), e.sha256());
      assertEquals(bytes.length, e.size());
    }
    assertEquals(13, m.files().size()); // 12 PNGs + dataset.json
    for (DatasetManifest.FileEntry e : m.files()) {
      assertEquals(DatasetManifest.sha256(Files.readAllBytes(r.dir().resolve(e.path()))), e.sha256());
    }
    assertTrue(Files.readString(r.dir().resolve("dataset.json")).contains("\"artery\": 1"));
  }

  @Test
  void reRunningGivesByteIdenticalFilesAndIsSafeOnAnExistingDataset() throws Exception {
    standardSource();
    convert(ConversionOptions.DEFAULTS);
    Map<String, byte[]> first = Fixtures.snapshot(raw.resolve("Dataset002_CHASEDB1"));
    convert(ConversionOptions.DEFAULTS);
    Map<String, byte[]> second = Fixtures.snapshot(raw.resolve("Dataset002_CHASEDB1"));
    assertEquals(first.keySet(), second.keySet());
    for (String k : first.keySet()) {
      assertArrayEquals(first.get(k), second.get(k), k);
    }
    assertEquals(List.of("Dataset002_CHASEDB1"), Fixtures.names(raw));
  }

  @Test
  void rgbChannelsWriteOneRgbFileDeclaredAsThreeChannels() throws Exception {
    Fixtures.cropCase(src, "crop_train", "1", 4, 3, true, false);
    // an RGBA source: alpha is dropped
    Path rgba = src.resolve("crop_train/2/image.png");
    TestImages.rgba8(rgba, 1, new int[] {181, 98, 57, 10});
    TestImages.gray8(src.resolve("crop_train/2/label.png"), 1, new int[] {1});
    ConversionResult r = convert(ConversionOptions.DEFAULTS.withChannels(ConversionOptions.Channels.RGB));
    ImageArray img = ImageFiles.read(r.dir().resolve("imagesTr/CHASEDB1_2_0000.png"));
    assertArrayEquals(new float[] {181, 98, 57}, img.data());
    String json = Files.readString(r.dir().resolve("dataset.json"));
    assertTrue(json.contains("\"0\": \"R\",\n        \"1\": \"G\",\n        \"2\": \"B\""), json);
    assertEquals(Map.of("channels", "rgb", "label_name", "vessel"), r.manifest().options());
    new IntegrityVerifier().verify(r.dir());
  }

  @Test
  void rgbRequestedForAGrayImageIsAnError() {
    Path dir = src.resolve("crop_train/1");
    TestImages.gray8(dir.resolve("image.png"), 1, new int[] {5});
    TestImages.gray8(dir.resolve("label.png"), 1, new int[] {0});
    InvalidInputException e = fails(ConversionOptions.DEFAULTS.withChannels(ConversionOptions.Channels.RGB));
    assertEquals(dir.resolve("image.png"), e.file());
    assertTrue(e.getMessage().contains("grayscale image but RGB channels were requested"), e.getMessage());
  }

  @Test
  void grayAnd16BitGraySourcesAreKeptAsTheyAre() {
    Path dir = src.resolve("crop_train/1");
    TestImages.gray16(dir.resolve("image.png"), 2, new int[] {1000, 65535});
    TestImages.gray8(dir.resolve("label.png"), 2, new int[] {0, 1}); // {0,1} kept
    ConversionResult r = convert(ConversionOptions.DEFAULTS);
    DecodedImage img = ImageFiles.readDecoded(r.dir().resolve("imagesTr/CHASEDB1_1_0000.png"));
    assertEquals(16, img.bitDepth());
    assertArrayEquals(new float[] {1000, 65535}, img.pixels().data());
    assertArrayEquals(new float[] {0, 1}, ImageFiles.read(r.dir().resolve("labelsTr/CHASEDB1_1.png")).data());
  }

  @Test
  void imagesOfDifferentBitDepthsAreConvertedWithAWarningNamingThem() {
    TestImages.gray16(src.resolve("crop_train/1/image.png"), 2, new int[] {1000, 65535});
    TestImages.gray8(src.resolve("crop_train/1/label.png"), 2, new int[] {0, 1});
    TestImages.gray8(src.resolve("crop_train/2/image.png"), 2, new int[] {10, 200});
    TestImages.gray8(src.resolve("crop_train/2/label.png"), 2, new int[] {0, 1});
    TestImages.gray8(src.resolve("crop_test/1/image.png"), 2, new int[] {10, 200});
    ConversionResult r = convert(ConversionOptions.DEFAULTS);
    assertEquals(List.of("images of different bit depths in " + src + " (converted as they are; each image is "
        + "normalized on its own, but check the export): 8-bit: 2 images (crop_test/1/image.png, "
        + "crop_train/2/image.png); 16-bit: 1 image (crop_train/1/image.png)"), r.warnings());
    assertEquals(16, ImageFiles.readDecoded(r.dir().resolve("imagesTr/CHASEDB1_1_0000.png")).bitDepth());
  }

  @Test
  void oneBitDepthGivesNoWarning() throws Exception {
    standardSource();
    assertEquals(List.of(), convert(ConversionOptions.DEFAULTS).warnings());
  }

  @Test
  void jpegImagesAreConvertedToPng() {
    Path dir = src.resolve("crop_train/1");
    TestImages.rgb8(dir.resolve("image.jpg"), 2, new int[] {200, 200, 200, 10, 10, 10}, "jpg");
    TestImages.gray8(dir.resolve("label.png"), 2, new int[] {255, 0});
    ConversionResult r = convert(ConversionOptions.DEFAULTS);
    assertTrue(Files.isRegularFile(r.dir().resolve("imagesTr/CHASEDB1_1_0000.png")));
  }

  @Test
  void labelValuesOtherThanBinaryAreListed() {
    Path dir = Fixtures.cropCase(src, "crop_train", "1", 2, 2, false, false);
    TestImages.gray8(dir.resolve("label.png"), 2, new int[] {0, 1, 128, 255});
    InvalidInputException e = fails(ConversionOptions.DEFAULTS);
    assertEquals(dir.resolve("label.png"), e.file());
    assertTrue(e.getMessage().contains("label values must be 0/255 or 0/1 (255 or 1 = vessel);"
        + " found values [0, 1, 128, 255]"), e.getMessage());
    assertFalse(Files.exists(raw.resolve("Dataset002_CHASEDB1")));
  }

  @Test
  void nonBinaryMaskIsAnError() {
    Path dir = Fixtures.cropCase(src, "crop_train", "1", 2, 2, true, false);
    TestImages.gray8(dir.resolve("mask.png"), 2, new int[] {0, 7, 255, 255});
    InvalidInputException e = fails(ConversionOptions.DEFAULTS);
    assertEquals(dir.resolve("mask.png"), e.file());
    assertTrue(e.getMessage().contains("mask values must be 0/255 or 0/1; found values [0, 7, 255]"),
        e.getMessage());
  }

  @Test
  void sizeMismatchNamesBothFilesAndSizes() {
    Path dir = Fixtures.cropCase(src, "crop_train", "1", 4, 3, false, false);
    TestImages.gray8(dir.resolve("label.png"), 2, new int[] {0, 255});
    InvalidInputException e = fails(ConversionOptions.DEFAULTS);
    assertTrue(e.getMessage().contains("size mismatch: image crop_train/1/image.png is 4x3 (width x"
        + " height) but label crop_train/1/label.png is 2x1 (width x height)"), e.getMessage());
  }

  @Test
  void failuresOfSeveralCasesAreReportedTogether() {
    for (String n : List.of("1", "2", "3")) {
      Fixtures.cropCase(src, "crop_train", n, 2, 2, true, false);
    }
    TestImages.gray8(src.resolve("crop_train/1/label.png"), 2, new int[] {0, 3, 0, 3});
    TestImages.gray8(src.resolve("crop_train/3/label.png"), 1, new int[] {0});
    InvalidInputException e = fails(ConversionOptions.DEFAULTS);
    assertTrue(e.getMessage().contains("2 cases could not be converted"), e.getMessage());
    assertTrue(e.getMessage().contains("crop_train/1/label.png") && e.getMessage().contains("found values [0, 3]"),
        e.getMessage());
    assertTrue(e.getMessage().contains("crop_train/3/label.png is 1x1"), e.getMessage());
  }

  @Test
  void aFailingConversionLeavesNoFolderAndKeepsAnExistingDataset() throws Exception {
    Fixtures.cropCase(src, "crop_train", "1", 2, 2, true, false);
    Fixtures.cropCase(src, "crop_train", "2", 2, 2, true, false);
    ConversionResult good = convert(ConversionOptions.DEFAULTS);
    Map<String, byte[]> before = Fixtures.snapshot(good.dir());

    TestImages.gray8(src.resolve("crop_train/2/label.png"), 2, new int[] {0, 9, 0, 9});
    fails(ConversionOptions.DEFAULTS);
    Map<String, byte[]> after = Fixtures.snapshot(good.dir());
    assertEquals(before.keySet(), after.keySet());
    before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    assertEquals(List.of("Dataset002_CHASEDB1"), Fixtures.names(raw));

    DatasetName other = new DatasetName(3, "OTHER");
    assertThrows(InvalidInputException.class, () -> converter.convert(src, raw, other,
        ConversionOptions.DEFAULTS));
    assertEquals(List.of("Dataset002_CHASEDB1"), Fixtures.names(raw)); // nothing half-written
  }

  @Test
  void anImageBombIsRefusedFromItsHeaderNamingTheFileAndItsSize() {
    Fixtures.cropCase(src, "crop_train", "1", 4, 3, true, false);
    Path bomb = TestImages.pngBomb(src.resolve("crop_train/2/image.png"), 30000, 30000, 8);
    TestImages.gray8(src.resolve("crop_train/2/label.png"), 1, new int[] {0});
    InvalidInputException e = fails(ConversionOptions.DEFAULTS);
    assertTrue(e.getMessage().contains(bomb + ": image header declares 30000x30000 (WxH) = 900.0 megapixels,"
        + " more than the limit of 100.0 megapixels; refused before decoding"), e.getMessage());
    assertEquals(List.of(), Fixtures.names(raw));
  }

  @Test
  void convertRemovesTheFolderAKilledConvertLeftOnceStale() throws Exception {
    Fixtures.cropCase(src, "crop_train", "1", 2, 2, true, false);
    Path killed = raw.resolve(".Dataset002_CHASEDB1.tmp-" + java.util.UUID.randomUUID());
    Files.createDirectories(killed.resolve("imagesTr"));
    Files.writeString(killed.resolve("imagesTr/half.png"), "half");
    java.nio.file.attribute.FileTime twoHoursAgo =
        java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200));
    for (Path p : List.of(killed.resolve("imagesTr/half.png"), killed.resolve("imagesTr"), killed)) {
      Files.setLastModifiedTime(p, twoHoursAgo);
    }
    convert(ConversionOptions.DEFAULTS);
    assertEquals(List.of("Dataset002_CHASEDB1"), Fixtures.names(raw));
  }

  @Test
  void reusingAnIdWithAnotherNameIsAClash() throws Exception {
    Fixtures.cropCase(src, "crop_train", "1", 2, 2, true, false);
    Files.createDirectories(raw.resolve("Dataset002_DRIVE"));
    InvalidInputException e = fails(ConversionOptions.DEFAULTS);
    assertTrue(e.getMessage().contains("dataset id clash"), e.getMessage());
  }

  @Test
  void imageLabelFolderLayoutConverts() {
    TestImages.rgb8(src.resolve("images/eye_a.png"), 1, new int[] {255, 0, 0});
    TestImages.gray8(src.resolve("labels/eye_a.png"), 1, new int[] {255});
    ConversionResult r = convert(ConversionOptions.DEFAULTS);
    assertEquals(SourceLayout.IMAGE_LABEL_FOLDERS, r.layout());
    assertArrayEquals(new float[] {76}, ImageFiles.read(r.dir().resolve("imagesTr/eye_a_0000.png")).data());
    assertArrayEquals(new float[] {1}, ImageFiles.read(r.dir().resolve("labelsTr/eye_a.png")).data());
  }

  @Test
  void nnunetRawSourceIsVerifiedAndCopiedAsIs() throws Exception {
    Fixtures.rawDataset(src, 2);
    ConversionResult r = convert(ConversionOptions.DEFAULTS);
    assertEquals(SourceLayout.NNUNET_RAW, r.layout());
    assertEquals(2, r.numTraining());
    Map<String, byte[]> source = Fixtures.snapshot(src);
    Map<String, byte[]> copy = Fixtures.snapshot(r.dir());
    copy.remove("manifest.json");
    assertEquals(source.keySet(), copy.keySet());
    source.forEach((k, v) -> assertArrayEquals(v, copy.get(k), k));
    assertEquals(5, r.manifest().files().size());
    assertEquals(Map.of(), r.manifest().options());
  }

  @Test
  void nnunetRawDatasetInPlaceOnlyGainsItsManifest() throws Exception {
    Path d = Fixtures.rawDataset(raw.resolve("Dataset002_CHASEDB1"), 2);
    Map<String, byte[]> before = Fixtures.snapshot(d);
    ConversionResult r = converter.convert(d, raw, name, ConversionOptions.DEFAULTS);
    Map<String, byte[]> after = Fixtures.snapshot(d);
    assertTrue(after.containsKey("manifest.json"));
    after.remove("manifest.json");
    assertEquals(before.keySet(), after.keySet());
    assertEquals(d, r.dir());
  }

  @Test
  void anInvalidNnunetRawSourceIsRejectedWithItsProblems() throws Exception {
    Fixtures.rawDataset(src, 2);
    Files.delete(src.resolve("labelsTr/case_a.png"));
    InvalidInputException e = fails(ConversionOptions.DEFAULTS);
    assertTrue(e.getMessage().contains("case case_a: label file labelsTr/case_a.png not found"),
        e.getMessage());
    assertFalse(Files.exists(raw.resolve("Dataset002_CHASEDB1")));
  }
}
