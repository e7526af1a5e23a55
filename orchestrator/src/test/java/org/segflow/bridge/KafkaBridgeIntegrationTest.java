package org.segflow.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ApplicationFailure;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.activity.InferenceActivitiesImpl;
import org.segflow.contract.EventTopics;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.SegmentationOutputs;
import org.segflow.contract.Sha256;
import org.segflow.contract.ShadowRequest;
import org.segflow.contract.ShadowResult;
import org.segflow.events.DeadLetter;
import org.segflow.events.ImageArrived;
import org.segflow.events.SegmentationCompleted;
import org.segflow.pipeline.StepRefs;
import org.segflow.predict.ModelFiles;
import org.segflow.promotion.LiveShadow;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.Json;

/**
 * The bridge against a real embedded KRaft broker and the in-process Temporal test service with the
 * real activities (a 64 px sample model trained for one epoch): duplicates, dead letters, reference
 * labels and their Dice, a live shadow version, a bridge crash mid-stream, and a burst of images.
 */
class KafkaBridgeIntegrationTest {

  private static final String DATASET = EventStack.DATASET;

  @TempDir
  static Path home;

  static EventStack stack;
  static Path inbox;
  static KafkaProducer<byte[], byte[]> producer;
  static List<SegmentationCompleted> completed;
  static List<DeadLetter> deadLetters;

  @BeforeAll
  static void start() {
    stack = new EventStack(home);
    inbox = stack.inbox;
    producer = stack.producer;
    completed = stack.completed;
    deadLetters = stack.deadLetters;
  }

  @AfterAll
  static void shutdown() throws InterruptedException {
    if (stack != null) {
      stack.close();
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
      bridge = stack.bridge((topic, outcome, detail) -> {
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
    String sha = Sha256.of(a);
    try (RunningBridge bridge = new RunningBridge(-1)) {
      for (int i = 0; i < 3; i++) {
        send(event("7", a, sha));
      }
      send(event(DATASET, b, sha));
      await(() -> bridge.handled() == 4, "4 events handled");
      assertEquals(1, bridge.count(BridgeListener.Outcome.STARTED));
      assertEquals(3, bridge.count(BridgeListener.Outcome.DUPLICATE));
      String id = InferenceWorkflow.workflowId(DATASET, sha);
      stack.env.getWorkflowClient().newUntypedWorkflowStub(id).getResult(Object.class);
      await(() -> results(sha).size() == 1, "SegmentationCompleted for " + sha);
      SegmentationCompleted done = results(sha).get(0);
      assertEquals(stack.model.version(), done.getModelVersion());
      assertEquals(id, done.getWorkflowId());
      assertEquals(64, done.getHeight());
      assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(done.getOverlayUri()))));
      assertTrue(Files.isRegularFile(Path.of(java.net.URI.create(done.getMaskUri()))));
      assertTrue(done.getForegroundFraction() >= 0 && done.getForegroundFraction() <= 1);
      // scored against the version's trust profile: thresholds from the cross-validation, scores in range
      assertTrue(done.hasTrust(), done.toString());
      assertTrue(done.getTrust().getDriftThreshold() >= 3, done.getTrust().toString());
      assertTrue(done.getTrust().getConfidence() > 0 && done.getTrust().getConfidence() <= 1,
          done.getTrust().toString());
      assertEquals(done.getTrust().getDriftScore() > done.getTrust().getDriftThreshold(),
          done.getFlagsList().contains(org.segflow.events.TrustFlag.OUT_OF_DISTRIBUTION), done.toString());
      // what the scoring took, within the segment step
      assertTrue(done.getDurations().getScoreMs() > 0, done.getDurations().toString());
      assertTrue(done.getDurations().getScoreMs() <= done.getDurations().getSegmentMs(),
          done.getDurations().toString());
      // a fourth delivery after completion is a no-op too
      send(event("7", a, sha));
      await(() -> bridge.handled() == 5, "5th event handled");
      assertEquals(4, bridge.count(BridgeListener.Outcome.DUPLICATE));
    }
    assertEquals(1, results(sha).size());
  }

  @Test
  void aFailedImageAnnouncedAgainIsADuplicateWithOneDeadLetter() throws Exception {
    Path bad = Files.writeString(inbox.resolve("failed-again.png"), "text, not a PNG");
    String sha = Sha256.of(bad);
    String id = InferenceWorkflow.workflowId(DATASET, sha);
    try (RunningBridge bridge = new RunningBridge(-1)) {
      send(event("7", bad, sha));
      await(() -> deadLettersFor("failed-again.png") == 1, "the dead letter of failed-again.png");
      assertThrows(WorkflowFailedException.class,
          () -> stack.env.getWorkflowClient().newUntypedWorkflowStub(id).getResult(Object.class));
      // the watcher restarted, or Kafka redelivered: the failed workflow's id is not started again
      send(event("7", bad, sha));
      send(event(DATASET, bad, sha));
      await(() -> bridge.handled() == 3, "3 events handled");
      assertEquals(1, bridge.count(BridgeListener.Outcome.STARTED));
      assertEquals(2, bridge.count(BridgeListener.Outcome.DUPLICATE));
    }
    assertEquals(1, deadLettersFor("failed-again.png"));
  }

  private static long deadLettersFor(String fileName) {
    return deadLetters.stream().filter(d -> d.getDetail().contains(fileName)).count();
  }

  @Test
  void anEventWithReferenceLabelsCarriesTheDiceAgainstThem() throws Exception {
    // the stack (and its meters) is shared with the other tests, which reject images of this dataset too
    double rejectedBefore = rejectedImages();
    Path img = image(inbox.resolve("ref").resolve("eye.png"), 4, 64);
    Path ref = inbox.resolve("ref").resolve("eye_label.png");
    BufferedImage label = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        label.getRaster().setSample(x, y, 0, Math.abs(x - y) < 4 || Math.abs(x - 32) < 2 ? 255 : 0);
      }
    }
    ImageIO.write(label, "png", ref.toFile());
    String sha = Sha256.of(img);
    Path badImg = image(inbox.resolve("ref").resolve("eye2.png"), 5, 64);
    String badSha = Sha256.of(badImg);
    Path badRef = image(inbox.resolve("ref").resolve("eye2_label.png"), 6, 32);
    try (RunningBridge bridge = new RunningBridge(-1)) {
      send(event("7", img, sha).toBuilder().setLabelUri(ref.toUri().toString()).build());
      send(event("7", badImg, badSha).toBuilder().setLabelUri(badRef.toString()).build());
      await(() -> results(sha).size() == 1, "SegmentationCompleted with Dice");
      SegmentationCompleted done = results(sha).get(0);
      assertTrue(done.hasDice());
      assertEquals(ref.toUri().toString(), done.getLabelUri());
      // the Dice of the written label map against the reference, counted here independently
      BufferedImage predicted = ImageIO.read(Path.of(java.net.URI.create(done.getLabelMapUri())).toFile());
      long tp = 0;
      long fp = 0;
      long fn = 0;
      for (int y = 0; y < 64; y++) {
        for (int x = 0; x < 64; x++) {
          boolean p = predicted.getRaster().getSample(x, y, 0) == 1;
          boolean r = label.getRaster().getSample(x, y, 0) == 255;
          tp += p && r ? 1 : 0;
          fp += p && !r ? 1 : 0;
          fn += !p && r ? 1 : 0;
        }
      }
      assertEquals(2.0 * tp / (2 * tp + fp + fn), done.getDice(), 1e-12);
      // recorded once the broker acknowledged the event
      await(() -> stack.meters.find("segflow.inference.dice").tag("dataset", DATASET).summary() != null,
          "segflow_inference_dice");
      assertEquals(1, stack.meters.find("segflow.inference.dice").tag("dataset", DATASET).summary().count());
      assertEquals(done.getDice(), stack.meters.find("segflow.inference.dice").summary().totalAmount(), 1e-12);

      // a reference of the wrong size fails the image, before it is segmented, naming the file
      WorkflowFailedException failed = assertThrows(WorkflowFailedException.class,
          () -> stack.env.getWorkflowClient().newUntypedWorkflowStub(InferenceWorkflow.workflowId(DATASET, badSha))
              .getResult(Object.class));
      ApplicationFailure cause = (ApplicationFailure) failed.getCause().getCause();
      assertEquals(PipelineWorkflow.INVALID_INPUT, cause.getType());
      assertTrue(cause.getOriginalMessage().contains("eye2_label.png") && cause.getOriginalMessage().contains("32x32")
          && cause.getOriginalMessage().contains("64x64"), cause.getOriginalMessage());
      assertTrue(results(badSha).isEmpty());
      // ... and is answered on the DLQ, rebuilt from the workflow's request
      await(() -> deadLetters.stream().anyMatch(d -> d.getWorkflowId().equals(InferenceWorkflow.workflowId(DATASET,
          badSha))), "DeadLetter of the failed workflow");
      DeadLetter letter = deadLetters.stream()
          .filter(d -> d.getWorkflowId().equals(InferenceWorkflow.workflowId(DATASET, badSha))).findFirst().get();
      assertEquals(DeadLetter.Reason.INVALID_IMAGE, letter.getReason());
      assertTrue(letter.getDetail().contains("eye2_label.png"), letter.getDetail());
      assertEquals(EventTopics.IMAGES_ARRIVED, letter.getTopic());
      assertEquals(-1, letter.getOffset());
      ImageArrived original = ImageArrived.parseFrom(letter.getValue());
      assertEquals(badSha, original.getSha256());
      assertEquals(badRef.toString(), original.getLabelUri());
      // counted as rejected, though the gpu never saw it
      assertEquals(rejectedBefore + 1, rejectedImages());
    }
  }

  @Test
  void everyBadRecordLandsInTheDlqWithItsReason() throws Exception {
    Path good = image(inbox.resolve("dlq-good.png"), 2, 64);
    String sha = Sha256.of(good);
    Path outside = image(stack.home.resolve("outside.png"), 3, 64);
    Map<DeadLetter.Reason, byte[]> sent = new TreeMap<>();
    sent.put(DeadLetter.Reason.NOT_PROTOBUF, "{\"dataset\": \"7\"}".getBytes(StandardCharsets.UTF_8));
    sent.put(DeadLetter.Reason.UNKNOWN_DATASET, event("Dataset999_Nope", good, sha).toByteArray());
    sent.put(DeadLetter.Reason.OUTSIDE_INBOX, event("7", outside, Sha256.of(outside)).toByteArray());
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
      String sha = Sha256.of(f);
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
      // the first bridge may have started more workflows than its listener heard of before the crash
      // (starts are in flight together); the second finds those as duplicates, never starts them again
      assertTrue(startedBeforeCrash + second.count(BridgeListener.Outcome.STARTED) <= n,
          "no image started twice across the crash");
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

  @Test
  void aShadowedVersionSegmentsTheArrivalApartAndPublishesNothing() throws Exception {
    ModelRegistry registry = new ModelRegistry(stack.paths);
    // the same fold's best checkpoint: another version (without a trust profile: unscored)
    ModelVersion candidate = registry.publish(new ModelRegistry.Publication("7", "2d", "nnUNetPlans", List.of("0"),
        ModelFiles.CheckpointChoice.BEST));
    registry.startShadow("7", candidate.version());
    Path img = image(inbox.resolve("shadow").resolve("eye.png"), 21, 64);
    String sha = Sha256.of(img);
    String caseId = "eye_" + sha.substring(0, 12);
    Path shadowDir = stack.paths.predictions().resolve(DATASET).resolve("shadow").resolve(candidate.version());
    try (RunningBridge bridge = new RunningBridge(-1)) {
      send(event("7", img, sha));
      await(() -> bridge.count(BridgeListener.Outcome.STARTED) == 1, "the workflow started");
      // the workflow completes once the shadow ran, after the promoted result was published
      stack.env.getWorkflowClient().newUntypedWorkflowStub(InferenceWorkflow.workflowId(DATASET, sha))
          .getResult(Object.class);
      await(() -> results(sha).size() == 1, "SegmentationCompleted for the shadowed arrival");
    } finally {
      registry.stopShadow("7");
    }
    SegmentationCompleted done = results(sha).get(0);
    assertEquals(stack.model.version(), done.getModelVersion());
    Path published = Path.of(java.net.URI.create(done.getLabelMapUri()));
    assertEquals(stack.paths.predictions().resolve(DATASET).resolve(stack.model.version()).resolve(caseId + ".png"),
        published);
    for (String f : List.of(caseId + ".png", "masks/" + caseId + ".png", "overlays/" + caseId + ".png")) {
      assertTrue(Files.isRegularFile(shadowDir.resolve(f)), "shadow output " + f);
    }
    assertTrue(completed.stream().noneMatch(c -> c.getModelVersion().equals(candidate.version())),
        "no result event of the shadow version");
    LiveShadow.ImageRecord record = Json.read(shadowDir.resolve(caseId + ".comparison.json"),
        LiveShadow.ImageRecord.class);
    assertEquals(candidate.version(), record.shadow().version());
    assertEquals(stack.model.version(), record.promoted().version());
    assertEquals(done.getTrust().getConfidence(), record.promoted().confidence(), 1e-12);
    assertEquals(null, record.shadow().confidence(), "a version without a trust profile is not scored");
    assertEquals(null, record.shadow().dice(), "no reference labels");
    assertClose(dice(published, shadowDir.resolve(caseId + ".png")), record.agreementDice());
    await(() -> stack.meters.find("segflow.shadow.images").tag("model_version", candidate.version())
        .tag("outcome", "ok").counter() != null, "segflow_shadow_images_total");
    assertEquals(1, stack.meters.find("segflow.shadow.images").tag("model_version", candidate.version())
        .tag("outcome", "ok").counter().count());

    // with reference labels the comparison has each version's Dice against them (the outputs are reused)
    Path ref = inbox.resolve("shadow").resolve("eye_label.png");
    BufferedImage label = new BufferedImage(64, 64, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        label.getRaster().setSample(x, y, 0, Math.abs(x - 2 * y) < 6 || Math.abs(y - 40) < 2 ? 255 : 0);
      }
    }
    ImageIO.write(label, "png", ref.toFile());
    InferenceRequest labelled = new InferenceRequest(DATASET, img.toString(), img.toUri().toString(), sha, 0,
        ref.toUri().toString());
    SegmentationOutputs promoted = new SegmentationOutputs(stack.model.version(), StepRefs.of(stack.paths, published),
        StepRefs.of(stack.paths, published), StepRefs.of(stack.paths, published), 0, 64, 64, 0);
    ShadowResult r;
    try (InferenceActivitiesImpl activity = new InferenceActivitiesImpl(stack.paths, "cpu", 1, null)) {
      r = activity.segmentShadow(new ShadowRequest(labelled, candidate.version(), promoted));
    }
    assertClose(dice(ref, shadowDir.resolve(caseId + ".png")), r.dice());
    assertClose(dice(ref, published), r.promotedDice());
    LiveShadow.ImageRecord again = Json.read(shadowDir.resolve(caseId + ".comparison.json"),
        LiveShadow.ImageRecord.class);
    assertEquals(r.dice(), again.shadow().dice());
    assertEquals(r.promotedDice(), again.promoted().dice());
  }

  private static void assertClose(Double expected, Double actual) {
    if (expected == null || actual == null) {
      assertEquals(expected, actual);
    } else {
      assertEquals(expected, actual, 1e-12);
    }
  }

  /** Dice of the foregrounds (nonzero) of two single-channel PNGs of the same size; null when both are empty. */
  private static Double dice(Path a, Path b) throws IOException {
    BufferedImage x = ImageIO.read(a.toFile());
    BufferedImage y = ImageIO.read(b.toFile());
    long both = 0;
    long sum = 0;
    for (int row = 0; row < x.getHeight(); row++) {
      for (int col = 0; col < x.getWidth(); col++) {
        boolean p = x.getRaster().getSample(col, row, 0) != 0;
        boolean q = y.getRaster().getSample(col, row, 0) != 0;
        both += p && q ? 1 : 0;
        sum += (p ? 1 : 0) + (q ? 1 : 0);
      }
    }
    return sum == 0 ? null : 2.0 * both / sum;
  }

  private static List<SegmentationCompleted> results(String sha) {
    return stack.results(sha);
  }

  private static void send(ImageArrived e) throws Exception {
    stack.send(e);
  }

  static ImageArrived event(String dataset, Path file, String sha) {
    return EventStack.event(dataset, file, sha);
  }

  static Path image(Path file, int seed, int size) throws IOException {
    return EventStack.image(file, seed, size);
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    EventStack.await(condition, what);
  }

  private static double rejectedImages() {
    var c = stack.meters.find("segflow.inference.images").tag("dataset", DATASET).tag("outcome", "rejected")
        .counter();
    return c == null ? 0 : c.count();
  }
}
