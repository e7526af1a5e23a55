package org.segflow.sample;

import java.util.SplittableRandom;

/**
 * Composes the colour photograph: fundus colour under a smooth illumination (vignetting, a
 * gradient across the field, slow wobble), choroidal texture, a darker macula and fovea, the
 * bright optic disc with its cup, vessels and lesions as absorption (a multiplicative model, so a
 * vessel is darker on the bright disc than at the dim rim), sensor noise, and black outside the
 * field of view.
 */
final class FundusRenderer {

  /** Choroidal mottling per channel: the choroid shows through most in red light. */
  private static final double[] MOTTLE_CHANNEL = {1.0, 0.65, 0.55};
  /** How much each channel is darkened by the macular pigment (blue and green most). */
  private static final double[] MACULA_CHANNEL = {0.5, 1.0, 0.9};
  /** Optic disc and cup colour relative to the fundus colour per channel. */
  private static final double[] DISC_GAIN = {1.3, 1.75, 1.8};
  private static final double[] CUP_GAIN = {1.4, 2.1, 2.4};
  /** Channel gains of bright lesions: yellow-white. */
  private static final double[] BRIGHT_GAIN = {0.35, 1.0, 0.7};
  private static final int RADIAL_STEPS = 1024;

  private final FundusGeometry g;
  private final CaseStyle style;

  FundusRenderer(FundusGeometry g, CaseStyle style) {
    this.g = g;
    this.style = style;
  }

  byte[] render(byte[] mask, VesselNetwork vessels, float[] lesionDark, float[] lesionBright,
      SplittableRandom rnd) {
    int h = g.height();
    int w = g.width();
    double s = g.scale();
    ValueNoise texture = new ValueNoise(h, w, 28 * s, 4, 0.7, rnd.split());
    ValueNoise choroid = new ValueNoise(h, w, 9 * s, 2, 0.5, rnd.split());
    ValueNoise wobble = new ValueNoise(h, w, 200 * s, 1, 1.0, rnd.split());
    ValueNoise discTexture = new ValueNoise(h, w, 7 * s, 2, 0.6, rnd.split());
    SplittableRandom noise = rnd.split();
    float[][] vignetting = new float[3][];
    for (int c = 0; c < 3; c++) {
      vignetting[c] = vignettingTable(style.vignetting()[c], style.vignettingPower());
    }
    float[] tex = new float[w];
    float[] chor = new float[w];
    float[] wob = new float[w];
    float[] discTex = new float[w];
    double[] colour = style.fundusColour();
    double[] vein = scaled(style.veinAbsorbance(), style.vesselContrast());
    double[] artery = scaled(style.arteryAbsorbance(), style.vesselContrast());
    double[] sigma = style.noiseSigma();
    double radius = g.fovRx();
    double maculaDen = 2 * style.maculaSigma() * style.maculaSigma();
    double foveaSigma = 9 * s;
    double foveaDen = 2 * foveaSigma * foveaSigma;
    double reflexSigma = Math.max(0.8, 1.6 * s);
    double reflexDen = 2 * reflexSigma * reflexSigma;
    double rimWidth = Math.max(1.5, 2.5 * s) / radius;
    float[] rowNoise = new float[3 * w];
    float[] veinOd = vessels.veinDensity();
    float[] arteryOd = vessels.arteryDensity();
    byte[] rgb = new byte[3 * h * w];

    // the disc, its cup and halo only touch a box around the disc
    double haloReach = 1.7;
    int discY0 = (int) Math.floor(g.discY() - haloReach * g.discRy());
    int discY1 = (int) Math.ceil(g.discY() + haloReach * g.discRy());
    int discX0 = (int) Math.floor(g.discX() - haloReach * g.discRx());
    int discX1 = (int) Math.ceil(g.discX() + haloReach * g.discRx());
    double rimStart = 1.0 - rimWidth;

    for (int y = 0; y < h; y++) {
      texture.row(y, tex);
      choroid.row(y, chor);
      wobble.row(y, wob);
      boolean discRow = y >= discY0 && y <= discY1;
      if (discRow) {
        discTexture.row(y, discTex);
      }
      SensorNoise.fill(noise, rowNoise, 3);
      double vy = (y - g.fovY()) / g.fovRy();
      double fy = y - g.foveaY();
      double rowLight = style.brightness() * (1 + style.gradientY() * (y - g.fovY()) / radius);
      for (int x = 0; x < w; x++) {
        int p = y * w + x;
        int o = 3 * p;
        if (mask[p] == 0) {
          for (int c = 0; c < 3; c++) {
            rgb[o + c] = quantize(1.2 + 1.0 * rowNoise[3 * x + c]);
          }
          continue;
        }
        double vx = (x - g.fovX()) / g.fovRx();
        double rho = Math.sqrt(vx * vx + vy * vy);
        double illum = (rowLight + style.brightness() * style.gradientX() * (x - g.fovX()) / radius)
            * (1 + style.illuminationWobble() * wob[x]);
        double fx = x - g.foveaX();
        double f2 = fx * fx + fy * fy;
        double macula = style.maculaDarkness()
            * (ProfileTable.negExp(f2 / maculaDen) + 0.6 * ProfileTable.negExp(f2 / foveaDen));
        double foveaReflex = 1 + 0.10 * ProfileTable.negExp(f2 / reflexDen);
        double mottle = style.textureAmplitude() * tex[x];
        double grain = style.choroidAmplitude() * chor[x];
        double disc = 0;
        double halo = 1;
        double cup = 0;
        if (discRow && x >= discX0 && x <= discX1) {
          double ex = (x - g.discX()) / g.discRx();
          double ey = (y - g.discY()) / g.discRy();
          double e = Math.sqrt(ex * ex + ey * ey);
          disc = 1 - ProfileTable.smoothstep(0.78, 1.06, e);
          halo = 1 + 0.10 * (1 - ProfileTable.smoothstep(0.95, haloReach, e));
          double cx = (x - g.cupX()) / g.cupR();
          double cy = (y - g.cupY()) / g.cupR();
          cup = 1 - ProfileTable.smoothstep(0.5, 1.3, Math.sqrt(cx * cx + cy * cy));
        }
        double rim = rho > rimStart ? ProfileTable.smoothstep(1.0, rimStart, rho) : 1.0;
        double absorbV = veinOd[p] + lesionDark[p];
        double absorbA = arteryOd[p];
        double light = lesionBright[p];
        for (int c = 0; c < 3; c++) {
          double lit = colour[c] * illum * radial(vignetting[c], rho) * halo;
          double fundus = lit * (1 + mottle * MOTTLE_CHANNEL[c] + grain * (c == 0 ? 1.0 : 0.6))
              * (1 - macula * MACULA_CHANNEL[c]) * foveaReflex;
          double base = fundus;
          if (disc > 0) {
            double discColour = lit * style.discBrightness() * (1 + 0.06 * discTex[x])
                * (DISC_GAIN[c] + cup * (CUP_GAIN[c] - DISC_GAIN[c]));
            base += disc * (discColour - fundus);
          }
          if (light > 0) {
            base *= 1 + light * BRIGHT_GAIN[c];
          }
          double absorb = vein[c] * absorbV + artery[c] * absorbA;
          double v = (absorb > 0 ? base * ProfileTable.negExp(absorb) : base) * rim;
          double n = sigma[c] * Math.sqrt(Math.max(v, 4.0) * (1.0 / 128.0)) * rowNoise[3 * x + c];
          rgb[o + c] = quantize(v + n);
        }
      }
    }
    return rgb;
  }

  /** 1 - strength * rho^power, sampled on [0, 1]. */
  private static float[] vignettingTable(double strength, double power) {
    float[] t = new float[RADIAL_STEPS + 2];
    for (int i = 0; i < t.length; i++) {
      double rho = Math.min(1.0, (double) i / RADIAL_STEPS);
      double rimDark = 0.12 * ProfileTable.smoothstep(0.85, 1.0, rho);
      t[i] = (float) (1 - strength * StrictMath.pow(rho, power) - rimDark);
    }
    return t;
  }

  private static double radial(float[] table, double rho) {
    double p = Math.min(1.0, rho) * RADIAL_STEPS;
    int i = (int) p;
    double f = p - i;
    return table[i] + f * (table[i + 1] - table[i]);
  }

  private static double[] scaled(double[] v, double k) {
    return new double[] {v[0] * k, v[1] * k, v[2] * k};
  }

  private static byte quantize(double v) {
    int q = (int) Math.floor(v + 0.5);
    return (byte) Math.max(0, Math.min(255, q));
  }
}
