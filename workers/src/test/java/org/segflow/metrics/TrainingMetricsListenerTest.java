package org.segflow.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityNotExistsException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.segflow.activity.FoldEnd;
import org.segflow.activity.WorkerStop;
import org.segflow.metrics.TrainingMetricsListener.FoldState;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;

class TrainingMetricsListenerTest {

  private static final FoldContext FOLD0 = new FoldContext("Dataset001_Drive", "2d", "0", Path.of("f0"));
  private static final FoldContext FOLD1 = new FoldContext("Dataset001_Drive", "2d", "1", Path.of("f1"));

  private static EpochResult epoch(int e, double lr, double train, double val, double dice, double ema,
      double seconds) {
    return new EpochResult(e, 10, lr, train, val, new double[] {dice}, dice, ema, true, seconds, (e + 1) * 3L, 0);
  }

  private static String k(String name, String... labels) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("dataset", "Dataset001_Drive");
    m.put("configuration", "2d");
    m.put("fold", "0");
    for (int i = 0; i < labels.length; i += 2) {
      m.put(labels[i], labels[i + 1]);
    }
    return Scrape.key(name, m);
  }

  @Test
  void aFakeEpochSequenceIsScrapedWithExactNamesLabelsAndValues() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainingMetricsListener l = new TrainingMetricsListener(registry,
        Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 250_000_000L), ZoneOffset.UTC), FoldState::endedBy);
    TrainingHistory history = new TrainingHistory();
    l.onTrainingStart(FOLD0, history);
    Scrape before = Scrape.parse(registry.scrape());
    assertEquals(0.0, before.samples().get(k("segflow_training_epoch")));
    assertTrue(before.samples().get(k("segflow_training_loss", "split", "train")).isNaN(), "no loss before an epoch");
    assertEquals(1.0, before.samples().get(k("segflow_training_fold_state", "state", "running")));

    for (int e = 0; e < 2; e++) {
      for (int i = 1; i <= 3; i++) {
        l.onIteration(FOLD0, e, i, 3);
      }
      EpochResult r = e == 0 ? epoch(0, 0.01, -0.25, -0.5, 0.625, 0.0625, 1.5)
          : epoch(1, 0.0091, -0.375, -0.75, 0.75, 0.13125, 2.5);
      history.add(r);
      l.onEpochEnd(FOLD0, r, history);
    }
    Scrape s = Scrape.parse(registry.scrape());
    Map<String, Double> expected = new TreeMap<>();
    expected.put(k("segflow_training_epoch"), 2.0);
    expected.put(k("segflow_training_num_epochs"), 10.0);
    expected.put(k("segflow_training_loss", "split", "train"), -0.375);
    expected.put(k("segflow_training_loss", "split", "val"), -0.75);
    expected.put(k("segflow_training_pseudo_dice", "ema", "false"), 0.75);
    expected.put(k("segflow_training_pseudo_dice", "ema", "true"), 0.13125);
    expected.put(k("segflow_training_learning_rate"), 0.0091);
    expected.put(k("segflow_training_iterations_total"), 6.0);
    expected.put(k("segflow_training_epoch_seconds_count"), 2.0);
    expected.put(k("segflow_training_epoch_seconds_sum"), 4.0);
    expected.put(k("segflow_training_epoch_seconds_max"), 2.5);
    expected.put(k("segflow_training_fold_state", "state", "running"), 1.0);
    expected.put(k("segflow_training_fold_state", "state", "done"), 0.0);
    expected.put(k("segflow_training_fold_state", "state", "failed"), 0.0);
    expected.put(k("segflow_training_fold_state", "state", "cancelled"), 0.0);
    expected.put(k("segflow_training_fold_state", "state", "stopped"), 0.0);
    expected.put(k("segflow_training_fold_state_since_seconds"), 1_700_000_000.25);
    Map<String, Double> actual = new TreeMap<>();
    s.samples().forEach((key, v) -> {
      if (key.startsWith("segflow_")) {
        actual.put(key, v);
      }
    });
    assertEquals(expected, actual, "every segflow series, nothing more (no run ids, no extra labels)");

    l.onTrainingEnd(FOLD0, history);
    l.onTrainingStart(FOLD1, new TrainingHistory());
    l.onTrainingFailed(FOLD1, new IllegalStateException("the worker crashed"));
    Scrape end = Scrape.parse(registry.scrape());
    assertEquals(1.0, end.samples().get(k("segflow_training_fold_state", "state", "done")));
    assertEquals(0.0, end.samples().get(k("segflow_training_fold_state", "state", "running")));
    assertEquals(1.0, end.samples().get(k("segflow_training_fold_state", "fold", "1", "state", "failed")));
    assertEquals(0.0, end.samples().get(k("segflow_training_fold_state", "fold", "1", "state", "running")));
  }

  @Test
  void gaugesSurviveGarbageCollection() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainingMetricsListener l = new TrainingMetricsListener(registry);
    l.onTrainingStart(FOLD0, new TrainingHistory());
    l.onEpochEnd(FOLD0, epoch(0, 0.01, -0.25, -0.5, 0.625, 0.0625, 1.5), new TrainingHistory());
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    assertEquals(1.0, Scrape.parse(registry.scrape()).samples().get(k("segflow_training_epoch")));
  }

  @Test
  void aResumedFoldStartsAtItsHistorysEpoch() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainingHistory past = new TrainingHistory();
    for (int e = 0; e < 3; e++) {
      past.add(epoch(e, 0.01, -0.1, -0.2, 0.5, 0.05, 1));
    }
    new TrainingMetricsListener(registry).onTrainingStart(FOLD0, past);
    assertEquals(3.0, Scrape.parse(registry.scrape()).samples().get(k("segflow_training_epoch")));
  }

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.ofEpochSecond(1_700_000_000L);

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  private static String state(PrometheusMeterRegistry registry, FoldContext fold) {
    Map<String, Double> samples = Scrape.parse(registry.scrape()).samples();
    StringBuilder current = new StringBuilder();
    for (FoldState s : FoldState.values()) {
      String label = s.name().toLowerCase(java.util.Locale.ROOT);
      if (samples.get(k("segflow_training_fold_state", "fold", fold.fold(), "state", label)) == 1.0) {
        current.append(current.isEmpty() ? "" : "+").append(label);
      }
    }
    return current.toString();
  }

  private static double since(PrometheusMeterRegistry registry, FoldContext fold) {
    return Scrape.parse(registry.scrape()).samples().get(k("segflow_training_fold_state_since_seconds", "fold", fold.fold()));
  }

  @Test
  void aCancelledFoldIsNotRunningNorFailed() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainingMetricsListener l = new TrainingMetricsListener(registry, FoldEnd::of);
    l.onTrainingStart(FOLD0, new TrainingHistory());
    l.onTrainingFailed(FOLD0, new ActivityCanceledException());
    assertEquals("cancelled", state(registry, FOLD0));
    // the server no longer knows the activity (timed out: its retry runs elsewhere; or the workflow ended)
    l.onTrainingStart(FOLD1, new TrainingHistory());
    l.onTrainingFailed(FOLD1, new ActivityNotExistsException(new RuntimeException("not found")));
    assertEquals("cancelled", state(registry, FOLD1));
  }

  @Test
  void aFoldHandedBackByAStoppingWorkerIsStopped() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainingMetricsListener l = new TrainingMetricsListener(registry, FoldEnd::of);
    l.onTrainingStart(FOLD0, new TrainingHistory());
    l.onTrainingFailed(FOLD0, ApplicationFailure.newFailure("this worker is stopping", WorkerStop.FAILURE_TYPE));
    assertEquals("stopped", state(registry, FOLD0));
    l.onTrainingStart(FOLD0, new TrainingHistory());
    l.onTrainingFailed(FOLD0, new ActivityWorkerShutdownException());
    assertEquals("stopped", state(registry, FOLD0));
    // interrupted after the stop's grace: whatever the loop threw on the way out
    l.onTrainingStart(FOLD0, new TrainingHistory());
    l.onTrainingFailed(FOLD0, new IllegalStateException("engine call failed", new InterruptedException()));
    assertEquals("stopped", state(registry, FOLD0));
    // another application failure is a failure
    l.onTrainingStart(FOLD0, new TrainingHistory());
    l.onTrainingFailed(FOLD0, ApplicationFailure.newFailure("disk full", "IOException"));
    assertEquals("failed", state(registry, FOLD0));
  }

  @Test
  void outsideTemporalAnInterruptIsAStopAndAnythingElseAFailure() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    TrainingMetricsListener l = new TrainingMetricsListener(registry);
    l.onTrainingStart(FOLD0, new TrainingHistory());
    l.onTrainingFailed(FOLD0, new IllegalStateException("engine call failed", new InterruptedException()));
    assertEquals("stopped", state(registry, FOLD0));
    l.onTrainingStart(FOLD0, new TrainingHistory());
    l.onTrainingFailed(FOLD0, ApplicationFailure.newFailure("this worker is stopping", WorkerStop.FAILURE_TYPE));
    assertEquals("failed", state(registry, FOLD0), "without the worker's classifier a hand-back is a failure");
  }

  @Test
  void aLaterAttemptInTheSameProcessReplacesFailedAndEveryChangeMovesTheTimestamp() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ManualClock clock = new ManualClock();
    TrainingMetricsListener l = new TrainingMetricsListener(registry, clock, FoldState::endedBy);
    l.onTrainingStart(FOLD0, new TrainingHistory());
    double started = since(registry, FOLD0);
    assertEquals(1_700_000_000.0, started);

    clock.advance(Duration.ofSeconds(90));
    l.onEpochEnd(FOLD0, epoch(0, 0.01, -0.25, -0.5, 0.625, 0.0625, 1.5), new TrainingHistory());
    assertEquals(started, since(registry, FOLD0), "an epoch is no state change");

    l.onTrainingFailed(FOLD0, new IllegalStateException("CUDA out of memory"));
    assertEquals("failed", state(registry, FOLD0));
    double failed = since(registry, FOLD0);
    assertEquals(started + 90, failed);

    clock.advance(Duration.ofMillis(1500));
    l.onTrainingStart(FOLD0, new TrainingHistory());
    assertEquals("running", state(registry, FOLD0), "the retry replaces failed");
    double retried = since(registry, FOLD0);
    assertEquals(failed + 1.5, retried);

    clock.advance(Duration.ofSeconds(60));
    l.onTrainingEnd(FOLD0, new TrainingHistory());
    assertEquals("done", state(registry, FOLD0));
    assertNotEquals(retried, since(registry, FOLD0));
    assertEquals(retried + 60, since(registry, FOLD0));
  }
}
