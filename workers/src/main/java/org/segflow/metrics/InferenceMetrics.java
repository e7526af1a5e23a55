package org.segflow.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.segflow.contract.TrustScores;

/**
 * Inference latency and outcomes per dataset: segflow_inference_seconds (histogram, buckets from 10 ms
 * to 30 min, so Grafana and alerts take quantiles with histogram_quantile) and
 * segflow_inference_images_total, both labelled {dataset, outcome=ok|rejected|failed}. A dataset's
 * three counters are registered at 0 on first use so that increase() sees its first image. Images
 * whose events named reference labels also give segflow_inference_dice{dataset}; images scored against
 * a trust profile give the drift and confidence histograms and the flag counters ({@link #recordTrust}).
 * Images segmented by a live shadow version give the shadow meters ({@link #recordShadow}); they count
 * neither in the inference meters nor in the trust meters, which stay the published results'.
 */
public final class InferenceMetrics {

  /** ok: segmented; rejected: the input was invalid (not retried); failed: an error while segmenting. */
  public enum Outcome {
    OK, REJECTED, FAILED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MeterRegistry registry;
  private final Set<String> registered = ConcurrentHashMap.newKeySet();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> dice = new ConcurrentHashMap<>();
  private final Set<String> trustRegistered = ConcurrentHashMap.newKeySet();

  public InferenceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the dataset's counters (at 0), its ok-latency histogram and Dice summary before any image arrives. */
  public void register(String dataset) {
    if (registered.add(dataset)) {
      for (Outcome o : Outcome.values()) {
        counter(dataset, o);
      }
      timer(dataset, Outcome.OK);
      diceSummary(dataset);
    }
  }

  /** One image finished with {@code outcome} after {@code seconds}. */
  public void record(String dataset, Outcome outcome, double seconds) {
    if (!(seconds >= 0) || Double.isInfinite(seconds)) {
      throw new IllegalArgumentException("inference seconds must be finite and >= 0, got " + seconds);
    }
    register(dataset);
    timer(dataset, outcome).record(Duration.ofNanos(Math.round(seconds * 1e9)));
    counter(dataset, outcome).increment();
  }

  /**
   * The foreground mean Dice of one image against the reference labels its event named:
   * segflow_inference_dice{dataset} (buckets every 0.05, so quantiles and "share below 0.7" can be
   * queried). NaN (no foreground in either) is not recorded.
   */
  public void recordDice(String dataset, double value) {
    if (Double.isNaN(value)) {
      return;
    }
    if (value < 0 || value > 1) {
      throw new IllegalArgumentException("Dice must be within [0, 1], got " + value);
    }
    diceSummary(dataset).record(value);
  }

  /**
   * One scored image of model {@code version}: segflow_inference_drift_score and
   * segflow_inference_confidence (histograms), segflow_inference_trust_images_total{verdict=passed|flagged}
   * and segflow_inference_flags_total{flag=out_of_distribution|low_confidence}, all labelled {dataset,
   * model_version}. The version's counters start at 0 with its first image, so increase() sees it.
   */
  public void recordTrust(String dataset, String version, TrustScores scores) {
    registerTrust(dataset, version);
    driftSummary(dataset, version).record(scores.driftScore());
    confidenceSummary(dataset, version).record(scores.confidence());
    trustCounter(dataset, version, scores.flagged() ? FLAGGED : PASSED).increment();
    for (String flag : scores.flags()) {
      flagCounter(dataset, version, flag).increment();
    }
  }

  /**
   * Registers the version's trust meters at 0 (the check step does, once it chose a version with a
   * trust profile), so that increase() and rate() see the first scored image.
   */
  public void registerTrust(String dataset, String version) {
    if (trustRegistered.add(dataset + '\u0000' + version)) {
      for (String verdict : List.of(PASSED, FLAGGED)) {
        trustCounter(dataset, version, verdict);
      }
      for (String flag : List.of(TrustScores.OUT_OF_DISTRIBUTION, TrustScores.LOW_CONFIDENCE)) {
        flagCounter(dataset, version, flag);
      }
      driftSummary(dataset, version);
      confidenceSummary(dataset, version);
    }
  }

  /**
   * One image segmented by the shadowed {@code version}: segflow_shadow_images_total{dataset,
   * model_version, outcome=ok} and, unless neither mask has foreground, segflow_shadow_agreement{dataset,
   * model_version}: the foreground mean Dice of its mask against the promoted version's (buckets every 0.05).
   */
  public void recordShadow(String dataset, String version, Double agreement) {
    shadowCounter(dataset, version, Outcome.OK).increment();
    shadowCounter(dataset, version, Outcome.FAILED);
    DistributionSummary summary = DistributionSummary.builder("segflow.shadow.agreement")
        .tags("dataset", dataset, "model_version", version)
        .description("Foreground mean Dice of a shadowed version's mask against the promoted version's, per image")
        .serviceLevelObjectives(DICE_BUCKETS)
        .register(registry);
    if (agreement != null && !agreement.isNaN()) {
      summary.record(agreement);
    }
  }

  /** One attempt of the shadowed {@code version} at an image failed: segflow_shadow_images_total{outcome=failed}. */
  public void recordShadowFailure(String dataset, String version) {
    shadowCounter(dataset, version, Outcome.FAILED).increment();
  }

  private Counter shadowCounter(String dataset, String version, Outcome outcome) {
    return Counter.builder("segflow.shadow.images")
        .tags("dataset", dataset, "model_version", version, "outcome", outcome.label())
        .description("Arriving images segmented by a shadowed model version (published nowhere), by outcome")
        .register(registry);
  }

  private DistributionSummary driftSummary(String dataset, String version) {
    return trustSummary("segflow.inference.drift.score", "Drift score of segmented images against their model's"
        + " training images (higher: further out)", DRIFT_BUCKETS, dataset, version);
  }

  private DistributionSummary confidenceSummary(String dataset, String version) {
    return trustSummary("segflow.inference.confidence", "Mean max softmax probability over the predicted"
        + " foreground and its border", CONFIDENCE_BUCKETS, dataset, version);
  }

  private static final String PASSED = "passed";
  private static final String FLAGGED = "flagged";
  private static final double[] DRIFT_BUCKETS = {0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10, 15, 20, 50, 100};
  private static final double[] CONFIDENCE_BUCKETS = {0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.925, 0.95, 0.96,
      0.97, 0.98, 0.99, 0.995, 1};

  private DistributionSummary trustSummary(String name, String description, double[] buckets, String dataset,
      String version) {
    return DistributionSummary.builder(name)
        .tags("dataset", dataset, "model_version", version)
        .description(description)
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  private Counter trustCounter(String dataset, String version, String verdict) {
    return Counter.builder("segflow.inference.trust.images")
        .tags("dataset", dataset, "model_version", version, "verdict", verdict)
        .description("Images scored against their model's trust profile, passed or flagged")
        .register(registry);
  }

  private Counter flagCounter(String dataset, String version, String flag) {
    return Counter.builder("segflow.inference.flags")
        .tags("dataset", dataset, "model_version", version, "flag", flag.toLowerCase(Locale.ROOT))
        .description("Trust flags raised on segmented images")
        .register(registry);
  }

  private DistributionSummary diceSummary(String dataset) {
    return dice.computeIfAbsent(dataset, d -> DistributionSummary.builder("segflow.inference.dice")
        .tags("dataset", d)
        .description("Foreground mean Dice of segmented images against the reference labels their events named")
        .serviceLevelObjectives(DICE_BUCKETS)
        .register(registry));
  }

  private static final double[] DICE_BUCKETS = new double[20];

  static {
    for (int i = 0; i < DICE_BUCKETS.length; i++) {
      DICE_BUCKETS[i] = (i + 1) / 20.0;
    }
  }

  private Counter counter(String dataset, Outcome outcome) {
    return Counter.builder("segflow.inference.images")
        .tags("dataset", dataset, "outcome", outcome.label())
        .description("Images through inference by outcome")
        .register(registry);
  }

  private Timer timer(String dataset, Outcome outcome) {
    return timers.computeIfAbsent(dataset + '\u0000' + outcome.label(), k -> Timer.builder("segflow.inference.seconds")
        .tags("dataset", dataset, "outcome", outcome.label())
        .description("Wall time to segment one image")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(10))
        .maximumExpectedValue(Duration.ofMinutes(30))
        .register(registry));
  }
}
