package org.segflow.dataset;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;

class DatasetLocatorTest {

  @TempDir
  Path raw;

  private void mkdirs(String... names) throws Exception {
    for (String n : names) {
      Files.createDirectories(raw.resolve(n));
    }
  }

  @Test
  void namesAreThreeDigitFolders() {
    assertEquals("Dataset002_CHASEDB1", new DatasetName(2, "CHASEDB1").folderName());
    assertEquals(new DatasetName(120, "Road-Seg.v2"), DatasetName.parse("Dataset120_Road-Seg.v2"));
    assertEquals(Optional.empty(), DatasetName.parseFolder("Dataset2_X"));
    assertEquals(Optional.empty(), DatasetName.parseFolder(".Dataset002_X.tmp-1"));
    assertThrows(InvalidInputException.class, () -> new DatasetName(0, "X"));
    assertThrows(InvalidInputException.class, () -> new DatasetName(1000, "X"));
    assertThrows(InvalidInputException.class, () -> new DatasetName(2, "has space"));
  }

  @Test
  void resolvesIdFullNameAndBareName() throws Exception {
    mkdirs("Dataset002_CHASEDB1", "Dataset010_DRIVE", "not_a_dataset");
    DatasetName chase = new DatasetName(2, "CHASEDB1");
    assertEquals(chase, DatasetLocator.resolve(raw, "2"));
    assertEquals(chase, DatasetLocator.resolve(raw, "002"));
    assertEquals(chase, DatasetLocator.resolve(raw, " Dataset002_CHASEDB1 "));
    assertEquals(chase, DatasetLocator.resolve(raw, "CHASEDB1"));
    assertEquals(new DatasetName(10, "DRIVE"), DatasetLocator.resolve(raw, "10"));
  }

  @Test
  void unknownReferencesSayWhatWasSearched() throws Exception {
    mkdirs("Dataset002_CHASEDB1");
    InvalidInputException byId = assertThrows(InvalidInputException.class,
        () -> DatasetLocator.resolve(raw, "3"));
    assertTrue(byId.getMessage().contains("Dataset003_*"), byId.getMessage());
    InvalidInputException wrongName = assertThrows(InvalidInputException.class,
        () -> DatasetLocator.resolve(raw, "Dataset002_DRIVE"));
    assertTrue(wrongName.getMessage().contains("id 2 is Dataset002_CHASEDB1"), wrongName.getMessage());
    assertThrows(InvalidInputException.class, () -> DatasetLocator.resolve(raw, "DRIVE"));
    assertThrows(InvalidInputException.class, () -> DatasetLocator.resolve(raw, "1234"));
  }

  @Test
  void twoFoldersWithOneIdAreAClash() throws Exception {
    mkdirs("Dataset002_CHASEDB1", "Dataset002_DRIVE");
    for (String ref : List.of("2", "Dataset002_DRIVE", "CHASEDB1")) {
      InvalidInputException e = assertThrows(InvalidInputException.class,
          () -> DatasetLocator.resolve(raw, ref));
      assertTrue(e.getMessage().contains("dataset id clash"), ref + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("Dataset002_CHASEDB1")
          && e.getMessage().contains("Dataset002_DRIVE"), e.getMessage());
    }
  }

  @Test
  void clashAcrossRootsIsDetectedLikeNnunet(@TempDir Path preprocessed) throws Exception {
    mkdirs("Dataset002_CHASEDB1");
    Files.createDirectories(preprocessed.resolve("Dataset002_Other"));
    DatasetLocator locator = new DatasetLocator(List.of(raw, preprocessed));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> locator.resolve("2"));
    assertTrue(e.getMessage().contains("dataset id clash"), e.getMessage());
  }

  @Test
  void bareNameUsedByTwoIdsIsAmbiguous() throws Exception {
    mkdirs("Dataset002_X", "Dataset003_X");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> DatasetLocator.resolve(raw, "X"));
    assertTrue(e.getMessage().contains("ambiguous"), e.getMessage());
  }

  @Test
  void convertTargetMustNotReuseAnIdOrName() throws Exception {
    mkdirs("Dataset002_CHASEDB1");
    assertDoesNotThrow(() -> DatasetLocator.checkConvertTarget(raw, new DatasetName(2, "CHASEDB1")));
    assertDoesNotThrow(() -> DatasetLocator.checkConvertTarget(raw, new DatasetName(3, "DRIVE")));
    InvalidInputException id = assertThrows(InvalidInputException.class,
        () -> DatasetLocator.checkConvertTarget(raw, new DatasetName(2, "DRIVE")));
    assertTrue(id.getMessage().contains("dataset id clash: id 2 is already Dataset002_CHASEDB1"),
        id.getMessage());
    InvalidInputException name = assertThrows(InvalidInputException.class,
        () -> DatasetLocator.checkConvertTarget(raw, new DatasetName(5, "CHASEDB1")));
    assertTrue(name.getMessage().contains("already used by Dataset002_CHASEDB1"), name.getMessage());
  }
}
