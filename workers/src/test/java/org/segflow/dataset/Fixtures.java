package org.segflow.dataset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.segflow.io.TestImages;

/** Tiny source and raw datasets for dataset tests. */
final class Fixtures {

  private Fixtures() {}

  /** Interleaved RGB samples of a w x h image; pixel (0, 0) is (181, 98, 57). */
  static int[] rgb(int w, int h, int seed) {
    int[] v = new int[w * h * 3];
    for (int i = 0; i < w * h; i++) {
      v[3 * i] = (181 + 7 * i + seed) % 256;
      v[3 * i + 1] = (98 + 13 * i + 3 * seed) % 256;
      v[3 * i + 2] = (57 + 29 * i + 5 * seed) % 256;
    }
    return v;
  }

  /** Values 0/255 with vessel pixels on the diagonal-ish pattern. */
  static int[] label255(int w, int h) {
    int[] v = new int[w * h];
    for (int i = 0; i < v.length; i++) {
      v[i] = (i % 3 == 0) ? 255 : 0;
    }
    return v;
  }

  /** A crop-layout case folder with an RGB image and, optionally, label and mask (0/255). */
  static Path cropCase(Path src, String split, String n, int w, int h, boolean label, boolean mask) {
    Path dir = src.resolve(split).resolve(n);
    TestImages.rgb8(dir.resolve("image.png"), w, rgb(w, h, n.hashCode() & 0xFF));
    if (label) {
      TestImages.gray8(dir.resolve("label.png"), w, label255(w, h));
    }
    if (mask) {
      int[] m = new int[w * h];
      for (int i = 0; i < m.length; i++) {
        m[i] = i % w == 0 ? 0 : 255;
      }
      TestImages.gray8(dir.resolve("mask.png"), w, m);
    }
    return dir;
  }

  /**
   * A valid raw dataset: {@code cases} gray 4x3 cases named case_a, case_b, ... with 0/1 labels.
   */
  static Path rawDataset(Path dir, int cases) {
    for (int c = 0; c < cases; c++) {
      String id = caseId(c);
      int[] img = new int[12];
      int[] lab = new int[12];
      for (int i = 0; i < 12; i++) {
        img[i] = 10 * i + c;
        lab[i] = i % 2;
      }
      TestImages.gray8(dir.resolve("imagesTr/" + id + "_0000.png"), 4, img);
      TestImages.gray8(dir.resolve("labelsTr/" + id + ".png"), 4, lab);
    }
    writeJson(dir, "{\"channel_names\": {\"0\": \"CT\"}, \"labels\": {\"background\": 0,"
        + " \"vessel\": 1}, \"numTraining\": " + cases + ", \"file_ending\": \".png\"}");
    return dir;
  }

  static String caseId(int c) {
    return "case_" + (char) ('a' + c % 26) + (c >= 26 ? String.valueOf(c / 26) : "");
  }

  static void writeJson(Path dir, String json) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("dataset.json"), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file under {@code root} (relative path -> bytes), for byte-for-byte comparisons. */
  static Map<String, byte[]> snapshot(Path root) {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readAllBytes(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Names in a folder (including hidden ones), sorted. */
  static java.util.List<String> names(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
