package org.segflow.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleStatisticsTest {

  @Test
  void lumaIsPilsGrayConversion() {
    // reference values from PIL's "L" formula evaluated in Python
    assertEquals(118, SampleStatistics.luma(181, 98, 57));
    assertEquals(113, SampleStatistics.luma(180, 90, 55));
    assertEquals(255, SampleStatistics.luma(255, 255, 255));
    assertEquals(124, SampleStatistics.luma(10, 200, 30));
    assertEquals(2, SampleStatistics.luma(1, 2, 3));
  }

  @Test
  void widthIsTheShortestRunAcrossTheVessel() {
    // a horizontal bar 3 px thick and 20 long, and a 1-px diagonal line
    SampleCase c = blank(32, 32);
    for (int y = 4; y < 7; y++) {
      for (int x = 5; x < 25; x++) {
        c.label()[y * 32 + x] = (byte) 255;
      }
    }
    for (int k = 0; k < 10; k++) {
      c.label()[(15 + k) * 32 + 5 + k] = (byte) 255;
    }
    float[] widths = SampleStatistics.vesselWidths(c);
    assertEquals(70, widths.length);
    // vessel pixels in index order: three bar rows of 20, then the diagonal
    for (int row = 0; row < 3; row++) {
      for (int k = 0; k < 20; k++) {
        float w = widths[row * 20 + k];
        int x = 5 + k;
        if (x >= 7 && x <= 22) {
          assertEquals(3f, w, "inside the bar at x=" + x);
        } else {
          assertTrue(w >= 1.4f && w <= 3f, "at the rounded-off ends " + w);
        }
      }
    }
    for (int k = 60; k < 70; k++) {
      assertEquals(1f, widths[k], "the thin diagonal is 1 px wide");
    }
    assertEquals(2, SampleStatistics.components(c));
  }

  @Test
  void componentsUseEightConnectivity() {
    SampleCase c = blank(8, 8);
    c.label()[0] = (byte) 255;
    c.label()[9] = (byte) 255; // diagonal neighbour: same component
    c.label()[7] = (byte) 255; // far corner: its own
    assertEquals(2, SampleStatistics.components(c));
  }

  @Test
  void readsACaseFolderLikeTheCaseInMemory(@TempDir Path tmp) {
    SampleSpec spec = new SampleSpec(1, 0, 80, 72, 3);
    FundusSampleGenerator.generate(tmp.resolve("s"), spec);
    CaseStatistics fromDisk = SampleStatistics.measure(tmp.resolve("s/crop_train/0"));
    CaseStatistics inMemory = SampleStatistics.measure("0",
        FundusSampleGenerator.generateCase(spec, SampleSplit.TRAIN, 0));
    assertEquals(inMemory, fromDisk);
  }

  @Test
  void measuresEveryCaseFolderInNaturalOrder(@TempDir Path tmp) {
    SampleSpec spec = new SampleSpec(11, 0, 64, 64, 4);
    FundusSampleGenerator.generate(tmp.resolve("s"), spec);
    List<CaseStatistics> all = SampleStatistics.measureAll(tmp.resolve("s/crop_train"));
    assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"),
        all.stream().map(CaseStatistics::name).toList());
    assertEquals(SampleStatistics.measure(tmp.resolve("s/crop_train/10")), all.get(10));
    assertTrue(SampleStatistics.table(all).lines().count() == 13, SampleStatistics.table(all));
  }

  /**
   * The generated 584x565 sample looks like the real photographs in numbers (figures measured on real fundus photographs):
   * vessel density, low vessel contrast on a gray level near 118, green carrying the contrast,
   * mostly thin vessels, a few connected trees, black outside a ~540x536 FOV.
   */
  @Test
  void driveSizedSampleMatchesRealFundusStatistics() {
    SampleSpec spec = SampleSpec.drive(2024);
    List<CaseStatistics> all = new ArrayList<>();
    for (int n = 0; n < 4; n++) {
      all.add(SampleStatistics.measure(Integer.toString(n),
          FundusSampleGenerator.generateCase(spec, SampleSplit.TRAIN, n)));
    }
    String table = SampleStatistics.table(all);
    for (CaseStatistics s : all) {
      String at = "case " + s.name() + "\n" + table;
      assertTrue(s.vesselFraction() >= 0.08 && s.vesselFraction() <= 0.17, at);
      // single photographs are darker or brighter than the 118 average; the mean is checked below
      assertTrue(s.grayBackground() >= 90 && s.grayBackground() <= 146, at);
      assertTrue(s.grayContrast() < 0 && s.grayContrast() > -15, at);
      CaseStatistics.Rgb d = s.channelContrast();
      assertTrue(d.g() < 0 && -d.g() > Math.abs(d.r()) && -d.g() > Math.abs(d.b()), at);
      assertTrue(s.thinShare() > 0.5, at);
      assertTrue(s.widthP90() >= 3 && s.widthP90() <= 8, at);
      assertTrue(s.components() >= 1 && s.components() <= 20, at);
      assertTrue(s.outsideMean() < 10, at);
      assertTrue(Math.abs(s.fovWidth() - 540) <= 12 && Math.abs(s.fovHeight() - 536) <= 14, at);
    }
    CaseStatistics mean = SampleStatistics.mean(all);
    assertTrue(mean.grayBackground() >= 100 && mean.grayBackground() <= 136, table);
    assertTrue(mean.grayContrast() >= -15 && mean.grayContrast() <= -2, table);
    assertTrue(mean.vesselFraction() > 0.10 && mean.vesselFraction() < 0.15, table);
  }

  private static SampleCase blank(int h, int w) {
    return new SampleCase(h, w, new byte[3 * h * w], new byte[h * w], filled(h * w));
  }

  private static byte[] filled(int n) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) 255);
    return b;
  }
}
