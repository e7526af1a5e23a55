package org.segflow.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;

/** The trust profiles the workers read per image: parsed once, read again when the file changed. */
class TrustProfilesTest {

  private static final ModelVersion V1 = new ModelVersion("v1", "Dataset007_Sample", "2d", "nnUNetPlans",
      "checkpoint_final.pth", List.of("0"), null, null, null, List.of(), null, true);

  private static TrustProfile profile(double driftThreshold) {
    return new TrustProfile("v1", List.of("0"), 8, 8,
        new TrustProfile.Drift(3, Map.of("c0.p50", new TrustProfile.Feature(120, 4)), driftThreshold, 3.5),
        new TrustProfile.Confidence(0.8, 0.9), new TrustProfile.Foreground(0.1, 0.02, 3));
  }

  @Test
  void aProfileIsParsedOnceAndReadAgainWhenRewritten(@TempDir Path home) throws Exception {
    TrustProfiles profiles = new TrustProfiles(SegflowPaths.under(home));
    assertEquals(Optional.empty(), profiles.of(V1), "published without a profile");

    TrustProfile first = profile(4.0);
    profiles.write(V1, first);
    TrustProfile read = profiles.of(V1).orElseThrow();
    assertEquals(first, read);
    assertSame(read, profiles.of(V1).orElseThrow(), "the unchanged file is not parsed again");

    // recalibrated as `segflow models calibrate` does (a new file renamed over the old one), same size
    TrustProfile recalibrated = profile(5.0);
    assertEquals(Json.write(first).length(), Json.write(recalibrated).length());
    profiles.write(V1, recalibrated);
    assertEquals(recalibrated, profiles.of(V1).orElseThrow());

    // edited in place (the same file), same size again: its modification time tells
    Path file = profiles.file(V1);
    FileTime before = Files.getLastModifiedTime(file);
    TrustProfile edited = profile(6.0);
    Files.writeString(file, Json.write(edited));
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 10_000));
    assertEquals(edited, profiles.of(V1).orElseThrow());

    // broken, then repaired: unscored meanwhile, scored again after
    Files.writeString(file, "{ not json");
    assertEquals(Optional.empty(), profiles.of(V1));
    profiles.write(V1, recalibrated);
    assertEquals(recalibrated, profiles.of(V1).orElseThrow());

    Files.delete(file);
    assertTrue(profiles.of(V1).isEmpty(), "a removed profile scores nothing");
  }
}
