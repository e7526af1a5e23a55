package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngWriterTest {

  @TempDir
  Path dir;

  @Test
  void labelMapIs8BitBelow255And16BitFrom255() {
    Path small = dir.resolve("s.png");
    PngWriter.writeLabelMap(small, new ImageArray(1, 1, 3, new float[] {0, 1, 254}));
    DecodedImage s = ImageFiles.readDecoded(small);
    assertEquals(8, s.bitDepth());
    assertArrayEquals(new float[] {0, 1, 254}, s.pixels().data());

    Path big = dir.resolve("b.png");
    PngWriter.writeLabelMap(big, new ImageArray(1, 1, 2, new float[] {0, 255}));
    DecodedImage b = ImageFiles.readDecoded(big);
    assertEquals(16, b.bitDepth());
    assertArrayEquals(new float[] {0, 255}, b.pixels().data());
  }

  @Test
  void intLabelsRoundTrip() {
    byte[] png = PngWriter.encodeLabelMap(2, 2, new int[] {0, 1, 2, 3});
    assertArrayEquals(new float[] {0, 1, 2, 3},
        ImageFiles.decode(png, Path.of("x.png")).pixels().data());
  }

  @Test
  void grayAndRgbRoundTrip() throws Exception {
    ImageArray gray = new ImageArray(1, 2, 2, new float[] {0, 50, 200, 255});
    Path g = dir.resolve("g.png");
    PngWriter.writeGray8(g, gray);
    assertEquals(gray, ImageFiles.read(g));

    ImageArray gray16 = new ImageArray(1, 1, 2, new float[] {7, 60000});
    Path g16 = dir.resolve("g16.png");
    PngWriter.writeGray16(g16, gray16);
    assertEquals(gray16, ImageFiles.read(g16));

    ImageArray rgb = new ImageArray(3, 1, 2, new float[] {255, 181, 0, 98, 0, 57});
    Path c = dir.resolve("c.png");
    PngWriter.writeRgb8(c, rgb);
    assertEquals(rgb, ImageFiles.read(c));
    // deterministic: same pixels, same bytes
    assertArrayEquals(Files.readAllBytes(c), PngWriter.encodeRgb8(rgb));
  }

  @Test
  void refusesValuesItCannotStore() {
    assertThrows(IllegalArgumentException.class,
        () -> PngWriter.encodeGray8(new ImageArray(1, 1, 1, new float[] {256})));
    assertThrows(IllegalArgumentException.class,
        () -> PngWriter.encodeGray8(new ImageArray(1, 1, 1, new float[] {0.5f})));
    assertThrows(IllegalArgumentException.class,
        () -> PngWriter.encodeLabelMap(new ImageArray(1, 1, 1, new float[] {-1})));
    assertThrows(IllegalArgumentException.class,
        () -> PngWriter.encodeRgb8(new ImageArray(1, 1, 1, new float[] {0})));
  }
}
