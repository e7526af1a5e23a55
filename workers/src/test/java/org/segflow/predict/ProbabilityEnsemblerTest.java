package org.segflow.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.evaluate.LabelMap;
import org.segflow.io.NpyFile.NpyArray;
import org.segflow.io.NpyFile;

class ProbabilityEnsemblerTest {

  @TempDir
  Path dir;

  /** Two classes over a 2x2 image; {@code fg} is the foreground probability of each pixel. */
  private static void write(Path file, float... fg) {
    float[] p = new float[8];
    for (int i = 0; i < 4; i++) {
      p[i] = 1f - fg[i];
      p[4 + i] = fg[i];
    }
    NpyFile.writeNpz(file, Map.of("probabilities", NpyArray.ofFloats(p, 2, 1, 2, 2)), true);
  }

  @Test
  void averagesProbabilitiesThenTakesTheArgmax() throws Exception {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    write(a.resolve("c1.npz"), 0.9f, 0.2f, 0.6f, 0.4f);
    write(b.resolve("c1.npz"), 0.3f, 0.4f, 0.2f, 0.7f);
    write(a.resolve("c2.npz"), 0.5f, 0.1f, 0.1f, 0.1f);
    write(b.resolve("c2.npz"), 0.5f, 0.1f, 0.1f, 0.1f);
    Files.writeString(a.resolve("dataset.json"), "{}");
    Path out = dir.resolve("out");
    assertEquals(List.of("c1", "c2"), ProbabilityEnsembler.ensemble(List.of(a, b), out, true));

    // means 0.6, 0.3, 0.4, 0.55: only the first and the last pixel are foreground
    assertArrayEquals(new short[] {1, 0, 0, 1}, LabelMap.read(out.resolve("c1.png")).labels());
    // 0.5 against 0.5: the first class wins, as numpy's argmax
    assertArrayEquals(new short[] {0, 0, 0, 0}, LabelMap.read(out.resolve("c2.png")).labels());
    NpyArray mean = NpyFile.readNpz(out.resolve("c1.npz")).get("probabilities");
    assertArrayEquals(new int[] {2, 1, 2, 2}, mean.shape());
    float[] m = mean.floats();
    assertEquals((0.9f + 0.3f) / 2f, m[4], 0f);
    assertEquals(((1f - 0.4f) + (1f - 0.7f)) / 2f, m[3], 0f);
    assertTrue(Files.isRegularFile(out.resolve("dataset.json")));

    Path plain = dir.resolve("plain");
    ProbabilityEnsembler.ensemble(List.of(a, b), plain, false);
    assertTrue(Files.isRegularFile(plain.resolve("c1.png")));
    assertFalse(Files.exists(plain.resolve("c1.npz")));
  }

  @Test
  void differingCaseSetsAreAnErrorListingThem() {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    write(a.resolve("c1.npz"), 0.1f, 0.1f, 0.1f, 0.1f);
    write(a.resolve("c2.npz"), 0.1f, 0.1f, 0.1f, 0.1f);
    write(b.resolve("c1.npz"), 0.1f, 0.1f, 0.1f, 0.1f);
    write(b.resolve("c3.npz"), 0.1f, 0.1f, 0.1f, 0.1f);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ProbabilityEnsembler.ensemble(List.of(a, b), dir.resolve("out"), false));
    assertTrue(e.getMessage().contains(a + " lacks [c3]"), e.getMessage());
    assertTrue(e.getMessage().contains(b + " lacks [c2]"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("out").resolve("c1.png")), "nothing written before the check");
  }

  @Test
  void differingShapesAndMissingKeyAreRefused() {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    write(a.resolve("c1.npz"), 0.1f, 0.1f, 0.1f, 0.1f);
    NpyFile.writeNpz(b.resolve("c1.npz"), Map.of("probabilities", NpyArray.ofFloats(new float[6], 2, 1, 1, 3)), true);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> ProbabilityEnsembler.ensemble(List.of(a, b), dir.resolve("out"), false));
    assertTrue(e.getMessage().contains("shape"), e.getMessage());
    NpyFile.writeNpz(b.resolve("c1.npz"), Map.of("softmax", NpyArray.ofFloats(new float[8], 2, 1, 2, 2)), true);
    e = assertThrows(InvalidInputException.class,
        () -> ProbabilityEnsembler.ensemble(List.of(a, b), dir.resolve("out"), false));
    assertTrue(e.getMessage().contains("no 'probabilities'"), e.getMessage());
  }
}
