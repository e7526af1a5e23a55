package org.segflow.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageArray;
import org.segflow.io.NpyFile;
import org.segflow.preprocess.PreprocessedCase.CaseProperties;

class PreprocessedStoreTest {

  @TempDir
  Path dir;

  private static PreprocessedCase labelled() {
    float[] data = new float[2 * 3 * 4];
    for (int i = 0; i < data.length; i++) {
      data[i] = i / 4f - 2;
    }
    short[] seg = {-1, 0, 1, 1, 0, 2, 0, 0, 0, 0, 10, -1};
    Map<Integer, int[]> locs = new LinkedHashMap<>();
    locs.put(1, new int[] {3, 2});
    locs.put(2, new int[] {5});
    locs.put(10, new int[] {10});
    locs.put(3, new int[0]);
    return new PreprocessedCase("case_7", new ImageArray(2, 3, 4, data), seg, locs,
        new CaseProperties(new int[] {1, 5, 6}, new int[][] {{0, 1}, {1, 4}, {2, 6}},
            new int[] {1, 3, 4}, new double[] {999, 1, 1}));
  }

  @Test
  void roundTripsALabelledCase() throws Exception {
    PreprocessedCase pc = labelled();
    PreprocessedStore.write(dir, pc);
    PreprocessedCase back = PreprocessedStore.read(dir, "case_7");
    assertEquals(pc.data(), back.data());
    assertArrayEquals(pc.seg(), back.seg());
    assertEquals(java.util.List.of(1, 2, 3, 10), java.util.List.copyOf(back.classLocations().keySet()));
    for (int label : pc.classLocations().keySet()) {
      assertArrayEquals(pc.classLocations().get(label), back.classLocations().get(label));
    }
    assertArrayEquals(pc.properties().shapeBeforeCropping(), back.properties().shapeBeforeCropping());
    assertArrayEquals(pc.properties().bboxUsedForCropping(), back.properties().bboxUsedForCropping());
    assertArrayEquals(pc.properties().spacing(), back.properties().spacing());

    assertArrayEquals(new int[] {2, 1, 3, 4}, NpyFile.read(dir.resolve("case_7.npy")).shape());
    assertArrayEquals(new int[] {1, 1, 3, 4}, NpyFile.read(dir.resolve("case_7_seg.npy")).shape());
    NpyFile.NpyArray rows = NpyFile.read(dir.resolve("case_7_locations.npy"));
    assertArrayEquals(new int[] {4, 3}, rows.shape());
    assertArrayEquals(new int[] {1, 0, 3, 1, 0, 2, 2, 1, 1, 10, 2, 2}, rows.ints());
    assertEquals("""
        {
            "bbox_used_for_cropping": [
                [
                    0,
                    1
                ],
                [
                    1,
                    4
                ],
                [
                    2,
                    6
                ]
            ],
            "class_locations": {
                "1": 2,
                "10": 1,
                "2": 1,
                "3": 0
            },
            "shape_after_cropping_and_before_resampling": [
                1,
                3,
                4
            ],
            "shape_before_cropping": [
                1,
                5,
                6
            ],
            "spacing": [
                999.0,
                1.0,
                1.0
            ]
        }
        """, Files.readString(dir.resolve("case_7.json")));
  }

  @Test
  void roundTripsAnUnlabelledCase() {
    PreprocessedCase l = labelled();
    PreprocessedCase pc = new PreprocessedCase("t", l.data(), null, Map.of(), l.properties());
    PreprocessedStore.write(dir, pc);
    assertFalse(Files.exists(dir.resolve("t_seg.npy")));
    assertFalse(Files.exists(dir.resolve("t_locations.npy")));
    PreprocessedCase back = PreprocessedStore.read(dir, "t");
    assertNull(back.seg());
    assertTrue(back.classLocations().isEmpty());
    assertEquals(pc.data(), back.data());
  }

  @Test
  void inconsistentFilesAreReported() throws Exception {
    PreprocessedStore.write(dir, labelled());
    NpyFile.write(dir.resolve("case_7_locations.npy"),
        NpyFile.NpyArray.ofInts(new int[] {1, 0, 3}, 1, 3));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> PreprocessedStore.read(dir, "case_7"));
    assertTrue(e.getMessage().contains("case_7_locations.npy"), e.getMessage());
    Files.delete(dir.resolve("case_7_seg.npy"));
    assertThrows(InvalidInputException.class, () -> PreprocessedStore.read(dir, "case_7"));
    assertThrows(InvalidInputException.class, () -> PreprocessedStore.read(dir, "nope"));
  }
}
