package org.segflow.sample;

/**
 * What one fundus case looks like in numbers, comparable with the figures measured on real
 * photographs (as measured on real ones): vessel density, intensities of vessels and background inside the
 * field of view, vessel widths and the number of separate vessel pieces.
 *
 * @param vesselFraction vessel pixels / FOV pixels (labels outside the FOV are not counted)
 * @param grayBackground mean PIL-"L" gray of background pixels inside the FOV
 * @param grayBackgroundStd their standard deviation
 * @param grayVessel mean gray of vessel pixels inside the FOV
 * @param grayVesselStd their standard deviation
 * @param thinShare share of vessel pixels whose local width is at most 3 px
 * @param widthMedian median local width of vessel pixels (px)
 * @param widthP90 90th percentile of the local width (px)
 * @param widthMax largest local width (px)
 * @param components 8-connected components of the vessel label
 * @param outsideMean mean of all channels outside the FOV
 */
public record CaseStatistics(
    String name,
    double vesselFraction,
    double grayBackground,
    double grayBackgroundStd,
    double grayVessel,
    double grayVesselStd,
    Rgb background,
    Rgb vessel,
    double thinShare,
    double widthMedian,
    double widthP90,
    double widthMax,
    int components,
    double outsideMean,
    int fovWidth,
    int fovHeight) {

  /** Mean channel values. */
  public record Rgb(double r, double g, double b) {

    public Rgb minus(Rgb o) {
      return new Rgb(r - o.r, g - o.g, b - o.b);
    }
  }

  /** Vessel minus background gray (negative: vessels are darker). */
  public double grayContrast() {
    return grayVessel - grayBackground;
  }

  /** Vessel minus background per channel. */
  public Rgb channelContrast() {
    return vessel.minus(background);
  }
}
