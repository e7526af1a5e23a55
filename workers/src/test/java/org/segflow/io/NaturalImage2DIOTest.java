package org.segflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;

class NaturalImage2DIOTest {

  @TempDir
  Path dir;

  @Test
  void stacksChannelFilesAndAnRgbFileCountsThree() {
    Path c0 = TestImages.rgb8(dir.resolve("a_0000.png"), 1, new int[] {1, 2, 3});
    Path c1 = TestImages.gray8(dir.resolve("a_0001.png"), 1, new int[] {9});
    ImageArray a = NaturalImage2DIO.readImages(List.of(c0, c1));
    assertEquals(4, a.channels());
    assertArrayEquals(new float[] {1, 2, 3, 9}, a.data());
    assertArrayEquals(new double[] {999, 1, 1}, NaturalImage2DIO.spacing());
  }

  @Test
  void channelsOfDifferentSizeAreAnError() {
    Path c0 = TestImages.gray8(dir.resolve("a_0000.png"), 2, new int[] {1, 2});
    Path c1 = TestImages.gray8(dir.resolve("a_0001.png"), 1, new int[] {9});
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> NaturalImage2DIO.readImages(List.of(c0, c1)));
    assertTrue(e.getMessage().contains("a_0000.png"), e.getMessage());
    assertEquals(c1, e.file());
  }

  @Test
  void segmentationValuesAreNotRemapped() {
    Path s = TestImages.gray8(dir.resolve("s.png"), 2, new int[] {0, 255});
    assertArrayEquals(new float[] {0, 255}, NaturalImage2DIO.readSeg(s).data());
  }

  @Test
  void readerSelection() {
    Path img = TestImages.gray8(dir.resolve("a_0000.png"), 1, new int[] {1});
    assertEquals("NaturalImage2DIO", ReaderWriterRegistry.select(".png", null, img));
    assertEquals("NaturalImage2DIO", ReaderWriterRegistry.select(".png", "NoSuchIO", img));
    InvalidInputException ending = assertThrows(InvalidInputException.class,
        () -> ReaderWriterRegistry.select(".nii.gz", null, img));
    assertTrue(ending.getMessage().contains("'.nii.gz'"), ending.getMessage());
    InvalidInputException sitk = assertThrows(InvalidInputException.class,
        () -> ReaderWriterRegistry.select(".png", "SimpleITKIO", img));
    assertTrue(sitk.getMessage().contains("SimpleITKIO"), sitk.getMessage());
  }
}
