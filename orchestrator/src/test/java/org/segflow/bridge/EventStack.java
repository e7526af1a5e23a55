package org.segflow.bridge;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerOptions;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segflow.activity.ArrivalActivitiesImpl;
import org.segflow.activity.InferenceActivitiesImpl;
import org.segflow.contract.ArrivalActivities;
import org.segflow.contract.EventTopics;
import org.segflow.contract.InferenceActivities;
import org.segflow.contract.InferenceWorkflow;
import org.segflow.events.DeadLetter;
import org.segflow.events.ImageArrived;
import org.segflow.events.SegmentationCompleted;
import org.segflow.metrics.InferenceMetrics;
import org.segflow.orchestrator.InferenceWorkflowImpl;
import org.segflow.pipeline.TrainedSample;
import org.segflow.predict.ModelFiles;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.SegflowPaths;
import org.segflow.trust.TrustCalibration;

/**
 * Test fixture: the event path of segflow in one JVM. A 64 px sample model trained for one epoch and
 * published, a real embedded KRaft broker, the in-process Temporal test service with the workers as
 * `segflow worker` configures them (orchestrator; cpu with two activity slots; gpu with one) and a
 * reader that collects every SegmentationCompleted and DeadLetter from the start of their topics.
 */
final class EventStack implements AutoCloseable {

  static final String DATASET = "Dataset007_Sample";

  final Path home;
  final SegflowPaths paths;
  final Path inbox;
  final ModelVersion model;
  final EmbeddedKafka kafka;
  final KafkaSettings settings;
  final TestWorkflowEnvironment env;
  final KafkaProducer<byte[], byte[]> producer;
  final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  final List<SegmentationCompleted> completed = new CopyOnWriteArrayList<>();
  final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  private final KafkaProducer<String, byte[]> eventProducer;
  private final InferenceActivitiesImpl inference;
  private final Thread collector;
  private volatile boolean stop;

  EventStack(Path home) {
    this.home = home;
    TrainedSample.train(home, 7, 1, 3, "0");
    paths = SegflowPaths.under(home);
    try {
      inbox = Files.createDirectories(paths.inbox());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    model = new ModelRegistry(paths).publish(new ModelRegistry.Publication("7", "2d", "nnUNetPlans", List.of("0"),
        ModelFiles.CheckpointChoice.FINAL));
    // as find-best does after publishing: the version's trust profile, so completed images carry scores
    new TrustCalibration(paths).calibrate(model, ai.djl.Device.cpu());
    kafka = EmbeddedKafka.start(home.resolve("kafka"), 0);
    settings = KafkaSettings.of(kafka.bootstrapServers());
    settings.createTopics(2, (short) 1);
    producer = settings.bytesProducer();
    eventProducer = settings.eventProducer();
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    env.newWorker(InferenceWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(InferenceWorkflowImpl.class);
    InferenceMetrics metrics = new InferenceMetrics(meters);
    env.newWorker(ArrivalActivities.TASK_QUEUE, slots(2)).registerActivitiesImplementations(
        new ArrivalActivitiesImpl(paths, eventProducer, metrics));
    inference = new InferenceActivitiesImpl(paths, "cpu", 2, metrics);
    env.newWorker(InferenceActivities.TASK_QUEUE, slots(1)).registerActivitiesImplementations(inference);
    env.start();
    collector = new Thread(this::collect, "results");
    collector.start();
  }

  private static WorkerOptions slots(int n) {
    return WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(n).build();
  }

  /** Reads the result and DLQ topics into the lists, from the beginning, until closed. */
  private void collect() {
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

  /** A bridge against this stack (not started). */
  KafkaBridge bridge(BridgeListener listener) {
    return KafkaBridge.create(settings, new ArrivalValidator(List.of(inbox), new ModelRegistry(paths)::servedDataset),
        new InferenceStarter(env.getWorkflowClient()), listener);
  }

  List<SegmentationCompleted> results(String sha) {
    return completed.stream().filter(c -> c.getSha256().equals(sha)).toList();
  }

  void send(ImageArrived e) throws Exception {
    producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, e.getDataset().getBytes(StandardCharsets.UTF_8),
        e.toByteArray())).get();
  }

  @Override
  public void close() throws InterruptedException {
    stop = true;
    collector.join();
    env.close();
    inference.close();
    producer.close();
    eventProducer.close();
    kafka.close();
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
    await(condition, Duration.ofSeconds(120), what);
  }

  static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(50);
    }
  }
}
