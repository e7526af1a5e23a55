package org.segflow.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.dataset.RawCase;
import org.segflow.io.ImageArray;

class CaseLoaderTest {

  @TempDir
  Path dir;

  @Test
  void stacksChannelFilesInOrder() {
    Path a = TestImages.gray(dir.resolve("x_0000.png"), 2, 3, (b, y, x) -> 10 + x);
    Path c = TestImages.rgb(dir.resolve("x_0001.png"), 2, 3, (b, y, x) -> 100 * b + y);
    ImageArray img = CaseLoader.readImage(List.of(a, c));
    assertEquals(4, img.channels());
    assertEquals(12f, img.get(0, 1, 2));
    assertEquals(1f, img.get(1, 1, 0));
    assertEquals(201f, img.get(3, 1, 0));
  }

  @Test
  void labelsMustBeSingleChannelAndTheImageSize() {
    Path img = TestImages.gray(dir.resolve("x_0000.png"), 2, 3, (b, y, x) -> 1);
    Path rgbLabel = TestImages.rgb(dir.resolve("rgb.png"), 2, 3, (b, y, x) -> 0);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CaseLoader.load(new RawCase("x", List.of(img), rgbLabel, null)));
    assertTrue(e.getMessage().contains("rgb.png") && e.getMessage().contains("single-channel"),
        e.getMessage());
    Path small = TestImages.gray(dir.resolve("small.png"), 2, 2, (b, y, x) -> 0);
    e = assertThrows(InvalidInputException.class,
        () -> CaseLoader.load(new RawCase("x", List.of(img), small, null)));
    assertTrue(e.getMessage().contains("2x2") && e.getMessage().contains("2x3"), e.getMessage());
    Path ok = TestImages.gray(dir.resolve("ok.png"), 2, 3, (b, y, x) -> x == 2 ? 255 : 1);
    assertArrayEquals(new short[] {1, 1, 255, 1, 1, 255},
        CaseLoader.load(new RawCase("x", List.of(img), ok, null)).seg());
  }

  @Test
  void channelFilesMustShareTheirSize() {
    Path a = TestImages.gray(dir.resolve("x_0000.png"), 2, 3, (b, y, x) -> 1);
    Path c = TestImages.gray(dir.resolve("x_0001.png"), 3, 3, (b, y, x) -> 1);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CaseLoader.readImage(List.of(a, c)));
    assertTrue(e.getMessage().contains("x_0001.png"), e.getMessage());
  }
}
