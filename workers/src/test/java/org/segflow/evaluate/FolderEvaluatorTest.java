package org.segflow.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;

class FolderEvaluatorTest {

  private static void write(Path file, short[] labels) {
    new LabelMap(3, 4, labels).writePng(file);
  }

  private static FolderEvaluator evaluator() {
    return new FolderEvaluator(List.of(1, 2), OptionalInt.empty(), ".png");
  }

  private static void fill(Path dir) throws Exception {
    String[] names = {"A.png", "B.png", "C.png"};
    for (int i = 0; i < 3; i++) {
      write(dir.resolve("pred").resolve(names[i]), SummaryJsonTest.PREDS[i]);
      write(dir.resolve("ref").resolve(names[i]), SummaryJsonTest.REFS[i]);
    }
  }

  @Test
  void labelMapsSurviveAPngRoundTrip(@TempDir Path dir) {
    short[] labels = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 300};
    Path f = dir.resolve("wide.png");
    write(f, labels);
    assertEquals(new LabelMap(3, 4, labels).max(), LabelMap.read(f).max());
    assertTrue(java.util.Arrays.equals(labels, LabelMap.read(f).labels()));
    ImageArray gray = ImageFiles.read(f);
    assertEquals(1, gray.channels());
  }

  @Test
  void evaluatesEveryPredictionAgainstItsReference(@TempDir Path dir) throws Exception {
    fill(dir);
    Summary s = evaluator().evaluate(dir.resolve("pred"), dir.resolve("ref"), null);
    assertEquals(3, s.cases().size());
    assertEquals(dir.resolve("pred").resolve("A.png").toString(), s.cases().get(0).predictionFile());
    assertEquals(new LabelMetrics(2, 1, 1, 8), s.cases().get(0).metrics().get(1));
    assertEquals(0.6071428571428571, s.foregroundMeanDice(), 0.0);
  }

  @Test
  void predictionsMayBeASubsetOfTheReferences(@TempDir Path dir) throws Exception {
    fill(dir);
    Files.delete(dir.resolve("pred").resolve("B.png"));
    Summary s = evaluator().evaluate(dir.resolve("pred"), dir.resolve("ref"), null);
    assertEquals(2, s.cases().size());
  }

  @Test
  void aMissingPredictionIsNamed(@TempDir Path dir) throws Exception {
    fill(dir);
    Files.delete(dir.resolve("pred").resolve("B.png"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> evaluator().evaluate(
        dir.resolve("pred"), dir.resolve("ref"), null, List.of("A.png", "B.png", "C.png")));
    assertEquals(dir.resolve("pred").resolve("B.png"), e.file());
    assertTrue(e.getMessage().contains("missing prediction"), e.getMessage());
  }

  @Test
  void aMissingReferenceIsNamed(@TempDir Path dir) throws Exception {
    fill(dir);
    Files.delete(dir.resolve("ref").resolve("C.png"));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> evaluator().evaluate(dir.resolve("pred"), dir.resolve("ref"), null));
    assertEquals(dir.resolve("ref").resolve("C.png"), e.file());
  }

  @Test
  void unexpectedLabelValuesAreRefused(@TempDir Path dir) throws Exception {
    fill(dir);
    write(dir.resolve("ref").resolve("A.png"), new short[] {0, 255, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> evaluator().evaluate(dir.resolve("pred"), dir.resolve("ref"), null));
    assertTrue(e.getMessage().contains("255"), e.getMessage());
    assertEquals(dir.resolve("ref").resolve("A.png"), e.file());
  }

  @Test
  void masksOf0And255AgainstLabelsOf0And1AreRefusedNotScoredAsDice0(@TempDir Path dir) {
    short[] ref = {0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0};
    short[] pred = new short[ref.length];
    for (int i = 0; i < ref.length; i++) {
      pred[i] = (short) (ref[i] * 255);
    }
    write(dir.resolve("ref").resolve("A.png"), ref);
    write(dir.resolve("pred").resolve("A.png"), pred);
    // the labels found in the images, as `segflow evaluate` takes them without a dataset.json
    FolderEvaluator found = new FolderEvaluator(List.of(1, 255), OptionalInt.empty(), ".png");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> found.evaluate(dir.resolve("pred"), dir.resolve("ref"), null));
    assertEquals(dir.resolve("pred").resolve("A.png"), e.file());
    assertEquals(dir.resolve("pred").resolve("A.png") + ": holds label value(s) [255] but the references hold only"
        + " [1] (e.g. " + dir.resolve("ref").resolve("A.png") + "): no label is in both, so every Dice would be 0."
        + " Predictions and references must use the same values 0..K (a 0/255 mask needs 255 converted to 1), or"
        + " give the dataset's labels with --labels", e.getMessage());
    // with the dataset's labels the 255 is refused where it is read
    e = assertThrows(InvalidInputException.class, () -> new FolderEvaluator(List.of(1), OptionalInt.empty(), ".png")
        .evaluate(dir.resolve("pred"), dir.resolve("ref"), null));
    assertTrue(e.getMessage().contains("label value 255 is not one of the dataset's labels [0, 1]"), e.getMessage());
  }

  @Test
  void predictionsWithoutAnyForegroundAreScoredNotRefused(@TempDir Path dir) {
    write(dir.resolve("ref").resolve("A.png"), new short[] {0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    write(dir.resolve("pred").resolve("A.png"), new short[12]);
    Summary s = new FolderEvaluator(List.of(1), OptionalInt.empty(), ".png")
        .evaluate(dir.resolve("pred"), dir.resolve("ref"), null);
    assertEquals(0.0, s.foregroundMeanDice(), 0.0);
  }

  @Test
  void sizeMismatchIsRefused(@TempDir Path dir) throws Exception {
    fill(dir);
    new LabelMap(2, 2, new short[4]).writePng(dir.resolve("pred").resolve("A.png"));
    assertThrows(InvalidInputException.class,
        () -> evaluator().evaluate(dir.resolve("pred"), dir.resolve("ref"), null));
  }

  @Test
  void fieldOfViewMasksRestrictTheExtraSection(@TempDir Path dir) throws Exception {
    fill(dir);
    short[] fov = new short[12];
    for (int i = 0; i < 12; i++) {
      fov[i] = (short) (i % 4 == 0 ? 0 : 255);
    }
    for (String n : List.of("A.png", "B.png", "C.png")) {
      write(dir.resolve("fov").resolve(n), fov);
    }
    Summary s = evaluator().evaluate(dir.resolve("pred"), dir.resolve("ref"), dir.resolve("fov"));
    assertTrue(s.hasFov());
    assertEquals(new LabelMetrics(2, 0, 1, 6), s.cases().get(0).fov().metrics().get(1));
    assertEquals(new LabelMetrics(2, 1, 1, 8), s.cases().get(0).metrics().get(1));
    Files.delete(dir.resolve("fov").resolve("C.png"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> evaluator().evaluate(
        dir.resolve("pred"), dir.resolve("ref"), dir.resolve("fov")));
    assertEquals(dir.resolve("fov").resolve("C.png"), e.file());
  }
}
