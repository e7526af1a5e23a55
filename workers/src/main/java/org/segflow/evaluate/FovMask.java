package org.segflow.evaluate;

import java.nio.file.Path;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;

/**
 * A field-of-view mask (retinal datasets are scored inside the FOV): a pixel is inside when the
 * image's first channel is above 0, so 0/255 gray, RGB and gray+alpha masks all work.
 */
public record FovMask(int height, int width, boolean[] inside) {

  public FovMask {
    if (inside.length != (long) height * width) {
      throw new IllegalArgumentException("mask " + height + "x" + width + " with " + inside.length
          + " values");
    }
  }

  public static FovMask read(Path file) {
    ImageArray image = ImageFiles.read(file);
    float[] d = image.data();
    boolean[] inside = new boolean[image.pixels()];
    for (int i = 0; i < inside.length; i++) {
      inside[i] = d[i] > 0;
    }
    return new FovMask(image.height(), image.width(), inside);
  }
}
