package org.segflow.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.dataset.RawCase;

class DatasetPreprocessorTest {

  @TempDir
  Path dir;

  private List<RawCase> cases() {
    List<RawCase> cases = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      cases.add(PreprocessorTest.writeCase(dir.resolve("raw"), "case" + i));
    }
    return cases;
  }

  private static Map<String, byte[]> contents(Path folder) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.toList()) {
        out.put(f.getFileName().toString(), Files.readAllBytes(f));
      }
    }
    return out;
  }

  @Test
  void writesEveryCaseAndGtAndRerunsByteIdentically() throws Exception {
    List<RawCase> cases = cases();
    Path out = dir.resolve("pre/Dataset001_X/nnUNetPlans_2d");
    Path gt = dir.resolve("pre/Dataset001_X/gt_segmentations");
    DatasetPreprocessor.preprocessDataset(cases, PreprocessorTest.params(), out, gt);
    Map<String, byte[]> first = contents(out);
    assertEquals(20, first.size());
    assertTrue(first.containsKey("case3_locations.npy"));
    for (RawCase c : cases) {
      assertArrayEquals(Files.readAllBytes(c.label()), Files.readAllBytes(gt.resolve(c.id() + ".png")));
    }
    PreprocessedCase direct = new Preprocessor(PreprocessorTest.params()).run(cases.get(2));
    assertEquals(direct.data(), PreprocessedStore.read(out, "case2").data());

    Files.writeString(out.resolve("stale.npy"), "left over");
    Files.writeString(gt.resolve("stale.png"), "left over");
    DatasetPreprocessor.preprocessDataset(cases, new Preprocessor(PreprocessorTest.params()), out, gt,
        1);
    Map<String, byte[]> second = contents(out);
    assertEquals(first.keySet(), second.keySet()); // the folder was rebuilt, not patched
    for (String name : first.keySet()) {
      assertArrayEquals(first.get(name), second.get(name), name);
    }
    assertFalse(Files.exists(gt.resolve("stale.png")));
    try (Stream<Path> siblings = Files.list(out.getParent())) {
      assertEquals(List.of("gt_segmentations", "nnUNetPlans_2d"),
          siblings.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aFailingCaseLeavesThePreviousOutputInPlace() throws Exception {
    List<RawCase> cases = new ArrayList<>(cases());
    Path out = dir.resolve("out");
    DatasetPreprocessor.preprocessDataset(cases, PreprocessorTest.params(), out, null);
    Map<String, byte[]> before = contents(out);
    cases.add(new RawCase("broken", List.of(dir.resolve("missing_0000.png")), null, null));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> DatasetPreprocessor.preprocessDataset(cases, PreprocessorTest.params(), out, null));
    assertTrue(e.getMessage().contains("missing_0000.png"), e.getMessage());
    assertEquals(before.keySet(), contents(out).keySet());
  }

  @Test
  void duplicateCaseIdsAreRejected() {
    List<RawCase> cases = cases();
    List<RawCase> twice = List.of(cases.get(0), cases.get(0));
    assertThrows(InvalidInputException.class, () -> DatasetPreprocessor.preprocessDataset(twice,
        PreprocessorTest.params(), dir.resolve("o"), null));
  }
}
