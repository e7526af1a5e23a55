package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngWriterInterleavedTest {

  @Test
  void rgbAndGrayRoundTripThroughImageIo() throws IOException {
    SplittableRandom rnd = new SplittableRandom(9);
    for (int[] size : new int[][] {{1, 1}, {7, 3}, {33, 50}}) {
      int h = size[0];
      int w = size[1];
      byte[] rgb = new byte[3 * h * w];
      byte[] gray = new byte[h * w];
      for (int i = 0; i < rgb.length; i++) {
        rgb[i] = (byte) rnd.nextInt(256);
      }
      for (int i = 0; i < gray.length; i++) {
        gray[i] = (byte) (rnd.nextBoolean() ? 255 : 0);
      }
      assertArrayEquals(rgb, decode(PngWriter.encodeInterleaved8(w, h, 3, rgb), w, h, 3));
      assertArrayEquals(gray, decode(PngWriter.encodeInterleaved8(w, h, 1, gray), w, h, 1));
      assertArrayEquals(PngWriter.encodeInterleaved8(w, h, 3, rgb), PngWriter.encodeInterleaved8(w, h, 3, rgb));
    }
  }

  private static byte[] decode(byte[] png, int w, int h, int bands) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(w, img.getWidth());
    assertEquals(h, img.getHeight());
    assertEquals(bands, img.getRaster().getNumBands());
    int[] v = img.getRaster().getPixels(0, 0, w, h, (int[]) null);
    byte[] out = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (byte) v[i];
    }
    return out;
  }
}
