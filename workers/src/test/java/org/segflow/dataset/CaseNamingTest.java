package org.segflow.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.segflow.predict.InputCase;
import org.segflow.predict.InputScanner;

/** Convert and predict name the cases of the users' layout alike, whatever subset is predicted. */
class CaseNamingTest {

  @TempDir Path dir;

  /** crop_test/0..test-1 and crop_train/test..total-1 (as DRIVE numbers test before training). */
  @ParameterizedTest(name = "{0} test cases of {1}")
  @CsvSource({"8, 16", "10, 20", "100, 120"})
  void predictNamesTestCasesAsConvertDid(int test, int total) throws IOException {
    Path src = dir.resolve("src");
    for (int n = 0; n < total; n++) {
      Fixtures.cropCase(src, n < test ? "crop_test" : "crop_train", Integer.toString(n), 2, 2, true,
          true);
    }
    DatasetName name = new DatasetName(903, "Infer");
    ConversionResult converted = new DatasetConverter(1).convert(src, dir.resolve("raw"), name,
        ConversionOptions.DEFAULTS);
    List<String> convertIds = RawDataset.identifiers(converted.dir().resolve("imagesTs"), ".png");
    assertEquals(test, convertIds.size());
    CaseNaming fromRaw = CaseNaming.ofRawDataset(converted.dir(), "Infer", ".png");
    CaseNaming unknown = new CaseNaming("Infer", 1);

    assertEquals(convertIds, ids(src.resolve("crop_test"), unknown), "crop_test beside crop_train");
    assertEquals(convertIds, ids(src, unknown), "the users' folder");
    Path alone = copyOf(src.resolve("crop_test"), dir.resolve("elsewhere/crop_test"));
    assertEquals(convertIds, ids(alone, fromRaw), "crop_test alone, width from the converted dataset");
    Path one = copyOf(src.resolve("crop_test/3"), dir.resolve("one/3"));
    assertEquals(List.of(convertIds.get(3)), ids(one.getParent(), fromRaw), "a single case");
    assertEquals(Optional.of(fromRaw), CaseNaming.recognise(convertIds));
  }

  @Test
  void numbersArePaddedOtherNamesKept() {
    CaseNaming n = CaseNaming.over("Infer", List.of("7", "12", "abc"));
    assertEquals("Infer_07", n.id("7"));
    assertEquals("Infer_07", n.id("007"));
    assertEquals("Infer_abc", n.id("abc"));
    assertEquals(Optional.of(new CaseNaming("My_Set", 3)),
        CaseNaming.recognise(List.of("My_Set_001", "My_Set_x", "My_Set_120")));
    assertEquals(Optional.empty(), CaseNaming.recognise(List.of("A_1", "B_2")));
  }

  private static List<String> ids(Path in, CaseNaming naming) {
    return InputScanner.scan(in, ".png", naming).cases().stream().map(InputCase::id).toList();
  }

  private static Path copyOf(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
    return to;
  }
}
