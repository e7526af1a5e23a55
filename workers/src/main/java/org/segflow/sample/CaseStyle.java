package org.segflow.sample;

import java.util.SplittableRandom;

/**
 * The per-case look: illumination, colour balance, texture, vessel contrast and density, noise.
 * Real photographs differ in all of these (camera, pupil, pigmentation, focus), so a model that
 * only fits one setting should not do well on the sample either. Lengths are in pixels.
 *
 * @param fundusColour R, G, B of the fundus at the FOV centre before illumination
 * @param vignetting per channel, how much darker the rim is than the centre (0..1)
 * @param gradientX illumination change across the FOV radius along x (relative)
 * @param illuminationWobble amplitude of slow, blotchy illumination changes (relative)
 * @param textureAmplitude choroidal mottling (relative)
 * @param choroidAmplitude fine choroidal grain, strongest in red (relative)
 * @param maculaSigma size of the darker macula (Gaussian sigma)
 * @param vesselContrast multiplies the vessel absorbances below
 * @param veinAbsorbance R, G, B optical density of a wide vein's axis (green absorbs most)
 * @param psf optical blur (Gaussian sigma)
 * @param noiseSigma R, G, B sensor noise at mid-gray
 * @param targetVesselFraction vessel pixels / FOV pixels the tree is thinned to
 * @param spacing relative distance vessels of one kind keep (smaller = denser tree)
 * @param branchiness relative branching rate
 * @param fragments thin branches whose label is cut off from their parent
 */
record CaseStyle(
    double brightness,
    double[] fundusColour,
    double[] vignetting,
    double vignettingPower,
    double gradientX,
    double gradientY,
    double illuminationWobble,
    double textureAmplitude,
    double choroidAmplitude,
    double maculaDarkness,
    double maculaSigma,
    double discBrightness,
    double vesselContrast,
    double[] veinAbsorbance,
    double[] arteryAbsorbance,
    double psf,
    double[] noiseSigma,
    double targetVesselFraction,
    double tortuosity,
    double spacing,
    double branchiness,
    int fragments) {

  static CaseStyle sample(FundusGeometry g, SplittableRandom rnd) {
    double s = g.scale();
    double[] colour = {
        222 * Randoms.uniform(rnd, 0.93, 1.06),
        134 * Randoms.uniform(rnd, 0.86, 1.12),
        80 * Randoms.uniform(rnd, 0.70, 1.25)};
    double vig = Randoms.uniform(rnd, 0.40, 0.54);
    double[] vignetting = {vig * 0.7, vig, vig * 1.1};
    double gradAngle = Randoms.uniform(rnd, 0, 2 * Math.PI);
    double grad = Randoms.uniform(rnd, 0.05, 0.20);
    double[] noise = {
        Randoms.uniform(rnd, 1.6, 3.2), Randoms.uniform(rnd, 1.6, 3.0), Randoms.uniform(rnd, 2.2, 4.2)};
    double contrast = Randoms.uniform(rnd, 0.85, 1.15);
    // denser cases grow their trees with tighter spacing before being thinned to the target
    double target = Randoms.uniform(rnd, 0.09, 0.16);
    double spacing = StrictMath.pow(0.125 / target, 0.8) * Randoms.uniform(rnd, 0.92, 1.08);
    return new CaseStyle(
        Randoms.uniform(rnd, 0.93, 1.09),
        colour,
        vignetting,
        Randoms.uniform(rnd, 1.6, 2.8),
        grad * StrictMath.cos(gradAngle),
        grad * StrictMath.sin(gradAngle),
        Randoms.uniform(rnd, 0.04, 0.10),
        Randoms.uniform(rnd, 0.035, 0.07),
        Randoms.uniform(rnd, 0.02, 0.06),
        Randoms.uniform(rnd, 0.14, 0.30),
        Randoms.uniform(rnd, 38, 58) * s,
        Randoms.uniform(rnd, 0.72, 1.0),
        contrast,
        new double[] {Randoms.uniform(rnd, 0.16, 0.26), Randoms.uniform(rnd, 0.62, 0.80), Randoms.uniform(rnd, 0.45, 0.60)},
        new double[] {Randoms.uniform(rnd, 0.04, 0.09), Randoms.uniform(rnd, 0.38, 0.50), Randoms.uniform(rnd, 0.25, 0.36)},
        Randoms.uniform(rnd, 0.55, 0.95) * Math.max(s, 0.6),
        noise,
        target,
        Randoms.uniform(rnd, 0.7, 1.4),
        spacing,
        Randoms.uniform(rnd, 1.1, 1.45),
        Randoms.between(rnd, 0, 5));
  }
}
