package org.segflow.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.storage.Json;

class TrainingHistoryTest {

  private static EpochResult epoch(int e, double dice, double ema, boolean best) {
    return new EpochResult(e, 10, 0.00989, -0.66994, -0.65826, new double[] {0.80886, 0.71234},
        dice, ema, best, 61.1234, 250L * (e + 1), 0.5);
  }

  @Test
  void emaStartsAtFirstValueThenSmooths() {
    TrainingHistory h = new TrainingHistory();
    assertEquals(0.5, h.nextEma(0.5), 0.0);
    h.add(epoch(0, 0.5, 0.5, true));
    assertEquals(0.9 * 0.5 + 0.1 * 0.8, h.nextEma(0.8), 1e-12);
  }

  @Test
  void logLinesMatchNnUnetFormat() {
    List<String> lines = TrainingLogFile.epochLines(epoch(12, 0.76, 0.81956, true));
    assertEquals(List.of("", "Epoch 12", "Current learning rate: 0.00989", "train_loss -0.6699",
        "val_loss -0.6583", "Pseudo dice [0.8089, 0.7123]", "Epoch time: 61.12 s",
        "Yayy! New best EMA pseudo Dice: 0.8196"), lines);
  }

  @Test
  void pythonRoundingPrintsLikeNumpy() {
    assertEquals("0.01", PythonNumbers.round(0.01, 5));
    assertEquals("1.0", PythonNumbers.round(1.0, 4));
    assertEquals("nan", PythonNumbers.round(Double.NaN, 4));
    assertEquals("0.1235", PythonNumbers.round(0.12345678, 4));
  }

  @Test
  void logFileHasTimestampedNameAndPrefixedLines(@TempDir Path dir) throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07.123456Z"), ZoneOffset.UTC);
    TrainingLogFile log = new TrainingLogFile(clock);
    FoldContext fold = new FoldContext("Dataset002_X", "2d", "0", dir);
    log.onTrainingStart(fold, new TrainingHistory());
    log.onEpochEnd(fold, epoch(0, 0.5, 0.5, true), new TrainingHistory());
    log.onTrainingEnd(fold, new TrainingHistory());
    assertEquals("training_log_2026_3_4_05_06_07.txt", log.file().getFileName().toString());
    List<String> lines = Files.readAllLines(log.file());
    assertEquals("2026-03-04 05:06:07.123456: Desired fold for training: 0", lines.get(0));
    assertTrue(lines.contains("2026-03-04 05:06:07.123456: Epoch 0"));
  }

  @Test
  void historyRoundTripsThroughJson() throws Exception {
    TrainingHistory h = new TrainingHistory();
    h.add(epoch(0, 0.5, 0.5, true));
    h.add(epoch(1, Double.NaN, 0.45, false));
    TrainingHistory back = Json.mapper().readValue(Json.write(h), TrainingHistory.class);
    assertEquals(h.trainLosses(), back.trainLosses());
    assertEquals(2, back.epochs());
    assertTrue(Double.isNaN(back.meanFgDice().get(1)));
    assertEquals(0.71234, back.dicePerClass().get(1)[1], 0.0);
  }

  @Test
  void progressPlotDrawsAllThreePanels(@TempDir Path dir) throws Exception {
    TrainingHistory h = new TrainingHistory();
    for (int e = 0; e < 5; e++) {
      h.add(new EpochResult(e, 5, 0.01 * (1 - e / 5.0), -0.1 * e, -0.08 * e, new double[] {0.1 * e},
          0.1 * e, 0.05 * e, true, 10 + e, 250L * (e + 1), 0));
    }
    Path png = dir.resolve("progress.png");
    ProgressPlot.write(png, h);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(3 * ProgressPlot.PANEL_HEIGHT, img.getHeight());
    for (int panel = 0; panel < 3; panel++) {
      assertTrue(hasColouredPixel(img, panel * ProgressPlot.PANEL_HEIGHT,
          (panel + 1) * ProgressPlot.PANEL_HEIGHT), "panel " + panel + " has a curve");
    }
  }

  private static boolean hasColouredPixel(BufferedImage img, int y0, int y1) {
    for (int y = y0; y < y1; y++) {
      for (int x = 100; x < img.getWidth() - 100; x++) {
        int rgb = img.getRGB(x, y);
        int r = (rgb >> 16) & 255;
        int g = (rgb >> 8) & 255;
        int b = rgb & 255;
        if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
          return true;
        }
      }
    }
    return false;
  }
}
