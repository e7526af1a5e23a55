package org.segflow.metrics;

import java.util.List;
import org.segflow.contract.TrustScores;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;

/**
 * Test helper: every metric name a segflow process exports. segflow_* and JVM names are measured by
 * scraping a registry fed by every class of this package; names that come from libraries not running
 * in this module's tests are listed with where they come from.
 */
final class ExportedNames {

  private ExportedNames() {}

  /** Exported by other code bound to the same registry, with the source. */
  static final Map<String, String> FROM_LIBRARIES = new TreeMap<>(Map.of(
      "temporal_activity_schedule_to_start_latency_seconds_bucket",
      "temporal-sdk MetricsType.ACTIVITY_SCHEDULE_TO_START_LATENCY via MicrometerClientStatsReporter (timers with publishPercentileHistogram)",
      "temporal_workflow_task_schedule_to_start_latency_seconds_bucket",
      "temporal-sdk MetricsType.WORKFLOW_TASK_SCHEDULE_TO_START_LATENCY via MicrometerClientStatsReporter",
      "temporal_activity_execution_failed_total",
      "temporal-sdk MetricsType.ACTIVITY_EXEC_FAILED_COUNTER (counter, _total added by the Prometheus registry)",
      "temporal_worker_task_slots_available",
      "temporal-sdk MetricsType.WORKER_TASK_SLOTS_AVAILABLE (gauge, tag worker_type)",
      "kafka_consumer_fetch_manager_records_lag_max",
      "Micrometer KafkaClientMetrics: consumer-fetch-manager-metrics records-lag-max",
      "jvm_gc_pause_seconds_sum",
      "Micrometer JvmGcMetrics, present after the first GC pause",
      "up", "Prometheus, per scrape target",
      "scrape_samples_scraped", "Prometheus, per scrape target"));

  /** Names in the scrape of a registry where every segflow meter has been used once. */
  static Set<String> measured() {
    try (ScrapeEndpoint metrics = new ScrapeEndpoint()) {
      TrainingMetricsListener training = new TrainingMetricsListener(metrics.registry());
      FoldContext fold = new FoldContext("D", "2d", "0", java.nio.file.Path.of("x"));
      training.onTrainingStart(fold, new TrainingHistory());
      training.onIteration(fold, 0, 1, 1);
      training.onEpochEnd(fold, new EpochResult(0, 2, 0.01, -0.1, -0.2, new double[] {0.5}, 0.5, 0.05, true,
          1.0, 1, 0), new TrainingHistory());
      InferenceMetrics inference = new InferenceMetrics(metrics.registry());
      inference.record("D", InferenceMetrics.Outcome.OK, 0.5);
      inference.recordTrust("D", "v1", new TrustScores(4.2, 3.0, "c0.p50", 0.9, 0.85, 1.0, 3.0,
          List.of(TrustScores.OUT_OF_DISTRIBUTION)));
      inference.recordShadow("D", "v2", 0.9);
      new EventMetrics(metrics.registry(), List.of("segflow.images.arrived"));
      return new TreeSet<>(Scrape.parse(metrics.scrape()).names());
    }
  }
}
