package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;

class ImageFilesTest {

  @TempDir
  Path dir;

  @Test
  void gray8PngReadsOneChannelAsStored() {
    Path f = TestImages.gray8(dir.resolve("g.png"), 3, new int[] {0, 17, 255, 1, 2, 3});
    DecodedImage d = ImageFiles.readDecoded(f);
    assertEquals(8, d.bitDepth());
    assertEquals(1, d.pixels().channels());
    assertEquals(2, d.pixels().height());
    assertEquals(3, d.pixels().width());
    assertArrayEquals(new float[] {0, 17, 255, 1, 2, 3}, d.pixels().data());
  }

  @Test
  void gray16PngKeepsFullValues() {
    Path f = TestImages.gray16(dir.resolve("g16.png"), 2, new int[] {0, 65535, 1000, 256});
    DecodedImage d = ImageFiles.readDecoded(f);
    assertEquals(16, d.bitDepth());
    assertArrayEquals(new float[] {0, 65535, 1000, 256}, d.pixels().data());
  }

  @Test
  void rgbIsChannelMajorInRgbOrder() {
    Path f = TestImages.rgb8(dir.resolve("c.png"), 2, new int[] {255, 0, 0, 181, 98, 57});
    ImageArray a = ImageFiles.read(f);
    assertEquals(3, a.channels());
    assertArrayEquals(new float[] {255, 181, 0, 98, 0, 57}, a.data());
  }

  @Test
  void rgbaHasFourChannels() {
    Path f = TestImages.rgba8(dir.resolve("a.png"), 1, new int[] {10, 20, 30, 40});
    assertArrayEquals(new float[] {10, 20, 30, 40}, ImageFiles.read(f).data());
  }

  @Test
  void colourPaletteExpandsToRgb() {
    Path f = TestImages.palette(dir.resolve("p.png"), 3, new int[] {0, 1, 2},
        new int[] {0, 0, 0, 255, 0, 0, 1, 2, 3}, null);
    ImageArray a = ImageFiles.read(f);
    assertEquals(3, a.channels());
    assertArrayEquals(new float[] {0, 255, 1, 0, 0, 2, 0, 0, 3}, a.data());
  }

  @Test
  void grayPaletteBecomesOneChannel() {
    Path f = TestImages.palette(dir.resolve("pg.png"), 3, new int[] {0, 1, 1},
        new int[] {0, 0, 0, 255, 255, 255, 9, 8, 7}, null);
    ImageArray a = ImageFiles.read(f);
    assertEquals(1, a.channels()); // entry 2 is not gray but unused
    assertArrayEquals(new float[] {0, 255, 255}, a.data());
  }

  @Test
  void transparentPaletteBecomesRgba() {
    Path f = TestImages.palette(dir.resolve("pt.png"), 2, new int[] {0, 1},
        new int[] {0, 0, 0, 200, 100, 50}, new int[] {0, 255});
    ImageArray a = ImageFiles.read(f);
    assertEquals(4, a.channels());
    assertArrayEquals(new float[] {0, 200, 0, 100, 0, 50, 0, 255}, a.data());
  }

  @Test
  void oneBitPngReadsAs0And255LikePillow() {
    Path f = TestImages.bilevel(dir.resolve("b.png"), 4, new int[] {0, 1, 1, 0});
    assertArrayEquals(new float[] {0, 255, 255, 0}, ImageFiles.read(f).data());
  }

  @Test
  void sixteenBitRgbPngKeepsHighByteLikePillow() {
    Path f = TestImages.rgb16(dir.resolve("c16.png"), 1, new int[] {65535, 4660, 43981});
    DecodedImage d = ImageFiles.readDecoded(f);
    assertEquals(8, d.bitDepth());
    assertArrayEquals(new float[] {255, 18, 171}, d.pixels().data());
  }

  @Test
  void grayAlphaIsRejectedClearly() {
    Path f = TestImages.grayAlpha(dir.resolve("ga.png"), 1, new int[] {10, 255});
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.read(f));
    assertTrue(e.getMessage().contains("2 channels (gray + alpha)"), e.getMessage());
    assertEquals(f, e.file());
  }

  @Test
  void tiffAndBmpAreRead() {
    int[] v = {0, 1, 128, 255};
    assertArrayEquals(new float[] {0, 1, 128, 255},
        ImageFiles.read(TestImages.gray8(dir.resolve("t.tif"), 2, v, "tif")).data());
    assertArrayEquals(new float[] {0, 1, 128, 255},
        ImageFiles.read(TestImages.gray8(dir.resolve("b.bmp"), 2, v, "bmp")).data());
    ImageArray rgb = ImageFiles.read(TestImages.rgb8(dir.resolve("c.bmp"), 1, new int[] {1, 2, 3}, "bmp"));
    assertArrayEquals(new float[] {1, 2, 3}, rgb.data());
  }

  @Test
  void floatTiffKeepsFractionsAndNaN() {
    Path f = TestImages.floatTiff(dir.resolve("f.tif"), 2, new float[] {0.5f, Float.NaN});
    DecodedImage d = ImageFiles.readDecoded(f);
    assertEquals(32, d.bitDepth());
    assertEquals(0.5f, d.pixels().data()[0]);
    assertTrue(Float.isNaN(d.pixels().data()[1]));
  }

  @Test
  void missingAndGarbageFilesNameTheFile() throws Exception {
    Path missing = dir.resolve("none.png");
    assertEquals(missing, assertThrows(InvalidInputException.class, () -> ImageFiles.read(missing)).file());
    Path junk = Files.writeString(dir.resolve("junk.png"), "not an image");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.read(junk));
    assertTrue(e.getMessage().startsWith(junk.toString()), e.getMessage());
  }

  @Test
  void stemAndEnding() {
    assertEquals(".png", ImageFiles.ending(Path.of("A.PNG")));
    assertEquals("a.b", ImageFiles.stem(Path.of("x/a.b.png")));
  }

  @Test
  void anImageBombIsRefusedFromItsHeaderBeforeDecoding() {
    Path bomb = TestImages.pngBomb(dir.resolve("bomb.png"), 30000, 30000, 8);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.readDecoded(bomb));
    assertEquals(bomb + ": image header declares 30000x30000 (WxH) = 900.0 megapixels, more than the limit"
        + " of 100.0 megapixels; refused before decoding (raise the limit with SEGFLOW_MAX_IMAGE_PIXELS or"
        + " -Dsegflow.maxImagePixels)", e.getMessage());
    assertEquals(bomb, e.file());
  }

  @Test
  void thePixelBudgetIsConfigurable() {
    Path f = TestImages.grayFilled(dir.resolve("40.png"), 40, 30, 7);
    System.setProperty(PixelBudget.PROPERTY, "1000");
    try {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> ImageFiles.read(f));
      assertTrue(e.getMessage().contains("declares 40x30 (WxH)"), e.getMessage());
      System.setProperty(PixelBudget.PROPERTY, "1200");
      assertEquals(1200, ImageFiles.read(f).pixels());
      System.setProperty(PixelBudget.PROPERTY, "lots");
      e = assertThrows(InvalidInputException.class, () -> ImageFiles.read(f));
      assertEquals("system property segflow.maxImagePixels is 'lots'; expected a positive whole number of"
          + " pixels (default 100000000)", e.getMessage());
    } finally {
      System.clearProperty(PixelBudget.PROPERTY);
    }
  }

  @Test
  void bombsInTheOtherFormatsAreRefusedFromTheirHeadersToo() throws Exception {
    // BMP: BITMAPFILEHEADER (claiming a 4 GB file, which ImageIO checks the pixel data against) +
    // BITMAPINFOHEADER, 16-bit, no pixel data
    java.nio.ByteBuffer bmp = java.nio.ByteBuffer.allocate(54).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    bmp.put((byte) 'B').put((byte) 'M').putInt(-1).putInt(0).putInt(54)
        .putInt(40).putInt(30000).putInt(30000).putShort((short) 1).putShort((short) 16).putInt(0).putInt(0)
        .putInt(2835).putInt(2835).putInt(0).putInt(0);
    // TIFF: one IFD of an uncompressed 8-bit gray strip, no pixel data
    int[][] tags = {{256, 4, 30000}, {257, 4, 30000}, {258, 3, 8}, {259, 3, 1}, {262, 3, 1}, {273, 4, 200},
        {278, 4, 30000}, {279, 4, 900_000_000}};
    java.nio.ByteBuffer tif = java.nio.ByteBuffer.allocate(200).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    tif.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) tags.length);
    for (int[] t : tags) {
      tif.putShort((short) t[0]).putShort((short) t[1]).putInt(1);
      if (t[1] == 3) {
        tif.putShort((short) t[2]).putShort((short) 0);
      } else {
        tif.putInt(t[2]);
      }
    }
    tif.putInt(0);
    // JPEG: SOI, a quantization table, SOF0 of one 8-bit component, a Huffman-free SOS header
    java.io.ByteArrayOutputStream jpg = new java.io.ByteArrayOutputStream();
    jpg.write(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDB, 0, 67, 0});
    jpg.write(new byte[64]);
    jpg.write(new byte[] {(byte) 0xFF, (byte) 0xC0, 0, 11, 8, (byte) (30000 >> 8), (byte) 30000,
        (byte) (30000 >> 8), (byte) 30000, 1, 1, 0x11, 0});
    jpg.write(new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 8, 1, 1, 0, 0, 63, 0, (byte) 0xFF, (byte) 0xD9});
    java.util.List<String> wrong = new java.util.ArrayList<>();
    for (var e : java.util.Map.of("bomb.bmp", bmp.array(), "bomb.tif", tif.array(), "bomb.jpg", jpg.toByteArray())
        .entrySet()) {
      Path f = Files.write(dir.resolve(e.getKey()), e.getValue());
      InvalidInputException x = assertThrows(InvalidInputException.class, () -> ImageFiles.read(f));
      if (!x.getMessage().startsWith(f + ": image header declares 30000x30000 (WxH) = 900.0 megapixels")) {
        wrong.add(x.getMessage());
      }
    }
    assertEquals(java.util.List.of(), wrong);
  }
}
