package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.segflow.InvalidInputException;

class ImageFormatTest {

  @Test
  void recognisesEndingsCaseInsensitively() {
    assertEquals(Optional.of(ImageFormat.TIFF), ImageFormat.of(Path.of("a.TIFF")));
    assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.of(Path.of("a.jpeg")));
    assertEquals(Optional.of(ImageFormat.GIF), ImageFormat.of(Path.of("a.GIF")));
    assertEquals(Optional.of(ImageFormat.NETPBM), ImageFormat.of(Path.of("im0001.ah.ppm")));
    assertEquals(Optional.empty(), ImageFormat.of(Path.of("a.webp")));
  }

  @Test
  void jpegIsAcceptedForImagesButNotForLabelsOrMasks() {
    assertEquals(ImageFormat.JPEG, ImageFormat.requireSourceImage(Path.of("image.jpg")));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ImageFormat.requireLossless(Path.of("case/label.jpg"), "label"));
    assertTrue(e.getMessage().contains("JPEG is not accepted for a label"), e.getMessage());
    assertEquals(Path.of("case/label.jpg"), e.file());
    assertThrows(InvalidInputException.class,
        () -> ImageFormat.requireLossless(Path.of("mask.JPG"), "mask"));
    assertEquals(ImageFormat.PNG, ImageFormat.requireLossless(Path.of("label.png"), "label"));
  }

  @Test
  void unknownFormatsAreRejected() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ImageFormat.requireSourceImage(Path.of("image.webp")));
    assertTrue(e.getMessage().contains("'.webp'"), e.getMessage());
  }
}
