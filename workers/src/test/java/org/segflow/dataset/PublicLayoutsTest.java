package org.segflow.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
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
import org.segflow.io.TestNetpbm;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleCase;
import org.segflow.sample.SampleSpec;
import org.segflow.sample.SampleSplit;

/**
 * Each public release, written with its real file names and formats from generated fundus cases,
 * converts to the same raw dataset (file names, bytes, dataset.json) as the same pixels in the
 * users' crop layout.
 */
class PublicLayoutsTest {

  private static final int W = 48;
  private static final int H = 40;
  private static final SampleSpec SPEC = new SampleSpec(3, 2, H, W, 7L);

  @TempDir
  Path tmp;

  private final DatasetName name = new DatasetName(5, "Retina");

  private static SampleCase sample(int i) {
    return i < 3 ? FundusSampleGenerator.generateCase(SPEC, SampleSplit.TRAIN, i)
        : FundusSampleGenerator.generateCase(SPEC, SampleSplit.TEST, i - 3);
  }

  private static int[] rgb(SampleCase c) {
    int[] v = new int[c.rgb().length];
    for (int i = 0; i < v.length; i++) {
      v[i] = c.rgb()[i] & 0xFF;
    }
    return v;
  }

  private static int[] gray(byte[] zeroOr255) {
    int[] v = new int[zeroOr255.length];
    for (int i = 0; i < v.length; i++) {
      v[i] = zeroOr255[i] & 0xFF;
    }
    return v;
  }

  private static int[] rgbOfGray(int[] g) {
    int[] v = new int[3 * g.length];
    for (int i = 0; i < g.length; i++) {
      v[3 * i] = g[i];
      v[3 * i + 1] = g[i];
      v[3 * i + 2] = g[i];
    }
    return v;
  }

  /** A two-colour palette GIF (0 = black, 1 = white), as DRIVE's labels and masks. */
  private static Path gif(Path file, byte[] zeroOr255) {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_BINARY);
    for (int i = 0; i < zeroOr255.length; i++) {
      img.getRaster().setSample(i % W, i / W, 0, zeroOr255[i] == 0 ? 0 : 1);
    }
    return TestImages.write(img, "gif", file);
  }

  /**
   * The crop-layout twin of a public case: the public image's decoded pixels as PNG, the label and
   * mask as 0/255 PNGs; a release without masks gets the mask {@link FovMask} computes.
   */
  private static void cropTwin(Path crop, String split, String key, Path publicImage,
      byte[] label, byte[] mask) {
    Path dir = crop.resolve(split).resolve(key);
    DecodedImage img = ImageFiles.readDecoded(publicImage);
    ImageArray px = img.pixels();
    int[] interleaved = new int[3 * px.pixels()];
    for (int i = 0; i < px.pixels(); i++) {
      for (int c = 0; c < 3; c++) {
        interleaved[3 * i + c] = (int) px.data()[c * px.pixels() + i];
      }
    }
    TestImages.rgb8(dir.resolve("image.png"), W, interleaved);
    if (label != null) {
      TestImages.gray8(dir.resolve("label.png"), W, gray(label));
    }
    int[] m = mask != null ? gray(mask) : computed(FovMask.of(px, img.bitDepth()));
    TestImages.gray8(dir.resolve("mask.png"), W, m);
  }

  private static int[] computed(ImageArray zeroOne) {
    int[] v = new int[zeroOne.pixels()];
    for (int i = 0; i < v.length; i++) {
      v[i] = zeroOne.data()[i] == 1f ? 255 : 0;
    }
    return v;
  }

  /** Converts both folders and asserts the raw datasets match, manifest.json aside. */
  private DatasetManifest assertSameAsCrop(Path release, Path crop, SourceLayout layout,
      int training, int test) {
    ConversionResult pub = new DatasetConverter().convert(release, tmp.resolve("rawA"), name,
        ConversionOptions.DEFAULTS);
    ConversionResult twin = new DatasetConverter().convert(crop, tmp.resolve("rawB"), name,
        ConversionOptions.DEFAULTS);
    assertEquals(layout, pub.layout());
    assertEquals(training, pub.numTraining());
    assertEquals(test, pub.numTest());
    Map<String, byte[]> a = Fixtures.snapshot(pub.dir());
    Map<String, byte[]> b = Fixtures.snapshot(twin.dir());
    a.remove(DatasetManifest.FILE_NAME);
    b.remove(DatasetManifest.FILE_NAME);
    assertEquals(b.keySet(), a.keySet());
    for (String f : a.keySet()) {
      assertArrayEquals(b.get(f), a.get(f), f);
    }
    assertEquals(layout.key(), pub.manifest().source().layout());
    return pub.manifest();
  }

  @Test
  void driveAsDistributed() throws Exception {
    Path drive = tmp.resolve("DRIVE");
    Path crop = tmp.resolve("crop");
    for (int i = 0; i < 5; i++) {
      SampleCase c = sample(i);
      boolean train = i < 3;
      String nn = train ? String.valueOf(21 + i) : "0" + (i - 2);
      String split = train ? "training" : "test";
      String kind = train ? "training" : "test";
      Path image = TestImages.rgb8(drive.resolve(split + "/images/" + nn + "_" + kind + ".tif"), W,
          rgb(c), "tiff");
      gif(drive.resolve(split + "/1st_manual/" + nn + "_manual1.gif"), c.label());
      gif(drive.resolve(split + "/mask/" + nn + "_" + kind + "_mask.gif"), c.mask());
      if (!train) {
        gif(drive.resolve("test/2nd_manual/" + nn + "_manual2.gif"), new byte[W * H]);
      }
      cropTwin(crop, train ? "crop_train" : "crop_test", nn, image, c.label(), c.mask());
    }
    DatasetManifest m = assertSameAsCrop(drive, crop, SourceLayout.DRIVE, 3, 2);
    assertEquals(List.of(), m.notes());
    assertTrue(Files.isRegularFile(tmp.resolve("rawA/Dataset005_Retina/labelsTs/Retina_01.png")));
    assertTrue(Files.isRegularFile(tmp.resolve("rawA/Dataset005_Retina/imagesTr/Retina_21_0000.png")));
  }

  @Test
  void driveWithoutTestLabels() throws Exception {
    Path drive = tmp.resolve("DRIVE");
    Path crop = tmp.resolve("crop");
    for (int i = 0; i < 4; i++) {
      SampleCase c = sample(i);
      boolean train = i < 3;
      String nn = train ? String.valueOf(21 + i) : "01";
      String kind = train ? "training" : "test";
      Path image = TestImages.rgb8(drive.resolve(kind + "/images/" + nn + "_" + kind + ".tif"), W,
          rgb(c), "tiff");
      if (train) {
        gif(drive.resolve("training/1st_manual/" + nn + "_manual1.gif"), c.label());
      }
      gif(drive.resolve(kind + "/mask/" + nn + "_" + kind + "_mask.gif"), c.mask());
      cropTwin(crop, train ? "crop_train" : "crop_test", nn, image, train ? c.label() : null,
          c.mask());
    }
    assertSameAsCrop(drive, crop, SourceLayout.DRIVE, 3, 1);
    assertTrue(Files.notExists(tmp.resolve("rawA/Dataset005_Retina/labelsTs")));
  }

  @Test
  void chaseAsDistributedWithComputedMasks() throws Exception {
    Path chase = tmp.resolve("CHASEDB1");
    Path crop = tmp.resolve("crop");
    String[] keys = {"01L", "01R", "02L"};
    for (int i = 0; i < keys.length; i++) {
      SampleCase c = sample(i);
      Path image = TestImages.rgb8(chase.resolve("Image_" + keys[i] + ".jpg"), W, rgb(c), "jpg");
      TestImages.gray8(chase.resolve("Image_" + keys[i] + "_1stHO.png"), W, gray(c.label()));
      TestImages.gray8(chase.resolve("Image_" + keys[i] + "_2ndHO.png"), W, new int[W * H]);
      cropTwin(crop, "crop_train", keys[i], image, c.label(), null);
    }
    DatasetManifest m = assertSameAsCrop(chase, crop, SourceLayout.CHASE_DB1, 3, 0);
    assertTrue(m.notes().contains(FovMask.DESCRIPTION), m.notes().toString());
    assertTrue(m.notes().contains(PublicLayouts.NO_SPLIT), m.notes().toString());
    assertTrue(Files.isRegularFile(tmp.resolve("rawA/Dataset005_Retina/masksTr/Retina_01L.png")));
  }

  @Test
  void stareAsDistributedWithPpmAndComputedMasks() throws Exception {
    DatasetManifest m = stare(false);
    assertTrue(m.notes().contains(FovMask.DESCRIPTION), m.notes().toString());
    assertTrue(Files.isRegularFile(tmp.resolve("rawA/Dataset005_Retina/labelsTr/Retina_139.png")));
  }

  @Test
  void stareGzippedAsOnItsWebsite() throws Exception {
    DatasetManifest m = stare(true);
    assertTrue(m.sourceFiles().stream().anyMatch(f -> f.path().equals("labels-ah/im0001.ah.ppm.gz")),
        m.sourceFiles().toString());
  }

  private DatasetManifest stare(boolean gzip) throws Exception {
    Path stare = tmp.resolve("STARE");
    Path crop = tmp.resolve("crop");
    String[] keys = {"0001", "0002", "0139"};
    for (int i = 0; i < keys.length; i++) {
      SampleCase c = sample(i);
      Path image = TestNetpbm.ppm(stare.resolve("im" + keys[i] + ".ppm"), W, rgb(c));
      Path label = TestNetpbm.ppm(stare.resolve("labels-ah/im" + keys[i] + ".ah.ppm"), W,
          rgbOfGray(gray(c.label())));
      TestNetpbm.pgm(stare.resolve("labels-vk/im" + keys[i] + ".vk.ppm"), W, new int[W * H]);
      cropTwin(crop, "crop_train", keys[i], image, c.label(), null);
      if (gzip) {
        TestNetpbm.gzip(image);
        TestNetpbm.gzip(label);
      }
    }
    return assertSameAsCrop(stare, crop, SourceLayout.STARE, 3, 0);
  }

  @Test
  void hrfAsDistributed() throws Exception {
    Path hrf = tmp.resolve("HRF");
    Path crop = tmp.resolve("crop");
    String[] keys = {"01_h", "01_g", "02_dr"};
    for (int i = 0; i < keys.length; i++) {
      SampleCase c = sample(i);
      Path image = TestImages.rgb8(hrf.resolve("images/" + keys[i] + ".jpg"), W, rgb(c), "jpg");
      TestImages.gray8(hrf.resolve("manual1/" + keys[i] + ".tif"), W, gray(c.label()), "tiff");
      TestImages.gray8(hrf.resolve("mask/" + keys[i] + "_mask.tif"), W, gray(c.mask()), "tiff");
      cropTwin(crop, "crop_train", keys[i], image, c.label(), c.mask());
    }
    DatasetManifest m = assertSameAsCrop(hrf, crop, SourceLayout.HRF, 3, 0);
    assertEquals(List.of(PublicLayouts.NO_SPLIT), m.notes());
  }

  @Test
  void eachLayoutIsDetectedAndAnUnknownFolderListsThemAll() throws Exception {
    Path drive = tmp.resolve("d/training/images");
    Files.createDirectories(drive);
    assertEquals(SourceLayout.DRIVE, SourceScanner.detect(tmp.resolve("d")));
    Path chase = Files.createDirectories(tmp.resolve("c"));
    Files.writeString(chase.resolve("Image_01L.jpg"), "");
    assertEquals(SourceLayout.CHASE_DB1, SourceScanner.detect(chase));
    Path stare = Files.createDirectories(tmp.resolve("s/labels-ah"));
    assertEquals(SourceLayout.STARE, SourceScanner.detect(stare.getParent()));
    Path hrf = tmp.resolve("h");
    Files.createDirectories(hrf.resolve("images"));
    Files.createDirectories(hrf.resolve("manual1"));
    assertEquals(SourceLayout.HRF, SourceScanner.detect(hrf));
    Files.createDirectories(tmp.resolve("k/crop_train"));
    assertEquals(SourceLayout.CROP_FOLDERS, SourceScanner.detect(tmp.resolve("k")));
    Files.createDirectories(tmp.resolve("f/images"));
    assertEquals(SourceLayout.IMAGE_LABEL_FOLDERS, SourceScanner.detect(tmp.resolve("f")));

    Files.createDirectories(hrf.resolve("labels"));
    InvalidInputException both = assertThrows(InvalidInputException.class,
        () -> SourceScanner.detect(hrf));
    assertTrue(both.getMessage().contains("several source layouts ([folders, hrf])"),
        both.getMessage());
    assertTrue(both.getMessage().contains("--layout"), both.getMessage());

    Path unknown = Files.createDirectories(tmp.resolve("u/photos"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SourceScanner.detect(unknown.getParent()));
    for (String layout : List.of("crop:", "folders:", "raw:", "drive:", "chase:", "stare:", "hrf:")) {
      assertTrue(e.getMessage().contains(layout), e.getMessage());
    }
  }

  @Test
  void aNamedLayoutIsReadAsSuchAndMissingFilesAreNamed() throws Exception {
    Path chase = Files.createDirectories(tmp.resolve("c"));
    SampleCase c = sample(0);
    TestImages.rgb8(chase.resolve("Image_01L.jpg"), W, rgb(c), "jpg");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> SourceScanner.scan(chase, "X", SourceLayout.CHASE_DB1));
    assertTrue(e.getMessage().contains("Image_01L_1stHO.<ending>"), e.getMessage());
    InvalidInputException notDrive = assertThrows(InvalidInputException.class,
        () -> SourceScanner.scan(chase, "X", SourceLayout.DRIVE));
    assertTrue(notDrive.getMessage().contains("training/images/NN_training.tif"),
        notDrive.getMessage());
    assertEquals(SourceLayout.HRF, SourceLayout.parse("HRF"));
    assertEquals(SourceLayout.CHASE_DB1, SourceLayout.parse("chase"));
    assertThrows(InvalidInputException.class, () -> SourceLayout.parse("isbi"));
  }
}
