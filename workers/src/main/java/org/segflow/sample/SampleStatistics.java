package org.segflow.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;

/**
 * Measures {@link CaseStatistics} on generated cases or on any case folder in the users' layout
 * (image.png, label.png, mask.png), so synthetic and real data can be compared side by side.
 */
public final class SampleStatistics {

  private static final double SQRT2 = Math.sqrt(2.0);

  private SampleStatistics() {}

  /** Every case folder under {@code casesDir} (crop_train or crop_test), in natural order of their names. */
  public static List<CaseStatistics> measureAll(Path casesDir) {
    try (Stream<Path> dirs = Files.list(casesDir)) {
      return dirs.filter(Files::isDirectory)
          .sorted(Comparator.comparing((Path d) -> d.getFileName().toString().length())
              .thenComparing(d -> d.getFileName().toString()))
          .map(SampleStatistics::measure).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the cases in " + casesDir, e);
    }
  }

  /** Reads {@code dir/image.png}, {@code label.png} and {@code mask.png} (absent mask = all FOV). */
  public static CaseStatistics measure(Path dir) {
    ImageArray image = ImageFiles.read(dir.resolve(FundusSampleGenerator.IMAGE_FILE));
    Path labelFile = dir.resolve(FundusSampleGenerator.LABEL_FILE);
    ImageArray label = ImageFiles.read(labelFile);
    Path maskFile = dir.resolve(FundusSampleGenerator.MASK_FILE);
    ImageArray mask = Files.exists(maskFile) ? ImageFiles.read(maskFile) : null;
    int h = image.height();
    int w = image.width();
    if (!label.sameGeometry(image) || (mask != null && !mask.sameGeometry(image))) {
      throw new InvalidInputException(dir, "image, label and mask must have the same size, image is "
          + h + "x" + w);
    }
    int n = h * w;
    byte[] rgb = new byte[3 * n];
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < 3; c++) {
        int band = image.channels() >= 3 ? c : 0;
        rgb[3 * i + c] = (byte) Math.round(image.data()[band * n + i]);
      }
    }
    byte[] lab = new byte[n];
    byte[] fov = new byte[n];
    for (int i = 0; i < n; i++) {
      lab[i] = label.data()[i] > 0 ? (byte) 255 : 0;
      fov[i] = mask == null || mask.data()[i] > 0 ? (byte) 255 : 0;
    }
    return measure(dir.getFileName().toString(), new SampleCase(h, w, rgb, lab, fov));
  }

  public static CaseStatistics measure(String name, SampleCase c) {
    int n = c.pixels();
    int fov = 0;
    long vessels = 0;
    double[] bgSum = new double[3];
    double[] vSum = new double[3];
    double bgGray = 0;
    double bgGray2 = 0;
    double vGray = 0;
    double vGray2 = 0;
    double outside = 0;
    long outsideCount = 0;
    int minX = Integer.MAX_VALUE;
    int maxX = -1;
    int minY = Integer.MAX_VALUE;
    int maxY = -1;
    for (int i = 0; i < n; i++) {
      int r = c.rgb(i, 0);
      int g = c.rgb(i, 1);
      int b = c.rgb(i, 2);
      if (!c.insideFov(i)) {
        outside += r + g + b;
        outsideCount += 3;
        continue;
      }
      fov++;
      int x = i % c.width();
      int y = i / c.width();
      minX = Math.min(minX, x);
      maxX = Math.max(maxX, x);
      minY = Math.min(minY, y);
      maxY = Math.max(maxY, y);
      double gray = luma(r, g, b);
      if (c.vessel(i)) {
        vessels++;
        vSum[0] += r;
        vSum[1] += g;
        vSum[2] += b;
        vGray += gray;
        vGray2 += gray * gray;
      } else {
        bgSum[0] += r;
        bgSum[1] += g;
        bgSum[2] += b;
        bgGray += gray;
        bgGray2 += gray * gray;
      }
    }
    long bg = fov - vessels;
    float[] widths = vesselWidths(c);
    Arrays.sort(widths);
    int thin = 0;
    for (float wdt : widths) {
      thin += wdt <= 3.0f + 1e-4f ? 1 : 0;
    }
    return new CaseStatistics(
        name,
        fov == 0 ? 0 : (double) vessels / fov,
        mean(bgGray, bg),
        std(bgGray, bgGray2, bg),
        mean(vGray, vessels),
        std(vGray, vGray2, vessels),
        new CaseStatistics.Rgb(mean(bgSum[0], bg), mean(bgSum[1], bg), mean(bgSum[2], bg)),
        new CaseStatistics.Rgb(mean(vSum[0], vessels), mean(vSum[1], vessels), mean(vSum[2], vessels)),
        widths.length == 0 ? 0 : (double) thin / widths.length,
        percentile(widths, 0.5),
        percentile(widths, 0.9),
        widths.length == 0 ? 0 : widths[widths.length - 1],
        components(c),
        mean(outside, outsideCount),
        maxX < 0 ? 0 : maxX - minX + 1,
        maxY < 0 ? 0 : maxY - minY + 1);
  }

  /** PIL's "L" conversion (ITU-R 601-2 luma, fixed point), as used to measure the real photographs. */
  public static int luma(int r, int g, int b) {
    return org.segflow.io.Luma.luma(r, g, b);
  }

  /** Field-by-field mean (components rounded), named "mean". */
  public static CaseStatistics mean(List<CaseStatistics> all) {
    int k = all.size();
    if (k == 0) {
      throw new IllegalArgumentException("no cases to average");
    }
    double[] sums = new double[20];
    for (CaseStatistics s : all) {
      double[] v = values(s);
      for (int i = 0; i < v.length; i++) {
        sums[i] += v[i] / k;
      }
    }
    return new CaseStatistics("mean", sums[0], sums[1], sums[2], sums[3], sums[4],
        new CaseStatistics.Rgb(sums[5], sums[6], sums[7]),
        new CaseStatistics.Rgb(sums[8], sums[9], sums[10]),
        sums[11], sums[12], sums[13], sums[14], (int) Math.round(sums[15]), sums[16],
        (int) Math.round(sums[17]), (int) Math.round(sums[18]));
  }

  /** A fixed-width table: one row per case and a final mean row. */
  public static String table(List<CaseStatistics> all) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT,
        "%-8s %6s %12s %12s %7s %-17s %-17s %6s %5s %5s %5s %4s %5s %9s%n",
        "case", "vess%", "bgGray", "vesGray", "dGray", "bgRGB", "vesRGB", "w<=3", "wMed",
        "wP90", "wMax", "cc", "out", "fov"));
    List<CaseStatistics> rows = new ArrayList<>(all);
    if (!all.isEmpty()) {
      rows.add(mean(all));
    }
    for (CaseStatistics s : rows) {
      sb.append(String.format(Locale.ROOT,
          "%-8s %6.2f %6.1f±%5.1f %6.1f±%5.1f %7.2f %5.0f,%5.0f,%5.0f %5.0f,%5.0f,%5.0f %6.2f %5.1f %5.1f %5.1f %4d %5.2f %4dx%-4d%n",
          s.name(), 100 * s.vesselFraction(), s.grayBackground(), s.grayBackgroundStd(),
          s.grayVessel(), s.grayVesselStd(), s.grayContrast(), s.background().r(),
          s.background().g(), s.background().b(), s.vessel().r(), s.vessel().g(), s.vessel().b(),
          s.thinShare(), s.widthMedian(), s.widthP90(), s.widthMax(), s.components(),
          s.outsideMean(), s.fovWidth(), s.fovHeight()));
    }
    return sb.toString();
  }

  private static double[] values(CaseStatistics s) {
    return new double[] {s.vesselFraction(), s.grayBackground(), s.grayBackgroundStd(),
        s.grayVessel(), s.grayVesselStd(), s.background().r(), s.background().g(),
        s.background().b(), s.vessel().r(), s.vessel().g(), s.vessel().b(), s.thinShare(),
        s.widthMedian(), s.widthP90(), s.widthMax(), s.components(), s.outsideMean(),
        s.fovWidth(), s.fovHeight()};
  }

  /**
   * Local vessel width per vessel pixel: the shortest run of vessel pixels through it along the
   * four grid directions (diagonal runs count sqrt 2 per pixel). Across a vessel this is its
   * width within 8 %, whatever its orientation.
   */
  static float[] vesselWidths(SampleCase c) {
    int h = c.height();
    int w = c.width();
    float[] best = new float[h * w];
    Arrays.fill(best, Float.MAX_VALUE);
    int[][] directions = {{1, 0}, {0, 1}, {1, 1}, {1, -1}};
    for (int[] d : directions) {
      float unit = d[0] != 0 && d[1] != 0 ? (float) SQRT2 : 1f;
      // start points: every pixel whose predecessor along d is outside the image
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int px = x - d[0];
          int py = y - d[1];
          if (px >= 0 && py >= 0 && px < w && py < h) {
            continue;
          }
          runsAlong(c, best, x, y, d[0], d[1], unit);
        }
      }
    }
    int count = 0;
    for (int i = 0; i < h * w; i++) {
      count += c.vessel(i) ? 1 : 0;
    }
    float[] out = new float[count];
    int k = 0;
    for (int i = 0; i < h * w; i++) {
      if (c.vessel(i)) {
        out[k++] = best[i];
      }
    }
    return out;
  }

  private static void runsAlong(SampleCase c, float[] best, int x0, int y0, int dx, int dy,
      float unit) {
    int w = c.width();
    int h = c.height();
    int x = x0;
    int y = y0;
    int runStartX = -1;
    int runStartY = -1;
    int run = 0;
    while (true) {
      boolean inside = x >= 0 && y >= 0 && x < w && y < h;
      boolean vessel = inside && c.vessel(y * w + x);
      if (vessel) {
        if (run == 0) {
          runStartX = x;
          runStartY = y;
        }
        run++;
      } else if (run > 0) {
        float len = run * unit;
        for (int k = 0; k < run; k++) {
          int p = (runStartY + k * dy) * w + runStartX + k * dx;
          if (len < best[p]) {
            best[p] = len;
          }
        }
        run = 0;
      }
      if (!inside) {
        return;
      }
      x += dx;
      y += dy;
    }
  }

  /** Connected components of the vessel label, 8-connectivity. */
  static int components(SampleCase c) {
    int h = c.height();
    int w = c.width();
    boolean[] seen = new boolean[h * w];
    int[] stack = new int[h * w];
    int count = 0;
    for (int i = 0; i < h * w; i++) {
      if (!c.vessel(i) || seen[i]) {
        continue;
      }
      count++;
      int top = 0;
      stack[top++] = i;
      seen[i] = true;
      while (top > 0) {
        int p = stack[--top];
        int px = p % w;
        int py = p / w;
        for (int ny = Math.max(0, py - 1); ny <= Math.min(h - 1, py + 1); ny++) {
          for (int nx = Math.max(0, px - 1); nx <= Math.min(w - 1, px + 1); nx++) {
            int q = ny * w + nx;
            if (!seen[q] && c.vessel(q)) {
              seen[q] = true;
              stack[top++] = q;
            }
          }
        }
      }
    }
    return count;
  }

  private static double mean(double sum, long n) {
    return n == 0 ? 0 : sum / n;
  }

  private static double std(double sum, double sum2, long n) {
    if (n == 0) {
      return 0;
    }
    double m = sum / n;
    return Math.sqrt(Math.max(0, sum2 / n - m * m));
  }

  private static double percentile(float[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5));
    return sorted[i];
  }
}
