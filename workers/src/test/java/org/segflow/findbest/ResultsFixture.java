package org.segflow.findbest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.segflow.evaluate.LabelMap;

/**
 * A hand-built results tree for Dataset002_Toy (no training): ten 16x16 cases, two per fold. Each
 * reference is one 4x4 square (16 pixels); each prediction is the square plus one stray pixel in the
 * corner, so the cross-validation Dice is 32/33 and keeping the largest component makes it 1. The
 * optional FOV masks leave the corner pixel outside, so the Dice inside the FOV is 1 already.
 */
final class ResultsFixture {

  static final String DATASET = "Dataset002_Toy";
  static final String TRAINER_DIR = "nnUNetTrainer__nnUNetPlans__2d";
  static final int SIZE = 16;

  private ResultsFixture() {}

  static List<String> cases() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ids.add(String.format("case_%02d", i));
    }
    return ids;
  }

  static Path trainerDir(Path home) {
    return home.resolve("results").resolve(DATASET).resolve(TRAINER_DIR);
  }

  static void build(Path home, boolean masks) throws IOException {
    Path pp = home.resolve("preprocessed").resolve(DATASET);
    Path trainer = trainerDir(home);
    Files.createDirectories(pp.resolve("gt_segmentations"));
    Files.createDirectories(trainer);
    String datasetJson = "{\"channel_names\": {\"0\": \"gray\"}, \"labels\": {\"background\": 0, \"vessel\": 1},"
        + " \"numTraining\": 10, \"file_ending\": \".png\"}";
    String plans = "{\"dataset_name\": \"" + DATASET + "\", \"plans_name\": \"nnUNetPlans\","
        + " \"configurations\": {\"2d\": {\"data_identifier\": \"nnUNetPlans_2d\"}}}";
    Files.writeString(pp.resolve("dataset.json"), datasetJson);
    Files.writeString(pp.resolve("nnUNetPlans.json"), plans);
    Files.writeString(trainer.resolve("dataset.json"), datasetJson);
    Files.writeString(trainer.resolve("plans.json"), plans);
    List<String> ids = cases();
    for (int i = 0; i < ids.size(); i++) {
      String name = ids.get(i) + ".png";
      int offset = 2 + i % 5; // squares at different places
      short[] ref = new short[SIZE * SIZE];
      for (int y = offset; y < offset + 4; y++) {
        for (int x = offset; x < offset + 4; x++) {
          ref[y * SIZE + x] = 1;
        }
      }
      short[] pred = ref.clone();
      pred[SIZE * SIZE - 1] = 1;
      new LabelMap(SIZE, SIZE, ref).writePng(pp.resolve("gt_segmentations").resolve(name));
      Path validation = trainer.resolve("fold_" + (i / 2)).resolve("validation");
      new LabelMap(SIZE, SIZE, pred).writePng(validation.resolve(name));
      Files.writeString(validation.resolve("summary.json"), "{}");
      if (masks) {
        short[] fov = new short[SIZE * SIZE];
        java.util.Arrays.fill(fov, (short) 255);
        fov[SIZE * SIZE - 1] = 0;
        new LabelMap(SIZE, SIZE, fov).writePng(home.resolve("raw").resolve(DATASET).resolve("masksTr").resolve(name));
      }
    }
  }
}
