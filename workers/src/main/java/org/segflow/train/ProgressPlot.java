package org.segflow.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.segflow.storage.AtomicFiles;

/**
 * progress.png as nnU-Net draws it, redrawn every epoch: losses with pseudo Dice and its
 * EMA on a second axis, epoch duration, learning rate. Plain Java2D so it needs no plotting library.
 */
public final class ProgressPlot implements TrainingListener {

  static final int WIDTH = 1200;
  static final int PANEL_HEIGHT = 480;
  private static final Color BLUE = new Color(31, 119, 180);
  private static final Color RED = new Color(214, 39, 40);
  private static final Color GREEN = new Color(44, 160, 44);
  private static final Stroke SOLID = new BasicStroke(2f);
  private static final Stroke DOTTED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND,
      1f, new float[] {3f, 4f}, 0f);

  @Override
  public void onEpochEnd(FoldContext fold, EpochResult result, TrainingHistory history) {
    write(fold.outputDir().resolve("progress.png"), history);
  }

  public static void write(Path file, TrainingHistory h) {
    BufferedImage img = render(h);
    AtomicFiles.write(file, tmp -> ImageIO.write(img, "png", tmp.toFile()));
  }

  static BufferedImage render(TrainingHistory h) {
    BufferedImage img = new BufferedImage(WIDTH, 3 * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));

    Panel losses = new Panel(g, 0, "epoch", "loss");
    Range lossRange = Range.of(h.trainLosses(), h.valLosses());
    losses.axes(h.epochs(), lossRange, Range.of(h.meanFgDice(), h.emaFgDice()), "pseudo dice");
    losses.line(h.trainLosses(), lossRange, BLUE, SOLID);
    losses.line(h.valLosses(), lossRange, RED, SOLID);
    Range diceRange = Range.of(h.meanFgDice(), h.emaFgDice());
    losses.line(h.meanFgDice(), diceRange, GREEN, DOTTED);
    losses.line(h.emaFgDice(), diceRange, GREEN, SOLID);
    losses.legend(new String[] {"loss_tr", "loss_val", "pseudo dice", "pseudo dice (mov. avg.)"},
        new Color[] {BLUE, RED, GREEN, GREEN}, new Stroke[] {SOLID, SOLID, DOTTED, SOLID});

    Panel times = new Panel(g, PANEL_HEIGHT, "epoch", "time [s]");
    Range timeRange = Range.of(h.epochSeconds());
    times.axes(h.epochs(), timeRange, null, null);
    times.line(h.epochSeconds(), timeRange, BLUE, SOLID);
    times.legend(new String[] {"epoch duration"}, new Color[] {BLUE}, new Stroke[] {SOLID});

    Panel lrs = new Panel(g, 2 * PANEL_HEIGHT, "epoch", "learning rate");
    Range lrRange = Range.of(h.learningRates());
    lrs.axes(h.epochs(), lrRange, null, null);
    lrs.line(h.learningRates(), lrRange, BLUE, SOLID);
    lrs.legend(new String[] {"learning rate"}, new Color[] {BLUE}, new Stroke[] {SOLID});
    g.dispose();
    return img;
  }

  /** A value range with a little margin; NaN values are ignored. */
  record Range(double lo, double hi) {
    @SafeVarargs
    static Range of(List<Double>... series) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (List<Double> s : series) {
        for (double v : s) {
          if (!Double.isNaN(v) && !Double.isInfinite(v)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
          }
        }
      }
      if (lo > hi) {
        return new Range(0, 1);
      }
      double pad = hi > lo ? 0.05 * (hi - lo) : Math.max(1e-6, Math.abs(hi) * 0.05 + 1e-6);
      return new Range(lo - pad, hi + pad);
    }

    double fraction(double v) {
      return (v - lo) / (hi - lo);
    }
  }

  private static final class Panel {
    private static final int LEFT = 90;
    private static final int RIGHT = 90;
    private static final int TOP = 30;
    private static final int BOTTOM = 60;
    private final Graphics2D g;
    private final int y0;
    private final String xLabel;
    private final String yLabel;
    private int epochs;

    Panel(Graphics2D g, int y0, String xLabel, String yLabel) {
      this.g = g;
      this.y0 = y0;
      this.xLabel = xLabel;
      this.yLabel = yLabel;
    }

    int plotWidth() {
      return WIDTH - LEFT - RIGHT;
    }

    int plotHeight() {
      return PANEL_HEIGHT - TOP - BOTTOM;
    }

    double x(int epoch) {
      return LEFT + (epochs <= 1 ? 0.5 : epoch / (double) (epochs - 1)) * plotWidth();
    }

    double y(double fraction) {
      return y0 + TOP + (1 - fraction) * plotHeight();
    }

    void axes(int epochs, Range left, Range right, String rightLabel) {
      this.epochs = epochs;
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(1f));
      g.drawRect(LEFT, y0 + TOP, plotWidth(), plotHeight());
      for (int i = 0; i <= 4; i++) {
        double f = i / 4.0;
        int yy = (int) y(f);
        g.setColor(new Color(230, 230, 230));
        g.drawLine(LEFT + 1, yy, LEFT + plotWidth() - 1, yy);
        g.setColor(Color.BLACK);
        g.drawString(tick(left.lo + f * (left.hi - left.lo)), 8, yy + 5);
        if (right != null) {
          g.drawString(tick(right.lo + f * (right.hi - right.lo)), LEFT + plotWidth() + 8, yy + 5);
        }
      }
      int ticks = Math.min(10, Math.max(1, epochs - 1));
      for (int i = 0; i <= ticks; i++) {
        int e = epochs <= 1 ? 0 : (int) Math.round(i * (epochs - 1) / (double) ticks);
        int xx = (int) x(e);
        g.drawLine(xx, y0 + TOP + plotHeight(), xx, y0 + TOP + plotHeight() + 5);
        g.drawString(Integer.toString(e), xx - 8, y0 + TOP + plotHeight() + 22);
      }
      g.drawString(xLabel, LEFT + plotWidth() / 2 - 20, y0 + PANEL_HEIGHT - 12);
      g.drawString(yLabel, 8, y0 + 20);
      if (rightLabel != null) {
        g.drawString(rightLabel, LEFT + plotWidth() - 20, y0 + 20);
      }
    }

    void line(List<Double> values, Range range, Color color, Stroke stroke) {
      g.setColor(color);
      g.setStroke(stroke);
      double px = Double.NaN;
      double py = Double.NaN;
      for (int e = 0; e < values.size(); e++) {
        double v = values.get(e);
        if (Double.isNaN(v)) {
          px = Double.NaN;
          continue;
        }
        double xx = x(e);
        double yy = y(range.fraction(v));
        if (!Double.isNaN(px)) {
          g.drawLine((int) px, (int) py, (int) xx, (int) yy);
        } else if (values.size() == 1) {
          g.fillOval((int) xx - 3, (int) yy - 3, 6, 6);
        }
        px = xx;
        py = yy;
      }
    }

    void legend(String[] names, Color[] colors, Stroke[] strokes) {
      int lx = LEFT + 15;
      int ly = y0 + TOP + 20;
      for (int i = 0; i < names.length; i++) {
        g.setColor(colors[i]);
        g.setStroke(strokes[i]);
        g.drawLine(lx, ly + 20 * i - 5, lx + 30, ly + 20 * i - 5);
        g.setColor(Color.BLACK);
        g.drawString(names[i], lx + 38, ly + 20 * i);
      }
    }

    private static String tick(double v) {
      double a = Math.abs(v);
      if (a != 0 && (a < 1e-3 || a >= 1e5)) {
        return String.format(java.util.Locale.ROOT, "%.2e", v);
      }
      return String.format(java.util.Locale.ROOT, a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.4f", v);
    }
  }
}
