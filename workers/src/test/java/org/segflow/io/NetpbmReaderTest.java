package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;

class NetpbmReaderTest {

  @TempDir
  Path dir;

  private static DecodedImage decode(String text) {
    return ImageFiles.decode(text.getBytes(StandardCharsets.ISO_8859_1), Path.of("x.ppm"));
  }

  private static String fails(String text) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> decode(text));
    assertEquals(Path.of("x.ppm"), e.file());
    return e.getMessage();
  }

  @Test
  void readsBinaryRgbAndGrayThroughImageFiles() {
    Path rgb = TestNetpbm.ppm(dir.resolve("im0001.ppm"), 2, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9,
        10, 11, 255});
    DecodedImage d = ImageFiles.readDecoded(rgb);
    assertEquals(8, d.bitDepth());
    assertEquals(3, d.pixels().channels());
    assertEquals(2, d.pixels().height());
    assertArrayEquals(new float[] {1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 255}, d.pixels().data());
    Path gray = TestNetpbm.pgm(dir.resolve("im0001.ah.pgm"), 3, new int[] {0, 255, 0});
    assertArrayEquals(new float[] {0, 255, 0}, ImageFiles.read(gray).data());
  }

  @Test
  void readsAsciiWithCommentsAndSixteenBitBinary() {
    DecodedImage a = decode("P3 # rgb\n2 1 # size\n255\n 1 2 3\n# a comment\n 250 251 252\n");
    assertArrayEquals(new float[] {1, 250, 2, 251, 3, 252}, a.pixels().data());
    DecodedImage g = decode("P2 2 1 1\n0 1");
    assertArrayEquals(new float[] {0, 1}, g.pixels().data());
    DecodedImage wide = decode("P5 2 1 65535\n\u0001\u0000\u00ff\u00ff");
    assertEquals(16, wide.bitDepth());
    assertArrayEquals(new float[] {256, 65535}, wide.pixels().data());
  }

  @Test
  void refusesBadHeadersAndShortDataBeforeAllocating() {
    assertTrue(fails("P6 100000 100000 255\n").contains("limit"), "pixel budget");
    assertTrue(fails("P6 99999999999 1 255\n").contains("more than 10 digits"));
    assertTrue(fails("P6 2 2 0\n").contains("maxval 0"));
    assertTrue(fails("P6 2 2 70000\n").contains("maxval 70000"));
    assertTrue(fails("P6 0 2 255\n").contains("positive width"));
    assertTrue(fails("P6 2 2\n").contains("header ends before its maxval"));
    assertTrue(fails("P6 x 2 255\n").contains("number for the width"));
    assertTrue(fails("P6 2 2 255\nabc").contains("truncated"));
    assertTrue(fails("P3 1 1 255 1 2").contains("truncated"));
    assertTrue(fails("P2 1 1 7 9").contains("exceeds maxval 7"));
  }

  @Test
  void gzippedPpmIsInflatedOnlyAsFarAsItsHeaderAllows() throws Exception {
    Path ppm = TestNetpbm.ppm(dir.resolve("im0001.ppm"), 1, new int[] {9, 8, 7});
    Files.write(ppm, new byte[] {1, 2, 3}, StandardOpenOption.APPEND); // trailing bytes are ignored
    Path gz = TestNetpbm.gzip(ppm);
    assertEquals(Optional.of(ImageFormat.NETPBM), ImageFormat.of(gz));
    assertEquals("im0001", ImageFiles.stem(gz));
    assertArrayEquals(new float[] {9, 8, 7}, ImageFiles.read(gz).data());

    // a bomb: a small gzip of a header declaring 20000x20000 followed by zeros
    Path bomb = dir.resolve("bomb.ppm");
    Files.write(bomb, "P6 20000 20000 255\n".getBytes(StandardCharsets.US_ASCII));
    Files.write(bomb, new byte[1 << 20], StandardOpenOption.APPEND);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ImageFiles.read(TestNetpbm.gzip(bomb)));
    assertTrue(e.getMessage().contains("limit"), e.getMessage());

    Path png = TestImages.gray8(dir.resolve("label.png"), 1, new int[] {0});
    Path pngGz = TestNetpbm.gzip(png);
    assertEquals(Optional.empty(), ImageFormat.of(pngGz));
    InvalidInputException notPpm = assertThrows(InvalidInputException.class,
        () -> ImageFiles.read(pngGz));
    assertTrue(notPpm.getMessage().contains("only gzipped Netpbm"), notPpm.getMessage());
  }
}
