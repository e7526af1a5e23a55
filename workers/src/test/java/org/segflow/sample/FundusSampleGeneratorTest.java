package org.segflow.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;

class FundusSampleGeneratorTest {

  private static final SampleSpec SMALL = new SampleSpec(3, 2, 96, 112, 42);

  @TempDir
  Path tmp;

  @Test
  void sameSeedGivesSameBytesWhateverTheThreadCount() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    FundusSampleGenerator.generate(a, SMALL, false, 1);
    FundusSampleGenerator.generate(b, SMALL, false, 3);
    List<Path> filesA = files(a);
    assertEquals(files(b).stream().map(p -> b.relativize(p).toString()).toList(),
        filesA.stream().map(p -> a.relativize(p).toString()).toList());
    for (Path f : filesA) {
      assertArrayEquals(Files.readAllBytes(f), Files.readAllBytes(b.resolve(a.relativize(f))), f.toString());
    }
  }

  @Test
  void generateCaseIsRepeatableAndIndependentOfOrder() {
    SampleCase second = FundusSampleGenerator.generateCase(SMALL, SampleSplit.TRAIN, 1);
    SampleCase first = FundusSampleGenerator.generateCase(SMALL, SampleSplit.TRAIN, 0);
    SampleCase secondAgain = FundusSampleGenerator.generateCase(SMALL, SampleSplit.TRAIN, 1);
    assertArrayEquals(second.rgb(), secondAgain.rgb());
    assertArrayEquals(second.label(), secondAgain.label());
    assertArrayEquals(second.mask(), secondAgain.mask());
    assertFalse(java.util.Arrays.equals(first.rgb(), second.rgb()), "cases of one dataset differ");
  }

  @Test
  void differentSeedOrSplitGivesDifferentImages() {
    SampleSpec other = new SampleSpec(3, 2, 96, 112, 43);
    SampleCase a = FundusSampleGenerator.generateCase(SMALL, SampleSplit.TRAIN, 0);
    SampleCase b = FundusSampleGenerator.generateCase(other, SampleSplit.TRAIN, 0);
    SampleCase test = FundusSampleGenerator.generateCase(SMALL, SampleSplit.TEST, 0);
    assertFalse(java.util.Arrays.equals(a.rgb(), b.rgb()));
    assertFalse(java.util.Arrays.equals(a.label(), b.label()));
    assertFalse(java.util.Arrays.equals(a.rgb(), test.rgb()));
  }

  @Test
  void writesTheUsersLayoutWithPngsMatchingTheCasesInMemory() throws IOException {
    Path out = tmp.resolve("sample");
    FundusSampleGenerator.generate(out, SMALL);
    List<String> names = files(out).stream().map(p -> out.relativize(p).toString().replace('\\', '/')).toList();
    assertEquals(List.of(
        "crop_test/0/image.png", "crop_test/0/label.png", "crop_test/0/mask.png",
        "crop_test/1/image.png", "crop_test/1/label.png", "crop_test/1/mask.png",
        "crop_train/0/image.png", "crop_train/0/label.png", "crop_train/0/mask.png",
        "crop_train/1/image.png", "crop_train/1/label.png", "crop_train/1/mask.png",
        "crop_train/2/image.png", "crop_train/2/label.png", "crop_train/2/mask.png"), names);
    for (SampleSplit split : SampleSplit.values()) {
      for (int n = 0; n < SMALL.cases(split); n++) {
        Path dir = out.resolve(split.folder()).resolve(Integer.toString(n));
        SampleCase c = FundusSampleGenerator.generateCase(SMALL, split, n);
        BufferedImage image = ImageIO.read(dir.resolve("image.png").toFile());
        Raster r = image.getRaster();
        assertEquals(3, r.getNumBands(), "image.png is RGB");
        assertEquals(8, image.getColorModel().getComponentSize(0), "8 bits per channel");
        assertEquals(SMALL.height(), image.getHeight());
        assertEquals(SMALL.width(), image.getWidth());
        assertArrayEquals(c.rgb(), samples(r), dir + "/image.png");
        Raster label = ImageIO.read(dir.resolve("label.png").toFile()).getRaster();
        Raster mask = ImageIO.read(dir.resolve("mask.png").toFile()).getRaster();
        assertEquals(1, label.getNumBands(), "label.png is gray");
        assertEquals(1, mask.getNumBands(), "mask.png is gray");
        assertArrayEquals(c.label(), samples(label));
        assertArrayEquals(c.mask(), samples(mask));
      }
    }
    try (Stream<Path> siblings = Files.list(tmp)) {
      assertEquals(List.of(out), siblings.toList(), "no temporary folder left behind");
    }
  }

  @Test
  void labelAndMaskAreBinaryAndVesselsLieInsideTheFieldOfView() {
    SampleSpec spec = new SampleSpec(4, 0, 128, 128, 7);
    for (int n = 0; n < 4; n++) {
      SampleCase c = FundusSampleGenerator.generateCase(spec, SampleSplit.TRAIN, n);
      int vessels = 0;
      int fov = 0;
      for (int i = 0; i < c.pixels(); i++) {
        int l = c.label()[i] & 0xFF;
        int m = c.mask()[i] & 0xFF;
        assertTrue(l == 0 || l == 255, "label value " + l);
        assertTrue(m == 0 || m == 255, "mask value " + m);
        assertTrue(l == 0 || m == 255, "vessel outside the FOV at " + i);
        vessels += l == 255 ? 1 : 0;
        fov += m == 255 ? 1 : 0;
      }
      assertTrue(vessels > 0.02 * fov, "case " + n + " has vessels: " + vessels);
      assertTrue(fov > 0.6 * c.pixels() && fov < 0.8 * c.pixels(), "FOV disc covers ~70 %: " + fov);
      assertEquals(0, c.mask()[0], "corners are outside the FOV");
    }
  }

  @Test
  void refusesANonEmptyFolderUnlessOverwriting() throws IOException {
    Path out = tmp.resolve("busy");
    Files.createDirectories(out);
    Files.writeString(out.resolve("notes.txt"), "keep me");
    SampleSpec one = new SampleSpec(1, 0, 64, 64, 1);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> FundusSampleGenerator.generate(out, one));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertEquals(out, e.file());
    assertTrue(Files.exists(out.resolve("notes.txt")), "refused run leaves the folder alone");

    FundusSampleGenerator.generate(out, one, true);
    assertFalse(Files.exists(out.resolve("notes.txt")));
    assertTrue(Files.isRegularFile(out.resolve("crop_train/0/image.png")));
    assertFalse(Files.exists(out.resolve("crop_test")), "no test folder for zero test cases");
  }

  @Test
  void acceptsAnEmptyFolderAndRejectsAFile() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    FundusSampleGenerator.generate(empty, new SampleSpec(1, 1, 48, 48, 1));
    assertTrue(Files.isRegularFile(empty.resolve("crop_test/0/label.png")));

    Path file = Files.writeString(tmp.resolve("file"), "x");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> FundusSampleGenerator.generate(file, new SampleSpec(1, 0, 48, 48, 1), true));
    assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
  }

  @Test
  void specAndCaseIndexAreValidated() {
    assertThrows(InvalidInputException.class, () -> new SampleSpec(0, 0, 96, 96, 1));
    assertThrows(InvalidInputException.class, () -> new SampleSpec(1, -1, 96, 96, 1));
    InvalidInputException small = assertThrows(InvalidInputException.class,
        () -> new SampleSpec(1, 0, 16, 96, 1));
    assertTrue(small.getMessage().contains("height"), small.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> FundusSampleGenerator.generateCase(SMALL, SampleSplit.TEST, 2));
    assertEquals(new SampleSpec(20, 20, 584, 565, 5), SampleSpec.drive(5));
  }

  private static byte[] samples(Raster r) {
    int bands = r.getNumBands();
    int[] v = r.getPixels(0, 0, r.getWidth(), r.getHeight(), (int[]) null);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    assertEquals(bands * r.getWidth() * r.getHeight(), out.length);
    return out;
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
