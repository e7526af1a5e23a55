package org.segflow.trust;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.Json;
import org.segflow.storage.SegflowPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trust profiles beside the model versions: {@code results/DatasetNNN_Name/models/<version>.trust.json}.
 * A version published before profiles existed has none: its images are neither scored nor flagged,
 * which is logged once per version.
 */
public final class TrustProfiles {

  private static final Logger LOG = LoggerFactory.getLogger(TrustProfiles.class);

  private final SegflowPaths paths;
  private final Set<String> reportedMissing = ConcurrentHashMap.newKeySet();
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** System property that switches scoring off when "off" (or "false"): images are segmented, unscored. */
  public static final String SCORING_PROPERTY = "segflow.trust";
  /** The environment variable read when the property is not set. */
  public static final String SCORING_ENV = "SEGFLOW_TRUST";

  /**
   * Whether workers score the images they segment: yes unless {@value #SCORING_PROPERTY} (or else
   * {@value #SCORING_ENV}) is "off" or "false", which exists to measure what scoring costs
   * ({@code segflow bench events --no-trust}).
   */
  public static boolean scoringEnabled() {
    String v = System.getProperty(SCORING_PROPERTY);
    if (v == null) {
      v = System.getenv(SCORING_ENV);
    }
    return v == null || !(v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false"));
  }

  public TrustProfiles(SegflowPaths paths) {
    this.paths = paths;
  }

  public Path file(ModelVersion v) {
    return paths.results().resolve(v.dataset()).resolve(ModelRegistry.MODELS).resolve(v.version() + ".trust.json");
  }

  /**
   * The version's profile; empty (logged once) when it was published without one. Parsed once per
   * version and file: a later call only looks at the file's attributes and reads it again when it was
   * replaced or changed (another file key, modification time or size), so a recalibrated profile is
   * picked up by the next image.
   */
  public Optional<TrustProfile> of(ModelVersion v) {
    Path f = file(v);
    String key = v.dataset() + "/" + v.version();
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(f, BasicFileAttributes.class);
    } catch (IOException e) {
      attributes = null;
    }
    if (attributes == null || !attributes.isRegularFile()) {
      cache.remove(key);
      if (reportedMissing.add(key)) {
        LOG.warn("model {} of {} has no trust profile ({}): its images are neither scored nor flagged;"
            + " create one with `segflow models calibrate -d {} {}`", v.version(), v.dataset(), f, v.dataset(),
            v.version());
      }
      return Optional.empty();
    }
    Stamp stamp = Stamp.of(attributes);
    Cached cached = cache.get(key);
    if (cached != null && cached.stamp().equals(stamp)) {
      return cached.profile();
    }
    Optional<TrustProfile> profile = read(v, f);
    cache.put(key, new Cached(stamp, profile));
    return profile;
  }

  private Optional<TrustProfile> read(ModelVersion v, Path f) {
    try {
      return Optional.of(Json.read(f, TrustProfile.class));
    } catch (RuntimeException e) {
      // scoring must not cost the segmentation: an unreadable profile leaves the image unscored
      if (reportedMissing.add(v.dataset() + "/" + v.version())) {
        LOG.warn("trust profile {} cannot be read ({}): images of {} are not scored; recreate it with"
            + " `segflow models calibrate -d {} {}`", f, e.getMessage(), v.version(), v.dataset(), v.version());
      }
      return Optional.empty();
    }
  }

  /** What tells one version of a profile file from the next: a rewrite (a rename over it) changes the key. */
  private record Stamp(Object fileKey, FileTime modified, long size) {
    static Stamp of(BasicFileAttributes a) {
      return new Stamp(a.fileKey(), a.lastModifiedTime(), a.size());
    }
  }

  /** A profile as parsed from the file with {@code stamp} (empty: the file could not be read). */
  private record Cached(Stamp stamp, Optional<TrustProfile> profile) {}

  public void write(ModelVersion v, TrustProfile profile) {
    Json.write(file(v), profile);
  }
}
