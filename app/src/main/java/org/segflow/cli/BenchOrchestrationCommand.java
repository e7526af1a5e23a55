package org.segflow.cli;

import com.google.protobuf.Timestamp;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.RunMemo;
import org.segflow.net.HostCpu;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleSpec;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What the orchestration costs per activity when no step has work to do: a tiny pipeline runs once on an
 * embedded stack (the Temporal test server and one worker factory each for the orchestrator, cpu and gpu
 * pools, no Kafka) to fill the step caches, then the same request runs again {@code --warmup} times
 * uncounted (class loading, JIT) and {@code --reruns} times counted. Each
 * re-run's wall time is divided by the activities its history scheduled; the history's event times split
 * it into activities waiting for a worker (scheduled -> started), activities running (started -> closed)
 * and workflow tasks. A re-run that trained a fold or missed a step cache (a cpu step, the fold cache,
 * find-best or predict) is reported as such and makes the command exit 1: its figure would not be what
 * this bench claims to measure. The machine's load average is printed at the start and the end, as the
 * figures depend on it.
 */
@Command(name = "orchestration", mixinStandardHelpOptions = true,
    description = "Milliseconds per activity of a pipeline re-run with every step cached: a tiny pipeline (the "
        + "sample at 64x64) runs once on an embedded stack to fill the caches, then again --reruns times; "
        + "prints each re-run's wall time, activities (from the workflow history), ms per activity and where "
        + "the time went (waiting for a worker, running, workflow tasks), with the CPU model and flags.")
final class BenchOrchestrationCommand implements Callable<Integer> {

  static final String NAME = "BenchOrchestration";
  /** The bench's dataset, alone in a folder of the bench's own under the home. */
  static final int DATASET_ID = 991;
  static final String TRAIN_FOLD = "TrainFold";
  /** The target for a fully cached re-run. */
  static final double TARGET_MS_PER_ACTIVITY = 50;

  @Option(names = "--reruns", defaultValue = "3", description = "Re-runs with every step cached. Default: ${DEFAULT-VALUE}.")
  int reruns;

  @Option(names = "--warmup", defaultValue = "2",
      description = "Re-runs after the filling run that are not counted: the first ones pay for class loading and "
          + "the JIT. Default: ${DEFAULT-VALUE}.")
  int warmup;

  @Option(names = "--cases", defaultValue = "6", description = "Training cases of the sample. Default: ${DEFAULT-VALUE}.")
  int cases;

  @Option(names = "--test-cases", defaultValue = "1", description = "Test cases of the sample. Default: ${DEFAULT-VALUE}.")
  int testCases;

  @Option(names = "--size", defaultValue = "64x64", paramLabel = "HxW",
      description = "Image size of the sample, height x width. Default: ${DEFAULT-VALUE}.")
  String size;

  @Option(names = {"-f", "--folds"}, arity = "1..*", split = ",", defaultValue = "0", paramLabel = "FOLD",
      converter = Folds.Token.class, completionCandidates = Folds.Candidates.class,
      description = Folds.DESCRIPTION + " The cross-validation folds the pipeline trains. Default: ${DEFAULT-VALUE}.")
  List<String> folds;

  @Option(names = "--epochs", defaultValue = "1", description = "Epochs per fold of the filling run. Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--iterations-per-epoch", defaultValue = "2",
      description = "Training batches per epoch of the filling run. Default: ${DEFAULT-VALUE}.")
  int iterations;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = EngineOptions.THREADS + " Default: ${DEFAULT-VALUE}.")
  int threads;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (reruns < 1) {
      throw new org.segflow.InvalidInputException("--reruns must be at least 1, got " + reruns);
    }
    if (warmup < 0) {
      throw new org.segflow.InvalidInputException("--warmup must be 0 or more, got " + warmup);
    }
    HostCpu cpu = HostCpu.current();
    System.out.println("bench orchestration on " + cpu.describe() + ", Java " + Runtime.version());
    String loadBefore = BenchEventsCommand.loadAverage();
    Path home = storage.paths().home().resolve("bench-orchestration")
        .resolve(LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    SegflowPaths paths = SegflowPaths.under(home);
    int[] hw = SampleCommand.parseSize(size);
    Path sample = home.resolve("source");
    FundusSampleGenerator.generate(sample, new SampleSpec(cases, testCases, hw[0], hw[1], 1), true);
    List<Integer> foldNumbers = Folds.crossValidation(folds, "the bench trains cross-validation folds");
    PipelineRequest request = new PipelineRequest(sample.toString(), DATASET_ID, NAME, "gray", 0.5, epochs,
        iterations, 1, foldNumbers, "bench");
    System.out.printf(Locale.ROOT, "home %s; sample %d+%d cases %dx%d; pipeline %s, fold(s) %s, %d epoch(s) of %d "
        + "iterations%n", home, cases, testCases, hw[0], hw[1], request.workflowId(), foldNumbers, epochs, iterations);

    List<Run> runs = new ArrayList<>();
    try (EmbeddedStack stack = EmbeddedStack.builder(paths).temporal("127.0.0.1", 0)
        .workers(WorkerCommand.Pool.ORCHESTRATOR).workers(WorkerCommand.Pool.CPU).workers(WorkerCommand.Pool.GPU)
        .engine("cpu", threads).start()) {
      WorkflowClient client = stack.client();
      Run fill = Run.of(client, request);
      System.out.printf(Locale.ROOT, "filling run: %.1f s, %d activities (%s)%n", fill.wallMillis() / 1000,
          fill.history().activities(), fill.history().countsByType());
      List<String> warm = new ArrayList<>();
      for (int i = 0; i < warmup; i++) {
        Run w = Run.of(client, request);
        warm.add(String.format(Locale.ROOT, "%.0f ms (%.1f ms/activity)", w.wallMillis(),
            w.wallMillis() / w.history().activities()));
      }
      if (!warm.isEmpty()) {
        System.out.println("warm-up re-runs, not counted: " + String.join(", ", warm));
      }
      for (int i = 0; i < reruns; i++) {
        runs.add(Run.of(client, request));
      }
    }
    Report report = new Report(cpu, foldNumbers, runs);
    System.out.print(report.table());
    System.out.println("load average (1, 5, 15 min): " + loadBefore + " at the start, "
        + BenchEventsCommand.loadAverage() + " at the end");
    List<String> misses = report.misses();
    misses.forEach(m -> System.out.println("NOT CACHED: " + m));
    return misses.isEmpty() ? 0 : 1;
  }

  /** One pipeline run: the client's wall time from start to result, its result and its history. */
  record Run(double wallMillis, PipelineResult result, History history) {

    /** Milliseconds per activity of the wall time no activity was running: the orchestration's own cost. */
    double overheadPerActivity() {
      double running = history.activityList().stream().mapToDouble(Activity::startToClose).sum();
      return (wallMillis - running) / history.activities();
    }

    static Run of(WorkflowClient client, PipelineRequest request) {
      PipelineWorkflow wf = client.newWorkflowStub(PipelineWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(request.workflowId())
              .setTaskQueue(PipelineWorkflow.TASK_QUEUE).setMemo(RunMemo.of(request)).build());
      long t0 = System.nanoTime();
      WorkflowExecution execution = WorkflowClient.start(wf::run, request);
      PipelineResult result = WorkflowStub.fromTyped(wf).getResult(PipelineResult.class);
      double wall = (System.nanoTime() - t0) / 1e6;
      return new Run(wall, result, History.of(client.fetchHistory(request.workflowId(), execution.getRunId())
          .getEvents()));
    }
  }

  /** One activity of a history: its type, and its three times in milliseconds since the epoch. */
  record Activity(String type, double scheduled, double started, double closed) {
    double scheduleToStart() {
      return started - scheduled;
    }

    double startToClose() {
      return closed - started;
    }
  }

  /**
   * What a workflow's history says about where its time went: its activities in the order they were
   * scheduled, its workflow tasks' total scheduled -> completed time and count (and of that time, the part
   * from started to completed: the orchestrator fetching the history, replaying it and answering), and
   * first to last event.
   */
  record History(List<Activity> activityList, int workflowTasks, double workflowTaskMillis,
      double workflowTaskStartedMillis, double spanMillis) {

    static History of(List<HistoryEvent> events) {
      Map<Long, String> types = new LinkedHashMap<>();
      Map<Long, Double> scheduled = new HashMap<>();
      Map<Long, Double> started = new HashMap<>();
      Map<Long, Double> closed = new HashMap<>();
      Map<Long, Double> taskScheduled = new HashMap<>();
      Map<Long, Double> taskStarted = new HashMap<>();
      int tasks = 0;
      double taskMillis = 0;
      double taskStartedMillis = 0;
      for (HistoryEvent e : events) {
        double t = millis(e.getEventTime());
        EventType type = e.getEventType();
        switch (type) {
          case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
            types.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
            scheduled.put(e.getEventId(), t);
          }
          case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
              started.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), t);
          case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
              closed.put(e.getActivityTaskCompletedEventAttributes().getScheduledEventId(), t);
          case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
              closed.put(e.getActivityTaskFailedEventAttributes().getScheduledEventId(), t);
          case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
              closed.put(e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), t);
          case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
              closed.put(e.getActivityTaskCanceledEventAttributes().getScheduledEventId(), t);
          case EVENT_TYPE_WORKFLOW_TASK_SCHEDULED -> taskScheduled.put(e.getEventId(), t);
          case EVENT_TYPE_WORKFLOW_TASK_STARTED ->
              taskStarted.put(e.getWorkflowTaskStartedEventAttributes().getScheduledEventId(), t);
          case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> {
            Long s = e.getWorkflowTaskCompletedEventAttributes().getScheduledEventId();
            if (taskScheduled.containsKey(s)) {
              tasks++;
              taskMillis += t - taskScheduled.get(s);
              taskStartedMillis += t - taskStarted.getOrDefault(s, taskScheduled.get(s));
            }
          }
          default -> { }
        }
      }
      List<Activity> activities = new ArrayList<>();
      for (Map.Entry<Long, String> a : types.entrySet()) {
        double s = scheduled.get(a.getKey());
        double c = closed.getOrDefault(a.getKey(), Double.NaN);
        activities.add(new Activity(a.getValue(), s, started.getOrDefault(a.getKey(), Double.NaN), c));
      }
      double span = events.isEmpty() ? 0
          : millis(events.get(events.size() - 1).getEventTime()) - millis(events.get(0).getEventTime());
      return new History(List.copyOf(activities), tasks, taskMillis, taskStartedMillis, span);
    }

    /** ActivityTaskScheduled events. */
    int activities() {
      return activityList.size();
    }

    /** Scheduled activities by type, in the order each type first appeared. */
    Map<String, Integer> countsByType() {
      Map<String, Integer> counts = new LinkedHashMap<>();
      activityList.forEach(a -> counts.merge(a.type(), 1, Integer::sum));
      return counts;
    }

    private static double millis(Timestamp t) {
      return t.getSeconds() * 1000.0 + t.getNanos() / 1e6;
    }
  }

  /** The re-runs' table, the per-type split, the headline and what was not cached. */
  record Report(HostCpu cpu, List<Integer> folds, List<Run> runs) {

    double medianMillisPerActivity() {
      return median(runs.stream().mapToDouble(r -> r.wallMillis() / r.history().activities()).toArray());
    }

    String table() {
      StringBuilder s = new StringBuilder();
      s.append(String.format(Locale.ROOT, "%-6s %9s %10s %11s %14s %13s %13s %15s %10s %9s%n", "re-run",
          "wall ms", "activities", "ms/activity", "not running/a", "wait p50/max", "run p50/max", "workflow tasks",
          "history ms", "trained"));
      for (int i = 0; i < runs.size(); i++) {
        Run r = runs.get(i);
        History h = r.history();
        double[] wait = h.activityList().stream().mapToDouble(Activity::scheduleToStart).toArray();
        double[] run = h.activityList().stream().mapToDouble(Activity::startToClose).toArray();
        s.append(String.format(Locale.ROOT, "%-6d %9.0f %10d %11.1f %14.1f %13s %13s %15s %10.0f %9s%n", i + 1,
            r.wallMillis(), h.activities(), r.wallMillis() / h.activities(), r.overheadPerActivity(), pair(wait),
            pair(run),
            String.format(Locale.ROOT, "%d, %.0f ms", h.workflowTasks(), h.workflowTaskMillis()), h.spanMillis(),
            h.countsByType().getOrDefault(TRAIN_FOLD, 0) + " folds"));
      }
      s.append("activity run time (started -> closed) by type over the re-runs, ms:\n");
      s.append(String.format(Locale.ROOT, "  %-18s %6s %8s %8s %10s%n", "activity", "count", "median", "max",
          "wait max"));
      Map<String, List<Activity>> byType = new LinkedHashMap<>();
      runs.forEach(r -> r.history().activityList().forEach(a -> byType.computeIfAbsent(a.type(),
          k -> new ArrayList<>()).add(a)));
      byType.forEach((type, list) -> {
        double[] run = list.stream().mapToDouble(Activity::startToClose).toArray();
        s.append(String.format(Locale.ROOT, "  %-18s %6d %8.0f %8.0f %10.0f%n", type, list.size(), median(run),
            max(run), max(list.stream().mapToDouble(Activity::scheduleToStart).toArray())));
      });
      PipelineResult last = runs.get(runs.size() - 1).result();
      if (misses().isEmpty()) {
        s.append(String.format(Locale.ROOT, "answered by the step caches: ingest, convert, fingerprint, "
            + "plan-and-preprocess, fold(s) %s, find-best (%s, published again: the registry answers with its "
            + "version), predict (%d test image(s))%n", folds, last.findBest().model(), last.predicted().numCases()));
      }
      double[] running = runs.stream().mapToDouble(r -> r.history().activityList().stream()
          .mapToDouble(Activity::startToClose).sum()).toArray();
      double[] idle = runs.stream().mapToDouble(r -> r.wallMillis() - r.history().activityList().stream()
          .mapToDouble(Activity::startToClose).sum()).toArray();
      s.append(String.format(Locale.ROOT, "a re-run's wall, median: %.0f ms with an activity running, %.0f ms with "
          + "none (the orchestration's own: workflow tasks, dispatch, the client), workflow tasks %.0f ms (%.0f ms "
          + "of it from started to completed: fetching the history, replaying it, answering)%n",
          median(running), median(idle),
          median(runs.stream().mapToDouble(r -> r.history().workflowTaskMillis()).toArray()),
          median(runs.stream().mapToDouble(r -> r.history().workflowTaskStartedMillis()).toArray())));
      s.append(String.format(Locale.ROOT, "pipeline re-run with every step cached: %.1f ms per activity (median of "
              + "%d re-run(s), %d activities each, median wall %.0f ms; %.1f ms per activity with no activity "
              + "running; target < %.0f ms) on %s%n",
          medianMillisPerActivity(), runs.size(), runs.get(0).history().activities(),
          median(runs.stream().mapToDouble(Run::wallMillis).toArray()),
          median(runs.stream().mapToDouble(Run::overheadPerActivity).toArray()), TARGET_MS_PER_ACTIVITY,
          cpu.describe()));
      return s.toString();
    }

    /** Each re-run's step that did work: a cpu step cache missed, a fold not answered by the fold cache. */
    List<String> misses() {
      List<String> misses = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        PipelineResult p = runs.get(i).result();
        String run = "re-run " + (i + 1) + ": ";
        if (!p.ingested().cacheHit()) {
          misses.add(run + "ingest wrote its manifest again");
        }
        if (!p.converted().cacheHit()) {
          misses.add(run + "convert ran again");
        }
        if (!p.fingerprinted().cacheHit()) {
          misses.add(run + "fingerprint ran again");
        }
        if (!p.planned().cacheHit()) {
          misses.add(run + "plan-and-preprocess ran again");
        }
        if (!p.cachedFolds().containsAll(folds)) {
          misses.add(run + "fold(s) trained again: the fold cache answered only " + p.cachedFolds() + " of " + folds);
        }
        if (p.findBest() == null || !p.findBest().cacheHit()) {
          misses.add(run + "find-best scored the cross-validation again");
        }
        if (p.predicted() == null || !p.predicted().cacheHit()) {
          misses.add(run + "predict segmented the test images again");
        }
        int trained = runs.get(i).history().countsByType().getOrDefault(TRAIN_FOLD, 0);
        if (trained > 0) {
          misses.add(run + trained + " " + TRAIN_FOLD + " activities scheduled");
        }
      }
      return misses;
    }

    private static String pair(double[] values) {
      return String.format(Locale.ROOT, "%.0f/%.0f", median(values), max(values));
    }

    private static double max(double[] v) {
      return java.util.Arrays.stream(v).max().orElse(Double.NaN);
    }

    static double median(double[] values) {
      if (values.length == 0) {
        return Double.NaN;
      }
      double[] v = values.clone();
      java.util.Arrays.sort(v);
      int n = v.length;
      return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
  }
}
