package org.segflow.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.segflow.bridge.EmbeddedKafka;
import org.segflow.bridge.InboxWatcher;
import org.segflow.bridge.InferenceStarter;
import org.segflow.bridge.KafkaBridge;
import org.segflow.bridge.KafkaSettings;
import org.segflow.bridge.PublishedFiles;
import org.segflow.cli.metrics.MetricsServer;
import org.segflow.cli.metrics.SegflowMetrics;
import org.segflow.storage.SegflowPaths;

/**
 * segflow in one process, as `segflow dev`, `segflow demo` and `segflow bench events` (and the tests) run it.
 * The parts start in this order and stop in the reverse one: the metrics registry and its /metrics endpoint,
 * Kafka (an embedded KRaft broker, or an existing cluster), Temporal (the embedded test server, or an existing
 * frontend) with its client, the workers (one WorkerFactory per {@link Builder#workers} call, registered as
 * `segflow worker` registers them), then the background loops: the Kafka bridge and the inbox watcher, each
 * on its own thread.
 *
 * <p>A background loop that dies ends the stack: {@link #await} returns its {@link Failure}, which says what
 * died and what the stack can no longer do. A stack without its bridge only looks alive.
 */
final class EmbeddedStack implements AutoCloseable {

  /** How long {@link #startBridge} waits for the bridge to join its consumer group. */
  private static final Duration BRIDGE_READY = Duration.ofSeconds(60);
  private static final Duration WORKER_STOP = Duration.ofSeconds(10);

  /** A background loop: what runs on its thread, what stops it, and how to wait until it is ready (or null). */
  record Loop(Runnable run, Runnable stop, Ready ready) {}

  /** Waits up to a timeout for a loop to be ready to serve; false when the time is up. */
  interface Ready {
    boolean await(Duration timeout) throws InterruptedException;
  }

  /** Makes the bridge's loop once the stack's Temporal client and Kafka are there (tests make one that dies). */
  interface BridgeFactory {
    Loop create(EmbeddedStack stack);
  }

  /** The bridge of `segflow bridge`: one line per event on stdout, counted on the stack's registry if any. */
  static final BridgeFactory BRIDGE = stack -> bridgeLoop(BridgeCommand.create(stack.paths, List.of(), stack.kafka(),
      new InferenceStarter(stack.client()), stack.registry().orElse(null)));

  /** The same bridge without the line per event (a benchmark sends hundreds). */
  static final BridgeFactory QUIET_BRIDGE = stack -> bridgeLoop(BridgeCommand.create(stack.paths, List.of(),
      stack.kafka(), new InferenceStarter(stack.client()), stack.registry().orElse(null), false));

  private static Loop bridgeLoop(KafkaBridge bridge) {
    return new Loop(bridge, bridge::close, bridge::awaitAssignment);
  }

  /** What ended the stack: {@code part} died of {@code cause}, so {@code consequence}. */
  record Failure(String part, Throwable cause, String consequence) {
    String message() {
      return part + " died (" + cause + "); " + consequence;
    }
  }

  static Builder builder(SegflowPaths paths) {
    return new Builder(paths);
  }

  /** Which parts, started by {@link #start}. Without {@link #metrics} the stack has no registry at all. */
  static final class Builder {
    private final SegflowPaths paths;
    private TemporalOptions temporal;
    private String temporalHost = "127.0.0.1";
    private int temporalPort;
    private boolean withTemporal = true;
    private final List<WorkerSpec> workers = new ArrayList<>();
    private String device = "auto";
    private int threads;
    private boolean gracefulWorkerStop;
    private KafkaSettings kafka;
    private Path kafkaData;
    private int kafkaPort;
    private int kafkaPartitions;
    private boolean kafkaInBackground;
    private String metricsAddress;
    private int metricsPort = -1;
    private boolean metrics;
    private BridgeFactory bridge;
    private WatcherSpec watcher;

    private Builder(SegflowPaths paths) {
      this.paths = paths;
    }

    /** The embedded Temporal test server on {@code host:port} (0: a free port). The default: 127.0.0.1:0. */
    Builder temporal(String host, int port) {
      temporalHost = host;
      temporalPort = port;
      temporal = null;
      withTemporal = true;
      return this;
    }

    /** An existing Temporal frontend instead of the embedded server. */
    Builder temporal(TemporalOptions existing) {
      temporal = existing;
      withTemporal = true;
      return this;
    }

    /** No Temporal at all (a stack of Kafka only); then there can be no workers and no bridge. */
    Builder withoutTemporal() {
      withTemporal = false;
      return this;
    }

    /** One worker process's pools on a WorkerFactory of their own, with the pools' default activity slots. */
    Builder workers(WorkerCommand.Pool... pools) {
      return workers(0, pools);
    }

    /** As {@link #workers(WorkerCommand.Pool...)} with {@code maxConcurrent} activity slots per pool (0: default). */
    Builder workers(int maxConcurrent, WorkerCommand.Pool... pools) {
      workers.add(new WorkerSpec(List.of(pools), maxConcurrent));
      return this;
    }

    /** The workers' device and engine threads (0: the cores), as --device and --threads. */
    Builder engine(String device, int threads) {
      this.device = device;
      this.threads = threads;
      return this;
    }

    /** Running activities get up to 10 s to end when the stack stops (dev), rather than being interrupted. */
    Builder gracefulWorkerStop() {
      gracefulWorkerStop = true;
      return this;
    }

    /** An embedded KRaft broker with its data in {@code data}, segflow's topics with {@code partitions}. */
    Builder embeddedKafka(Path data, int port, int partitions) {
      kafkaData = data;
      kafkaPort = port;
      kafkaPartitions = partitions;
      kafka = null;
      return this;
    }

    /**
     * The embedded broker starts on a thread of its own (about 5 s) while the rest comes up; its address (a
     * free port if none was given) is known at once. {@link #awaitKafka} waits for it; the bridge and the
     * watcher then start with {@link #startBridge} and {@link #startWatcher}.
     */
    Builder startingKafkaInBackground() {
      kafkaInBackground = true;
      return this;
    }

    /** An existing Kafka cluster instead of the embedded broker. */
    Builder kafka(KafkaSettings existing) {
      kafka = existing;
      kafkaData = null;
      return this;
    }

    /** A Prometheus registry for every part, served on {@code address:port}/metrics (-1: the registry only). */
    Builder metrics(String address, int port) {
      metrics = true;
      metricsAddress = address;
      metricsPort = port;
      return this;
    }

    /** Starts the bridge (needs Kafka and Temporal) after the workers. */
    Builder bridge(BridgeFactory factory) {
      bridge = factory;
      return this;
    }

    /** Starts an inbox watcher on {@code inbox} (needs Kafka) after the workers; see {@link #startWatcher}. */
    Builder watcher(Path inbox, String dataset, Duration interval, Duration stableFor, PublishedFiles published) {
      watcher = new WatcherSpec(inbox, dataset, interval, stableFor, published);
      return this;
    }

    /** Starts every part in order; if one fails, what had started is stopped again and the failure thrown. */
    EmbeddedStack start() throws IOException, InterruptedException {
      boolean hasKafka = kafka != null || kafkaData != null;
      if (!withTemporal && (!workers.isEmpty() || bridge != null)) {
        throw new IllegalStateException("workers and the bridge need Temporal");
      }
      if (!hasKafka && (bridge != null || watcher != null)) {
        throw new IllegalStateException("the bridge and the watcher need Kafka");
      }
      if (kafkaInBackground && kafkaData == null) {
        throw new IllegalStateException("only the embedded broker starts in the background");
      }
      EmbeddedStack stack = new EmbeddedStack(paths);
      try {
        stack.startAll(this);
        return stack;
      } catch (IOException | InterruptedException | RuntimeException | Error e) {
        try {
          stack.close();
        } catch (RuntimeException c) {
          e.addSuppressed(c);
        }
        throw e;
      }
    }
  }

  private record WorkerSpec(List<WorkerCommand.Pool> pools, int maxConcurrent) {}

  private record WatcherSpec(Path inbox, String dataset, Duration interval, Duration stableFor,
      PublishedFiles published) {}

  private final SegflowPaths paths;
  /** What was started, last first: {@link #close} closes from the top. */
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Failure failure;
  private SegflowMetrics metrics;
  private MetricsServer metricsServer;
  private KafkaSettings kafka;
  private CompletableFuture<EmbeddedKafka> broker;
  private ServerCommand.EmbeddedServer server;
  private String temporalTarget;
  private WorkflowClient client;
  private final List<String> queues = new ArrayList<>();

  private EmbeddedStack(SegflowPaths paths) {
    this.paths = paths;
  }

  private void startAll(Builder b) throws IOException, InterruptedException {
    if (b.metrics) {
      metrics = opened(SegflowMetrics.create());
      metricsServer = b.metricsPort < 0 ? null
          : opened(MetricsServer.start(metrics.registry(), b.metricsAddress, b.metricsPort));
    }
    startKafka(b);
    if (b.withTemporal) {
      startTemporal(b);
    }
    startWorkers(b);
    if (b.bridge != null) {
      startBridge(b.bridge);
    }
    if (b.watcher != null) {
      WatcherSpec w = b.watcher;
      startWatcher(w.inbox(), w.dataset(), w.interval(), w.stableFor(), w.published());
    }
  }

  private void startKafka(Builder b) {
    if (b.kafka != null) {
      kafka = b.kafka;
    } else if (b.kafkaData != null) {
      Path data = b.kafkaData;
      int partitions = b.kafkaPartitions;
      if (b.kafkaInBackground) {
        int port = b.kafkaPort != 0 ? b.kafkaPort : freePort();
        kafka = KafkaSettings.of("127.0.0.1:" + port);
        broker = CompletableFuture.supplyAsync(() -> KafkaCommand.start(data, port, partitions),
            task -> new Thread(task, "segflow-kafka-start").start());
      } else {
        EmbeddedKafka k = KafkaCommand.start(data, b.kafkaPort, partitions);
        broker = CompletableFuture.completedFuture(k);
        kafka = KafkaSettings.of(k.bootstrapServers());
      }
      CompletableFuture<EmbeddedKafka> started = broker;
      onClose(() -> {
        try {
          started.join().close();
        } catch (CompletionException e) {
          // it never started: reported where it was needed, nothing to stop
        }
      });
    }
  }

  private void startTemporal(Builder b) throws IOException {
    TemporalOptions t = b.temporal;
    if (t == null) {
      server = opened(ServerCommand.EmbeddedServer.start(b.temporalHost, b.temporalPort));
      t = TemporalOptions.loopback(server.port());
    }
    temporalTarget = t.target;
    WorkflowServiceStubs service = metrics == null ? t.service() : t.service(metrics.registry());
    onClose(() -> {
      service.shutdownNow();
      service.awaitTermination(WORKER_STOP.toSeconds(), TimeUnit.SECONDS);
    });
    client = t.client(service);
  }

  private void startWorkers(Builder b) {
    List<WorkerFactory> factories = new ArrayList<>();
    boolean graceful = b.gracefulWorkerStop;
    // stop the workers' long polls before the connection and the server go
    onClose(() -> {
      for (WorkerFactory f : factories) {
        if (graceful) {
          f.shutdown();
        } else {
          f.shutdownNow();
        }
      }
      for (WorkerFactory f : factories) {
        f.awaitTermination(WORKER_STOP.toSeconds(), TimeUnit.SECONDS);
      }
    });
    MeterRegistry registry = metrics == null ? null : metrics.registry();
    for (WorkerSpec w : b.workers) {
      WorkerFactory f = WorkerFactory.newInstance(client);
      factories.add(f);
      for (WorkerCommand.Pool pool : w.pools()) {
        for (String q : WorkerCommand.register(f, pool, paths, w.maxConcurrent(), b.device, b.threads, registry,
            kafka)) {
          if (!queues.contains(q)) {
            queues.add(q);
          }
        }
      }
    }
    factories.forEach(WorkerFactory::start);
  }

  /**
   * Starts the bridge (after {@link #awaitKafka} when the broker starts in the background) and waits until
   * it has joined its consumer group, unless it dies first, which ends the stack.
   */
  void startBridge(BridgeFactory factory) throws InterruptedException {
    awaitKafka();
    Loop loop = factory.create(this);
    BackgroundLoop running = startLoop("segflow-bridge", loop, "the Kafka bridge",
        "arriving images would not be segmented");
    if (loop.ready() == null) {
      return;
    }
    long deadline = System.nanoTime() + BRIDGE_READY.toNanos();
    while (!loop.ready().await(Duration.ofMillis(100))) {
      if (running.failure() != null) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the bridge did not join its consumer group on " + kafka.bootstrapServers()
            + " within " + BRIDGE_READY.toSeconds() + " s");
      }
    }
  }

  /** Starts an inbox watcher with a producer of its own, as `segflow watch` runs one. */
  void startWatcher(Path inbox, String dataset, Duration interval, Duration stableFor, PublishedFiles published) {
    awaitKafka();
    KafkaProducer<String, byte[]> producer = opened(kafka.eventProducer());
    InboxWatcher watcher = new InboxWatcher(inbox, dataset, producer, stableFor, published);
    startLoop("segflow-watch", new Loop(() -> watcher.run(interval), watcher::stop, null), "the inbox watcher",
        "new files in " + watcher.inbox() + " would not be announced");
  }

  private BackgroundLoop startLoop(String thread, Loop loop, String part, String consequence) {
    return opened(BackgroundLoop.start(thread, loop.run(), loop.stop(), cause -> {
      if (failure == null) {
        failure = new Failure(part, cause, consequence);
      }
      stop();
    }));
  }

  /** Waits for the embedded broker started in the background; fails with why it did not start. */
  void awaitKafka() {
    if (broker == null) {
      return;
    }
    try {
      broker.join();
    } catch (CompletionException e) {
      throw new IllegalStateException("the embedded Kafka broker did not start: " + e.getCause(), e.getCause());
    }
  }

  /** Kafka's settings (the embedded broker's address), or null in a stack without Kafka. */
  KafkaSettings kafka() {
    return kafka;
  }

  WorkflowClient client() {
    return client;
  }

  /** host:port of the Temporal frontend. */
  String temporalTarget() {
    return temporalTarget;
  }

  /** The task queues the stack's workers poll. */
  List<String> queues() {
    return List.copyOf(queues);
  }

  Optional<MeterRegistry> registry() {
    return Optional.ofNullable(metrics).map(SegflowMetrics::registry);
  }

  /** The /metrics endpoint, if served. */
  Optional<MetricsServer> metricsServer() {
    return Optional.ofNullable(metricsServer);
  }

  /** Ends {@link #await}; {@link #close} then stops the parts. */
  void stop() {
    stopped.countDown();
  }

  /** Blocks until {@link #stop} or until a background loop dies; returns the failure, if that is what ended it. */
  Optional<Failure> await() throws InterruptedException {
    stopped.await();
    return failure();
  }

  /** What ended the stack, if a background loop died. */
  Optional<Failure> failure() {
    return Optional.ofNullable(failure);
  }

  /** Stops every part, the last started first; a part that fails to stop does not keep the others running. */
  @Override
  public void close() {
    stop();
    RuntimeException first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
        if (first == null) {
          first = r;
        } else {
          first.addSuppressed(r);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private <T extends AutoCloseable> T opened(T part) {
    started.push(part);
    return part;
  }

  private void onClose(AutoCloseable action) {
    started.push(action);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }
}
