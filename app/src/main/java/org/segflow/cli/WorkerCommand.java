package org.segflow.cli;

import org.segflow.activity.ArrivalActivitiesImpl;
import org.segflow.activity.InferenceActivitiesImpl;
import org.segflow.bridge.KafkaSettings;
import org.segflow.metrics.InferenceMetrics;
import org.segflow.cli.metrics.MetricsPorts;
import org.segflow.cli.metrics.MetricsServer;
import org.segflow.net.Engines;
import org.segflow.orchestrator.InferenceWorkflowImpl;
import org.segflow.cli.metrics.SegflowMetrics;
import org.segflow.metrics.TrainingMetricsListener;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.segflow.InvalidInputException;
import org.segflow.activity.DataPreparationActivitiesImpl;
import org.segflow.activity.TrainingActivitiesImpl;
import org.segflow.activity.FoldEnd;
import org.segflow.activity.WorkerStop;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.TrainingActivities;
import org.segflow.orchestrator.PipelineWorkflowImpl;
import org.segflow.storage.SegflowPaths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
    description = {"Serve one worker pool until stopped (Ctrl-C): cpu (convert, plan, find-best), gpu (fold "
        + "training and prediction, one "
        + "fold at a time per process), orchestrator (workflows) or all. With --exit-when-idle, also exit (0) "
        + "once no activity has run for that long."})
final class WorkerCommand implements Callable<Integer> {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkerCommand.class);

  /** The pools a worker process can serve. */
  enum Pool {
    CPU, GPU, ORCHESTRATOR, ALL;

    static Pool parse(String s) {
      for (Pool p : values()) {
        if (p.name().equalsIgnoreCase(s.strip())) {
          return p;
        }
      }
      throw new InvalidInputException("--pool must be cpu, gpu, orchestrator or all, got '" + s + "'");
    }

    /** Ports 9464 + n ({@link MetricsPorts}): orchestrator 9464 (bridge 9465), cpu 9466, gpu 9467. */
    int defaultMetricsPort() {
      return switch (this) {
        case ORCHESTRATOR, ALL -> MetricsPorts.ORCHESTRATOR;
        case CPU -> MetricsPorts.CPU;
        case GPU -> MetricsPorts.GPU;
      };
    }

    boolean serves(Pool p) {
      return this == ALL || this == p;
    }
  }

  @Option(names = "--pool", defaultValue = "all", completionCandidates = Choices.Pools.class,
      description = "The task queues served: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  String pool;

  @Option(names = "--max-concurrent", defaultValue = "0",
      description = "Activities at once (default: 1 on gpu, where DJL trains one fold per process; 2 on cpu).")
  int maxConcurrent;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Prometheus /metrics port (default 9464 + n: orchestrator or all " + MetricsPorts.ORCHESTRATOR
          + ", cpu " + MetricsPorts.CPU + ", gpu " + MetricsPorts.GPU + "; -1: off).")
  Integer metricsPort;

  @Option(names = "--metrics-address", defaultValue = MetricsServer.DEFAULT_ADDRESS,
      description = "Address for /metrics: every interface, so Prometheus in another container or pod can scrape it "
          + "(127.0.0.1: this machine only). Default: ${DEFAULT-VALUE}.")
  String metricsAddress;

  @Option(names = "--exit-when-idle", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Exit (status 0) once no activity has been running for DURATION (10m, 1h, PT30M): none "
          + "running and none started; a running fold or prediction always keeps the worker alive. For "
          + "autoscaled Jobs (KEDA ScaledJob), which end only when their worker exits. Default: never.")
  Duration exitWhenIdle;

  @Mixin
  StorageOptions storage;

  @Mixin
  EngineOptions engine;

  @Mixin
  TemporalOptions temporal;

  @Mixin
  KafkaOptions kafka;

  @Override
  public Integer call() throws InterruptedException {
    Pool p = Pool.parse(pool);
    if (exitWhenIdle != null && (exitWhenIdle.isNegative() || exitWhenIdle.isZero())) {
      throw new InvalidInputException("--exit-when-idle must be positive, got " + exitWhenIdle);
    }
    if (exitWhenIdle != null && p == Pool.ORCHESTRATOR) {
      throw new InvalidInputException("--exit-when-idle counts activities; --pool orchestrator runs none");
    }
    SegflowMetrics metrics = SegflowMetrics.create();
    int port = metricsPort != null ? metricsPort : p.defaultMetricsPort();
    MetricsServer metricsServer = port < 0 ? null : MetricsServer.start(metrics.registry(), metricsAddress, port);
    WorkflowServiceStubs service = temporal.service(metrics.registry());
    IdleExit idle = new IdleExit();
    WorkerFactory factory = newFactory(temporal.client(service), idle);
    engine.applyPrecision();
    List<String> queues = register(factory, p, storage.paths(), maxConcurrent, engine.device, engine.threads,
        metrics.registry(), kafka.settings());
    factory.start();
    System.out.printf("segflow worker (%s) on %s namespace %s, home %s: task queues %s%s%n",
        p.name().toLowerCase(Locale.ROOT), temporal.target, temporal.namespace, storage.paths().home(), queues,
        metricsServer == null ? "" : ", metrics " + metricsServer.url());
    // the same for log collectors (JSON in the images): which pool, which cluster, which queues
    LOG.info("worker {} polling {} on {} namespace {} (home {}, device {}, threads {}, Kafka {})",
        p.name().toLowerCase(Locale.ROOT), queues, temporal.target, temporal.namespace, storage.paths().home(),
        engine.device, engine.engineThreads(), p.serves(Pool.CPU) ? kafka.bootstrapServers : "not used");
    CountDownLatch stopped = new CountDownLatch(1);
    Thread stop = new Thread(() -> {
      stopGracefully(factory, gracefulStop());
      service.shutdown();
      if (metricsServer != null) {
        metricsServer.close();
      }
      metrics.close();
      stopped.countDown();
    }, "segflow-worker-shutdown");
    Runtime.getRuntime().addShutdownHook(stop);
    if (exitWhenIdle != null && idle.await(exitWhenIdle, stopped) && leaveShutdownToUs(stop)) {
      // An activity handed out in the moment between this decision and the end of polling is not lost:
      // the graceful stop ends it as a drain would (retryable, at a fold's next checkpoint).
      System.out.printf("segflow worker: no activity for %s (--exit-when-idle): exiting%n", exitWhenIdle);
      stop.run();
    }
    stopped.await();
    return 0;
  }

  /** The worker factory of `segflow worker`: every activity it runs is counted by {@code idle}. */
  static WorkerFactory newFactory(io.temporal.client.WorkflowClient client, IdleExit idle) {
    return WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder().setWorkerInterceptors(idle).build());
  }

  /** Takes the stop away from the shutdown hook; false if the JVM is already shutting down (the hook stops). */
  private static boolean leaveShutdownToUs(Thread hook) {
    try {
      return Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** How long a stopping worker waits for its running activities; SEGFLOW_GRACEFUL_SECONDS overrides. */
  static final Duration GRACEFUL_STOP = Duration.ofMinutes(10);

  static Duration gracefulStop() {
    String s = System.getenv("SEGFLOW_GRACEFUL_SECONDS");
    if (s == null || s.isBlank()) {
      return GRACEFUL_STOP;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(s.strip())));
    } catch (NumberFormatException e) {
      System.err.println("SEGFLOW_GRACEFUL_SECONDS must be whole seconds, got '" + s + "'; using " + GRACEFUL_STOP);
      return GRACEFUL_STOP;
    }
  }

  /**
   * Stops polling, lets running activities end on their own within {@code grace} (a fold at its next
   * checkpoint, its one retry resuming there on another gpu worker), then interrupts what is left
   * ({@link WorkerStop}). The service stubs close after this: the folds report their failures
   * through them. Returns whether every activity ended within the grace.
   */
  static boolean stopGracefully(WorkerFactory factory, Duration grace) {
    return WorkerStop.process().stopGracefully(factory, grace);
  }

  /** Registers the pool's workflows or activities without metrics (tests, embedded stacks). */
  static List<String> register(WorkerFactory factory, Pool p, SegflowPaths paths, int maxConcurrent, String device,
      int threads) {
    return register(factory, p, paths, maxConcurrent, device, threads, null, null);
  }

  /** Registers the pool's workflows or activities on {@code factory}; returns the task queues served. */
  static List<String> register(WorkerFactory factory, Pool p, SegflowPaths paths, int maxConcurrent, String device,
      int threads, io.micrometer.core.instrument.MeterRegistry registry, KafkaSettings kafka) {
    List<String> queues = new java.util.ArrayList<>();
    int cpuThreads = Engines.threads(threads); // 0 = one per core, for the engine and the cpu steps' pools alike
    // one listener per process: it labels every series with the fold's dataset, configuration and fold
    TrainingMetricsListener trainingMetrics = registry == null ? null : new TrainingMetricsListener(registry, FoldEnd::of);
    if (p.serves(Pool.ORCHESTRATOR)) {
      factory.newWorker(PipelineWorkflow.TASK_QUEUE)
          .registerWorkflowImplementationTypes(PipelineWorkflowImpl.class, InferenceWorkflowImpl.class);
      queues.add(PipelineWorkflow.TASK_QUEUE);
    }
    if (p.serves(Pool.CPU)) {
      factory.newWorker(DataPreparationActivities.TASK_QUEUE, options(maxConcurrent > 0 ? maxConcurrent : 2))
          .registerActivitiesImplementations(arrivalActivities(paths, kafka, new DataPreparationActivitiesImpl(paths, cpuThreads), registry));
      queues.add(DataPreparationActivities.TASK_QUEUE);
    }
    if (p.serves(Pool.GPU)) {
      factory.newWorker(TrainingActivities.TASK_QUEUE,
              options(maxConcurrent > 0 ? maxConcurrent : TrainingActivitiesImpl.MAX_CONCURRENT_FOLDS))
          .registerActivitiesImplementations(new TrainingActivitiesImpl(paths,
              new TrainingActivitiesImpl.Resources(device, cpuThreads),
              fold -> trainingMetrics == null ? List.of() : List.of(trainingMetrics)),
              new InferenceActivitiesImpl(paths, device, cpuThreads,
                  registry == null ? null : new InferenceMetrics(registry)));
      queues.add(TrainingActivities.TASK_QUEUE);
    }
    return queues;
  }

  /** The cpu pool's activities; with Kafka settings also the inference arrival checks and result events. */
  private static Object[] arrivalActivities(SegflowPaths paths, KafkaSettings kafka, Object dataPreparation,
      io.micrometer.core.instrument.MeterRegistry registry) {
    return kafka == null ? new Object[] {dataPreparation}
        : new Object[] {dataPreparation, new ArrivalActivitiesImpl(paths, kafka.eventProducer(),
            registry == null ? null : new InferenceMetrics(registry))};
  }

  private static WorkerOptions options(int maxConcurrentActivities) {
    return WorkerStop.workerOptions().setMaxConcurrentActivityExecutionSize(maxConcurrentActivities).build();
  }
}
