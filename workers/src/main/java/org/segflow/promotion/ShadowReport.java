package org.segflow.promotion;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A shadow run ({@code models/<candidate>.shadow.json}): the candidate and the promoted version on the
 * same images, neither result published. Dice against reference labels is null without references,
 * the flagged share null when the version has no trust profile.
 */
public record ShadowReport(
    @JsonProperty("candidate") VersionResult candidate,
    @JsonProperty("baseline") VersionResult baseline,
    @JsonProperty("images") int images,
    @JsonProperty("agreement_dice") Double agreementDice,
    @JsonProperty("images_folder") String imagesFolder) {

  /** One version's results over the images. */
  public record VersionResult(
      @JsonProperty("version") String version,
      @JsonProperty("mean_dice") Double meanDice,
      @JsonProperty("flagged_share") Double flaggedShare,
      @JsonProperty("seconds_per_image") double secondsPerImage) {}
}
