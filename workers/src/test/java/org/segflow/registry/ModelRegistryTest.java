package org.segflow.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.predict.ModelFiles;
import org.segflow.storage.SegflowPaths;

/** Publishing, listing and promoting versions over a results folder with stand-in files (never loaded). */
class ModelRegistryTest {

  @TempDir
  Path home;

  SegflowPaths paths;
  Path trainer;
  ModelRegistry registry;

  @BeforeEach
  void results() throws IOException {
    paths = SegflowPaths.under(home);
    trainer = paths.results().resolve("Dataset004_Fundus").resolve("nnUNetTrainer__nnUNetPlans__2d");
    Files.createDirectories(trainer);
    Files.writeString(trainer.resolve("plans.json"), "{}");
    Files.writeString(trainer.resolve("dataset.json"), "{}");
    for (String f : List.of("0", "1")) {
      Files.createDirectories(trainer.resolve("fold_" + f));
      Files.writeString(trainer.resolve("fold_" + f).resolve("checkpoint_final.zip"), "weights " + f);
    }
    registry = new ModelRegistry(paths);
  }

  private ModelVersion publish() {
    return registry.publish(new ModelRegistry.Publication("4", "2d", "nnUNetPlans", List.of("0", "1"),
        ModelFiles.CheckpointChoice.FINAL));
  }

  @Test
  void firstVersionIsPromotedAndRepublishingTheSameFilesReturnsIt() throws IOException {
    ModelVersion v1 = publish();
    assertEquals("v1", v1.version());
    assertEquals("Dataset004_Fundus", v1.dataset());
    assertEquals(List.of("0", "1"), v1.folds());
    assertNull(v1.postprocessing());
    assertNull(v1.crossvalDice());
    // sha256("weights 0"), from Python's hashlib
    assertEquals("b6776a5e4ab488d8e9945941ab1495e02928868bde77e43e726cd2b48c60381b", v1.checkpoints().get(0).sha256());
    assertEquals("Dataset004_Fundus/nnUNetTrainer__nnUNetPlans__2d/fold_0/checkpoint_final.zip",
        v1.checkpoints().get(0).path());
    assertEquals(v1, publish());
    assertEquals("v1", registry.promoted("Fundus").orElseThrow().version());
    assertTrue(Files.isRegularFile(trainer.getParent().resolve("models").resolve("v1.json")));

    Files.writeString(trainer.resolve("fold_1").resolve("checkpoint_final.zip"), "retrained");
    ModelVersion v2 = publish();
    assertEquals("v2", v2.version());
    assertEquals(List.of("v1", "v2"), registry.list("4").stream().map(ModelVersion::version).toList());
    assertEquals("v1", registry.promoted("4").orElseThrow().version(), "a new version waits for promote");
    registry.promote("4", "v2");
    assertEquals("v2", registry.promoted("Dataset004_Fundus").orElseThrow().version());
    assertEquals("Dataset004_Fundus", registry.servedDataset("4").orElseThrow());
    assertTrue(registry.servedDataset("9").isEmpty());
  }

  @Test
  void testTimeMirroringIsPartOfTheVersionAndOlderFilesMirror() throws IOException {
    ModelVersion mirrored = publish();
    assertTrue(mirrored.tta());
    ModelVersion single = registry.publish(new ModelRegistry.Publication("4", "2d", "nnUNetPlans", List.of("0", "1"),
        ModelFiles.CheckpointChoice.FINAL, false));
    assertEquals("v2", single.version(), "same files, other setting: a new version");
    assertEquals(Boolean.FALSE, registry.version("4", "v2").tta());
    // a version written before the field existed reads as nnU-Net's default
    Path v1 = trainer.getParent().resolve("models").resolve("v1.json");
    String json = Files.readString(v1);
    assertTrue(json.contains("\"tta\": true"), json);
    Files.writeString(v1, json.replaceAll(",\\s*\"tta\": true", ""));
    assertEquals(Boolean.TRUE, registry.version("4", "v1").tta());
  }

  @Test
  void aChangedCheckpointIsRefusedUnderTheOldVersion() throws IOException {
    ModelVersion v1 = publish();
    registry.files(v1);
    Files.writeString(trainer.resolve("fold_0").resolve("checkpoint_final.zip"), "tampered");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> registry.files(v1));
    assertTrue(e.getMessage().contains("fold_0") && e.getMessage().contains("changed since"), e.getMessage());
    InvalidInputException missing = assertThrows(InvalidInputException.class, () -> registry.promote("4", "v7"));
    assertTrue(missing.getMessage().contains("v7") && missing.getMessage().contains("[v1]"), missing.getMessage());
  }

  @Test
  void crossValidationDiceIsRecordedWhenFindBestWroteIt() throws IOException {
    Path cv = Files.createDirectories(trainer.resolve("crossval_results_folds_0_1"));
    Files.writeString(cv.resolve("summary.json"), "{\"foreground_mean\": {\"Dice\": 0.8125}}");
    assertEquals(0.8125, publish().crossvalDice());
  }
}
