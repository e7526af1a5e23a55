package org.segflow.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetLabels;
import org.segflow.evaluate.LabelMap;

class ReferenceLabelsTest {

  private static final DatasetLabels VESSELS = new DatasetLabels(
      new LinkedHashMap<>(Map.of("background", List.of(0), "vessel", List.of(1))), null, false, null);

  @TempDir
  Path dir;

  @Test
  void aZeroTo255MaskIsReadAsZeroOneForABinaryDataset() throws IOException {
    Path f = png("mask.png", 2, 2, 0, 255, 255, 0);
    LabelMap m = ReferenceLabels.read(f.toUri().toString(), VESSELS, 2, 2);
    assertArrayEquals(new short[] {0, 1, 1, 0}, m.labels());
    assertArrayEquals(new short[] {0, 1, 1, 0}, ReferenceLabels.read(f.toString(), VESSELS, 2, 2).labels());
  }

  @Test
  void diceIsTheForegroundMeanAndNanWithoutForeground() {
    LabelMap ref = new LabelMap(1, 4, new short[] {1, 1, 0, 0});
    LabelMap pred = new LabelMap(1, 4, new short[] {1, 0, 1, 0});
    assertEquals(0.5, ReferenceLabels.dice(ref, pred, VESSELS), 1e-12); // 2*1 / (2*1 + 1 + 1)
    assertEquals(1.0, ReferenceLabels.dice(ref, ref, VESSELS), 1e-12);
    LabelMap empty = new LabelMap(1, 4, new short[4]);
    assertTrue(Double.isNaN(ReferenceLabels.dice(empty, empty, VESSELS)));
  }

  @Test
  void aBadReferenceIsAnInputErrorNamingTheFileAndWhatWasExpected() throws IOException {
    Path values = png("values.png", 1, 3, 0, 1, 7);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ReferenceLabels.read(values.toString(), VESSELS, 1, 3));
    assertTrue(e.getMessage().contains("values.png") && e.getMessage().contains("[0, 1, 7]")
        && e.getMessage().contains("[0, 1]"), e.getMessage());

    Path small = png("small.png", 1, 2, 0, 1);
    e = assertThrows(InvalidInputException.class, () -> ReferenceLabels.read(small.toString(), VESSELS, 4, 4));
    assertTrue(e.getMessage().contains("small.png") && e.getMessage().contains("1x2")
        && e.getMessage().contains("4x4"), e.getMessage());

    Path text = Files.writeString(dir.resolve("notes.png"), "not an image");
    e = assertThrows(InvalidInputException.class, () -> ReferenceLabels.read(text.toString(), VESSELS, 1, 1));
    assertTrue(e.getMessage().contains("notes.png"), e.getMessage());

    e = assertThrows(InvalidInputException.class,
        () -> ReferenceLabels.read(dir.resolve("gone.png").toUri().toString(), VESSELS, 1, 1));
    assertTrue(e.getMessage().contains("gone.png") && e.getMessage().contains("label_uri"), e.getMessage());

    e = assertThrows(InvalidInputException.class, () -> ReferenceLabels.read("labels/x.png", VESSELS, 1, 1));
    assertTrue(e.getMessage().contains("labels/x.png"), e.getMessage());
  }

  private Path png(String name, int h, int w, int... values) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    for (int i = 0; i < values.length; i++) {
      img.getRaster().setSample(i % w, i / w, 0, values[i]);
    }
    Path f = dir.resolve(name);
    ImageIO.write(img, "png", f.toFile());
    return f;
  }
}
