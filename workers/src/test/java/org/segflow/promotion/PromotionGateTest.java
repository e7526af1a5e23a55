package org.segflow.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.segflow.registry.ModelVersion;

class PromotionGateTest {

  private static ModelVersion version(String name, Double crossvalDice) {
    ModelVersion.FileRef f = new ModelVersion.FileRef("p", "s");
    return new ModelVersion(name, "Dataset001_X", "2d", "nnUNetPlans", "checkpoint_final.pth", List.of("0"), f, f,
        null, List.of(), crossvalDice, true);
  }

  private static ShadowReport shadow(String baseline, Double candidateDice, Double baselineDice,
      Double candidateFlagged, Double baselineFlagged) {
    return new ShadowReport(new ShadowReport.VersionResult("v2", candidateDice, candidateFlagged, 1),
        new ShadowReport.VersionResult(baseline, baselineDice, baselineFlagged, 1), 20, 0.9, "in");
  }

  @Test
  void withoutAShadowRunTheCrossValidationDiceDecides() {
    assertFalse(PromotionGate.check(version("v1", 0.80), version("v2", 0.79), null).allowed());
    assertTrue(PromotionGate.check(version("v1", 0.80), version("v2", 0.81), null).allowed());
    assertTrue(PromotionGate.check(version("v1", null), version("v2", 0.5), null).allowed());
    assertTrue(PromotionGate.check(null, version("v2", 0.5), null).allowed());
  }

  @Test
  void aShadowRunAgainstThePromotedVersionDecidesOnDiceAndFlags() {
    ModelVersion v1 = version("v1", 0.80);
    ModelVersion v2 = version("v2", 0.70);
    // shadow evidence overrides the lower cross-validation Dice
    assertTrue(PromotionGate.check(v1, v2, shadow("v1", 0.82, 0.80, 0.0, 0.0)).allowed());
    assertTrue(PromotionGate.check(v1, v2, shadow("v1", 0.797, 0.80, 0.0, 0.0)).allowed(), "within tolerance");
    PromotionGate.Verdict worse = PromotionGate.check(v1, v2, shadow("v1", 0.70, 0.80, 0.0, 0.0));
    assertFalse(worse.allowed());
    assertEquals("in the shadow run over 20 images v2's mean Dice 0.7000 is below v1's 0.8000", worse.reason());
    assertFalse(PromotionGate.check(v1, v2, shadow("v1", null, null, 0.30, 0.05)).allowed());
    // a report against another baseline is stale: the cross-validation Dice decides
    assertFalse(PromotionGate.check(v1, v2, shadow("v0", 0.9, 0.1, 0.0, 0.0)).allowed());
  }

  private static LiveShadow.Comparison live(String shadow, String promoted, Double shadowDice, Double promotedDice,
      Double shadowFlagged, Double promotedFlagged) {
    return new LiveShadow.Comparison(new LiveShadow.VersionStats(shadow, 12, 5, shadowDice, shadowFlagged, 0.9),
        new LiveShadow.VersionStats(promoted, 12, 5, promotedDice, promotedFlagged, 0.9), 12, 0.95);
  }

  @Test
  void aLiveShadowRunIsCheckedInAdditionToTheOtherEvidence() {
    ModelVersion v1 = version("v1", 0.80);
    ModelVersion v2 = version("v2", 0.81);
    PromotionGate.Verdict worse = PromotionGate.check(v1, v2, null, live("v2", "v1", 0.70, 0.80, 0.0, 0.0));
    assertFalse(worse.allowed());
    assertEquals("in the live shadow run v2's mean Dice on 5 labelled arrivals 0.7000 is below v1's 0.8000",
        worse.reason());
    assertFalse(PromotionGate.check(v1, v2, null, live("v2", "v1", null, null, 0.40, 0.10)).allowed(),
        "flags more often");
    PromotionGate.Verdict better = PromotionGate.check(v1, v2, null, live("v2", "v1", 0.83, 0.80, 0.0, 0.0));
    assertTrue(better.allowed());
    assertEquals("live shadow run over 12 arrivals (5 labelled): mean Dice 0.8300 vs 0.8000, flagged 0.0% vs 0.0%;"
        + " cross-validation Dice 0.8100 vs 0.8000", better.reason());
    // in addition: better on the arrivals, but a lower cross-validation Dice still refuses
    assertFalse(PromotionGate.check(v1, version("v2", 0.70), null, live("v2", "v1", 0.83, 0.80, 0.0, 0.0)).allowed());
    // ... and so does a worse test-set shadow run against the promoted version
    assertFalse(PromotionGate.check(v1, v2, shadow("v1", 0.60, 0.80, 0.0, 0.0),
        live("v2", "v1", 0.83, 0.80, 0.0, 0.0)).allowed());
    // records against another promoted version, or of another candidate, are not this comparison
    assertTrue(PromotionGate.check(v1, v2, null, live("v2", "v0", 0.10, 0.80, 0.0, 0.0)).allowed());
    assertTrue(PromotionGate.check(v1, v2, null, live("v3", "v1", 0.10, 0.80, 0.0, 0.0)).allowed());
  }
}
