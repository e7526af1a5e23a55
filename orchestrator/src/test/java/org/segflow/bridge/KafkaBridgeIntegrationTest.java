package org.segflow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.activity.ArrivalActivitiesImpl;
import org.segflow.activity.InferenceActivitiesImpl;
import org.segflow.contract.ArrivalActivities;
import org.segflow.contract.EventTopics;
import org.segflow.contract.InferenceActivities;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.events.DeadLetter;
import org.segflow.events.ImageArrived;
import org.segflow.events.SegmentationCompleted;
import org.segflow.orchestrator.InferenceWorkflowImpl;
import org.segflow.pipeline.TrainedSample;
import org.segflow.predict.ModelFiles;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.SegflowPaths;

/**
 * The bridge against a real embedded KRaft broker and the in-process Temporal test service with the
 * real activities (a 64 px sample model trained for one epoch): duplicates, dead letters, a bridge
 * crash mid-stream, and a burst of images.
 */
class KafkaBridgeIntegrationTest {

  private static final String DATASET = "Dataset007_Sample";

  @TempDir
  static Path home;

  static SegflowPaths paths;
  static Path inbox;
  static ModelVersion model;
  static EmbeddedKafka kafka;
  static KafkaSettings settings;
  static TestWorkflowEnvironment env;
  static KafkaProducer<byte[], byte[]> producer;
  static KafkaProducer<String, byte[]> eventProducer;
  static InferenceActivitiesImpl inference;
  static final List<SegmentationCompleted> completed = new CopyOnWriteArrayList<>();
  static final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  static Thread results;
  static volatile boolean stop;

  @BeforeAll
  static void start() throws Exception {
    TrainedSample.train(home, 7, 1, 3, "0");
    paths = SegflowPaths.under(home);
    inbox = Files.createDirectories(paths.inbox());
    model = new ModelRegistry(paths).publish(new ModelRegistry.Publication("7", "2d", "nnUNetPlans", List.of("0"),
        ModelFiles.CheckpointChoice.FINAL));
    kafka = EmbeddedKafka.start(home.resolve("kafka"), 0);
    settings = KafkaSettings.of(kafka.bootstrapServers());
    settings.createTopics(2, (short) 1);
    producer = settings.bytesProducer();
    eventProducer = settings.eventProducer();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    env.newWorker(InferenceWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(InferenceWorkflowImpl.class);
    env.newWorker(ArrivalActivities.TASK_QUEUE).registerActivitiesImplementations(
        new ArrivalActivitiesImpl(paths, eventProducer));
    inference = new InferenceActivitiesImpl(paths, "cpu", 2, null);
    env.newWorker(InferenceActivities.TASK_QUEUE).registerActivitiesImplementations(inference);
    env.start();
    results = new Thread(KafkaBridgeIntegrationTest::collect, "results");
    results.start();
  }

  @AfterAll
  static void shutdown() throws InterruptedException {
    stop = true;
    if (results != null) {
      results.join();
    }
    if (env != null) {
      env.close();
    }
    if (inference != null) {
      inference.close();
    }
    if (producer != null) {
      producer.close();
      eventProducer.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  /** Reads the result and DLQ topics into the lists, from the beginning, until the class ends. */
  private static void collect() {
    try (KafkaConsumer<byte[], byte[]> c = settings.consumer("test-results")) {
      c.subscribe(List.of(EventTopics.SEGMENTATIONS_COMPLETED, EventTopics.IMAGES_ARRIVED_DLQ));
      while (!stop) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
          try {
            if (r.topic().equals(EventTopics.SEGMENTATIONS_COMPLETED)) {
              completed.add(SegmentationCompleted.parseFrom(r.value()));
            } else {
              deadLetters.add(DeadLetter.parseFrom(r.value()));
            }
          } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("segflow wrote a record that is not protobuf on " + r.topic(), e);
          }
        }
      }
    }
  }

  /** A bridge on its own thread, counting what it did. */
  static final class RunningBridge implements AutoCloseable {
    final Map<BridgeListener.Outcome, AtomicInteger> counts = new ConcurrentHashMap<>();
    final KafkaBridge bridge;
    final Thread thread;
    volatile Throwable died;

    RunningBridge(int crashAfter) {
      for (BridgeListener.Outcome o : BridgeListener.Outcome.values()) {
        counts.put(o, new AtomicInteger());
      }
      AtomicInteger handled = new AtomicInteger();
      bridge = KafkaBridge.create(settings, new ArrivalValidator(List.of(inbox), new ModelRegistry(paths)::servedDataset),
          new InferenceStarter(env.getWorkflowClient()), (topic, outcome, detail) -> {
            counts.get(outcome).incrementAndGet();
            if (handled.incrementAndGet() == crashAfter) {
              throw new SimulatedCrash();
            }
          });
      thread = new Thread(() -> {
        try {
          bridge.run();
        } catch (Throwable t) {
          died = t;
        }
      }, "bridge");
      thread.start();
    }

    int count(BridgeListener.Outcome o) {
      return counts.get(o).get();
    }

    int handled() {
      return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    @Override
    public void close() throws InterruptedException {
      bridge.close();
      thread.join();
    }
  }

  /** Stands for kill -9: escapes the bridge's loop, which then closes the consumer without committing. */
  static final class SimulatedCrash extends Error {
    SimulatedCrash() {
      super("simulated crash of the bridge");
    }
  }

  @Test
  void theSameImageUnderFourEventsIsSegmentedOnce() throws Exception {
    Path a = image(inbox.resolve("dup-a.png"), 1, 64);
    Path b = Files.copy(a, inbox.resolve("dup-b.png"));
    String sha = ArrivalValidator.sha256(a);
    try (RunningBridge bridge = new RunningBridge(-1)) {
      for (int i = 0; i < 3; i++) {
        send(event("7", a, sha));
      }
      send(event(DATASET, b, sha));
      await(() -> bridge.handled() == 4, "4 events handled");
      assertEquals(1, bridge.count(BridgeListener.Outcome.STARTED));
      assertEquals(3, bridge.count(BridgeListener.Outcome.DUPLICATE));
      String id = InferenceWorkflow.workflowId(DATASET, sha);
      env.getWorkflowClient().newUntypedWorkflowStub(id).getResult(Object.class);
      await(() -> results(sha).size() == 1, "SegmentationCompleted for " + sha);
      SegmentationCompleted done = results(sha).get(0);
      assertEquals(model.version(), done.getModelVersion());
      assertEquals(id, done.getWorkflowId());
      assertEquals(64, done.getHeight());
      assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(done.getOverlayUri()))));
      assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(done.getMaskUri()))));
      assertTrue(done.getForegroundFraction() >= 0 && done.getForegroundFraction() <= 1);
      // a fourth delivery after completion is a no-op too
      send(event("7", a, sha));
      await(() -> bridge.handled() == 5, "5th event handled");
      assertEquals(4, bridge.count(BridgeListener.Outcome.DUPLICATE));
    }
    assertEquals(1, results(sha).size());
  }

  @Test
  void everyBadRecordLandsInTheDlqWithItsReason() throws Exception {
    Path good = image(inbox.resolve("dlq-good.png"), 2, 64);
    String sha = ArrivalValidator.sha256(good);
    Path outside = image(home.resolve("outside.png"), 3, 64);
    Map<DeadLetter.Reason, byte[]> sent = new TreeMap<>();
    sent.put(DeadLetter.Reason.NOT_PROTOBUF, "{\"dataset\": \"7\"}".getBytes(StandardCharsets.UTF_8));
    sent.put(DeadLetter.Reason.UNKNOWN_DATASET, event("Dataset999_Nope", good, sha).toByteArray());
    sent.put(DeadLetter.Reason.OUTSIDE_INBOX, event("7", outside, ArrivalValidator.sha256(outside)).toByteArray());
    sent.put(DeadLetter.Reason.MISSING_FILE, event("7", inbox.resolve("never-written.png"), sha).toByteArray());
    sent.put(DeadLetter.Reason.SHA256_MISMATCH, event("7", good, "0".repeat(64)).toByteArray());
    sent.put(DeadLetter.Reason.INVALID_EVENT, event("7", good, "not-a-hash").toByteArray());
    int before = deadLetters.size();
    try (RunningBridge bridge = new RunningBridge(-1)) {
      for (byte[] v : sent.values()) {
        producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, "7".getBytes(StandardCharsets.UTF_8), v)).get();
      }
      await(() -> deadLetters.size() == before + sent.size(), sent.size() + " dead letters");
      assertEquals(sent.size(), bridge.count(BridgeListener.Outcome.DEAD_LETTERED));
      assertEquals(0, bridge.count(BridgeListener.Outcome.STARTED));
    }
    Map<DeadLetter.Reason, DeadLetter> byReason = new TreeMap<>();
    for (DeadLetter d : deadLetters.subList(before, deadLetters.size())) {
      byReason.put(d.getReason(), d);
    }
    assertEquals(sent.keySet(), byReason.keySet());
    for (Map.Entry<DeadLetter.Reason, byte[]> e : sent.entrySet()) {
      DeadLetter d = byReason.get(e.getKey());
      assertTrue(java.util.Arrays.equals(e.getValue(), d.getValue().toByteArray()), "raw value kept for " + e.getKey());
      assertEquals(EventTopics.IMAGES_ARRIVED, d.getTopic());
      assertEquals("7", d.getKey().toStringUtf8());
      assertTrue(!d.getDetail().isBlank(), e.getKey() + " has a detail");
    }
    assertTrue(byReason.get(DeadLetter.Reason.OUTSIDE_INBOX).getDetail().contains("outside.png"));
    assertTrue(byReason.get(DeadLetter.Reason.SHA256_MISMATCH).getDetail().contains(sha));
  }

  @Test
  void aBurstSurvivesABridgeCrashWithNothingLostOrDoubled() throws Exception {
    int n = Integer.getInteger("segflow.test.burst", 20);
    int size = Integer.getInteger("segflow.test.burstSize", 64);
    List<String> shas = new ArrayList<>();
    List<ImageArrived> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Path f = image(inbox.resolve("burst").resolve("img" + i + ".png"), 100 + i, size);
      String sha = ArrivalValidator.sha256(f);
      shas.add(sha);
      events.add(event("7", f, sha));
    }
    long t0 = System.nanoTime();
    for (ImageArrived e : events) {
      producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, "7".getBytes(StandardCharsets.UTF_8),
          e.toByteArray()));
    }
    producer.flush();
    int crashAfter = Math.min(7, n - 1);
    RunningBridge first = new RunningBridge(crashAfter);
    first.thread.join(Duration.ofSeconds(60).toMillis());
    assertTrue(first.died instanceof SimulatedCrash, "the first bridge crashed: " + first.died);
    int startedBeforeCrash = first.count(BridgeListener.Outcome.STARTED);
    try (RunningBridge second = new RunningBridge(-1)) {
      await(() -> shas.stream().allMatch(s -> results(s).size() >= 1), n + " results");
      double seconds = (System.nanoTime() - t0) / 1e9;
      await(() -> second.handled() >= n - crashAfter, "the second bridge re-read the uncommitted events");
      assertEquals(n, startedBeforeCrash + second.count(BridgeListener.Outcome.STARTED),
          "every image started exactly once across the crash");
      assertEquals(0, second.count(BridgeListener.Outcome.DEAD_LETTERED));
      for (String s : shas) {
        assertEquals(1, results(s).size(), "one result for " + s);
      }
      List<Long> totals = new ArrayList<>();
      for (String s : shas) {
        totals.add(results(s).get(0).getDurations().getTotalMs());
      }
      Collections.sort(totals);
      System.out.printf(Locale.ROOT, "burst of %d %d px images through a bridge crash: all results in %.1f s"
          + " (%.2f images/s); event->SegmentationCompleted p50 %d ms, p95 %d ms; replayed as duplicates: %d%n",
          n, size, seconds, n / seconds, totals.get(n / 2), totals.get((int) Math.ceil(0.95 * n) - 1),
          second.count(BridgeListener.Outcome.DUPLICATE));
    }
  }

  private static List<SegmentationCompleted> results(String sha) {
    return completed.stream().filter(c -> c.getSha256().equals(sha)).toList();
  }

  private static void send(ImageArrived e) throws Exception {
    producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, e.getDataset().getBytes(StandardCharsets.UTF_8),
        e.toByteArray())).get();
  }

  static ImageArrived event(String dataset, Path file, String sha) {
    Instant now = Instant.now();
    return ImageArrived.newBuilder().setDataset(dataset).setImageUri(file.toUri().toString()).setSha256(sha)
        .setArrivedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano())).build();
  }

  /** A gray fundus-like disc with noise; {@code seed} makes each image's bytes differ. */
  static Path image(Path file, int seed, int size) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    Random rnd = new Random(seed);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double r = Math.hypot(x - size / 2.0, y - size / 2.0) / (size / 2.0);
        int v = r > 0.95 ? 0 : (int) (90 + 60 * (1 - r) + rnd.nextInt(20) - ((x + y) % 9 == 0 ? 40 : 0));
        img.getRaster().setSample(x, y, 0, Math.max(0, Math.min(255, v)));
      }
    }
    ImageIO.write(img, "png", file.toFile());
    return file;
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
