package org.segflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segflow.InvalidInputException;
import org.segflow.bridge.KafkaSettings;
import org.segflow.contract.EventTopics;
import org.segflow.contract.Sha256;
import org.segflow.contract.Timestamps;
import org.segflow.events.ImageArrived;
import org.segflow.events.SegmentationCompleted;
import org.segflow.io.ImageArray;
import org.segflow.io.PngWriter;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.sample.FundusSampleGenerator;
import org.segflow.sample.SampleCase;
import org.segflow.sample.SampleSpec;
import org.segflow.sample.SampleSplit;
import org.segflow.storage.SegflowPaths;
import org.segflow.trust.TrustProfiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "events", mixinStandardHelpOptions = true,
    description = {"Drops --images synthetic fundus photographs into the inbox, sends one ImageArrived each, all at once "
        + "or one every --interval (with the reference labels, so Dice is reported too), and measures, per image, event -> "
        + "SegmentationCompleted latency (p50, p95, max) and the throughput in images/s, and what scoring the images "
        + "against the model's trust profile took (the events' score_ms: p50, max, share of the latency).",
        "By default the whole stack runs in this process: the Temporal test server, a KRaft broker (data in a "
            + "temporary folder), the bridge, the orchestrator and cpu workers and --gpu-workers gpu workers, each "
            + "a worker of its own with one activity slot and its own loaded model. --temporal and "
            + "--bootstrap-servers use an existing Temporal or Kafka instead; with --no-workers the bench only sends "
            + "and measures, and the stack's own bridge and workers (sharing this SEGFLOW_HOME) do the work.",
        "Needs a published model of the dataset: `segflow models publish -d D -f 0` after training and find-best "
            + "(the pipeline workflow publishes by itself)."})
final class BenchEventsCommand implements Callable<Integer> {

  @Option(names = {"-d", "--dataset"}, required = true,
      description = DatasetArg.EXISTING + " It needs a published model.")
  String dataset;

  @Option(names = "--images", defaultValue = "200", description = "Images to send. Default: ${DEFAULT-VALUE}.")
  int images;

  @Option(names = "--size", defaultValue = "584x565", paramLabel = "HxW",
      description = "Image size, as `segflow sample --size`. Default: ${DEFAULT-VALUE}.")
  String size;

  @Option(names = "--seed", description = "Sample seed (default: the clock, so that every run sends new images: "
      + "an image already segmented is a no-op).")
  Long seed;

  @Option(names = "--gpu-workers", defaultValue = "1", description = "In-process gpu workers. Default: ${DEFAULT-VALUE}.")
  int gpuWorkers;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = "CPU threads the engine computes with, per gpu worker; 0 = the cores divided among the gpu "
          + "workers. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--device", defaultValue = "auto", completionCandidates = Choices.Devices.class,
      description = "Device of the gpu workers, as --device elsewhere. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--temporal", paramLabel = "HOST:PORT", description = "An existing Temporal frontend "
      + "(default: the embedded test server on a free loopback port).")
  String temporal;

  @Option(names = "--namespace", defaultValue = "default",
      description = "Temporal namespace of --temporal. Default: ${DEFAULT-VALUE}.")
  String namespace;

  @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
      description = "An existing Kafka (default: an embedded broker on a free loopback port).")
  String bootstrapServers;

  @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties (SASL, TLS ...).")
  Path kafkaConfig;

  @Option(names = "--interval", defaultValue = "0s", converter = DurationConverter.class,
      description = "Time between two events; 0 drops them all at once (a burst: latency includes the queue), "
          + "longer than one image's time measures an image on an idle stack. Default: ${DEFAULT-VALUE}.")
  Duration interval;

  @Option(names = "--no-workers", description = "Start no bridge and no workers: the existing stack serves the events.")
  boolean noWorkers;

  @Option(names = "--no-trust", description = "The in-process gpu workers segment without scoring the images"
      + " (no drift, confidence or flags), to measure what scoring costs; the same as -Dsegflow.trust=off or"
      + " SEGFLOW_TRUST=off for `segflow worker`.")
  boolean noTrust;

  @Option(names = "--timeout", defaultValue = "30m", converter = DurationConverter.class,
      description = "Give up waiting for results after this long. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Mixin
  StorageOptions storage;

  @Override
  public Integer call() throws Exception {
    if (images < 1 || gpuWorkers < 1) {
      throw new InvalidInputException("--images and --gpu-workers must be at least 1");
    }
    if (noWorkers && noTrust) {
      throw new InvalidInputException("--no-trust switches scoring off in this process's workers; with --no-workers"
          + " start the stack's gpu workers with SEGFLOW_TRUST=off instead");
    }
    if (noWorkers && (temporal == null || bootstrapServers == null)) {
      throw new InvalidInputException("--no-workers measures an existing stack: give its --temporal and "
          + "--bootstrap-servers");
    }
    SegflowPaths paths = storage.paths();
    ModelVersion model = new ModelRegistry(paths).promoted(dataset).orElseThrow(() -> new InvalidInputException(
        "dataset '" + dataset + "' has no published model under " + paths.results() + ". Train one and publish it, "
            + "e.g.: segflow sample --out S; segflow convert S -d 9 --name Bench; segflow plan-and-preprocess -d 9; "
            + "segflow train -d 9 -c 2d -f 0 --epochs 1; segflow find-best -d 9 -f 0; segflow models publish -d 9 -f 0 "
            + "(the pipeline workflow publishes by itself)"));
    int[] hw = SampleCommand.parseSize(size);
    int engineThreads = threads > 0 ? threads
        : Math.max(1, Runtime.getRuntime().availableProcessors() / gpuWorkers);
    long sampleSeed = seed != null ? seed : System.currentTimeMillis();
    String run = "bench-" + sampleSeed;
    System.out.printf(Locale.ROOT, "segflow bench events: %s model %s (%s), %d images of %dx%d, %d gpu worker(s) x %d "
        + "engine thread(s), %d cores, trust scoring %s, load average %s%n", model.dataset(), model.version(),
        String.join("+", model.folds()), images, hw[0], hw[1], gpuWorkers, engineThreads,
        Runtime.getRuntime().availableProcessors(), noTrust ? "off" : "on", loadAverage());

    long g0 = System.nanoTime();
    List<Arrival> arrivals = writeImages(paths, model.dataset(), run, new SampleSpec(images, 0, hw[0], hw[1],
        sampleSeed));
    System.out.printf(Locale.ROOT, "wrote %d images and their labels in %.1f s%n", images, (System.nanoTime() - g0) / 1e9);

    // without --bootstrap-servers, a broker of its own in a temporary folder, deleted afterwards
    Path kafkaDir = bootstrapServers == null ? Files.createTempDirectory("segflow-bench-kafka") : null;
    // read by the gpu workers as they are created
    String trustBefore = System.getProperty(TrustProfiles.SCORING_PROPERTY);
    if (noTrust) {
      System.setProperty(TrustProfiles.SCORING_PROPERTY, "off");
    }
    try (EmbeddedStack stack = stack(paths, kafkaDir, engineThreads).start()) {
      return measure(stack, model, arrivals);
    } finally {
      if (noTrust) {
        if (trustBefore == null) {
          System.clearProperty(TrustProfiles.SCORING_PROPERTY);
        } else {
          System.setProperty(TrustProfiles.SCORING_PROPERTY, trustBefore);
        }
      }
      if (kafkaDir != null) {
        deleteQuietly(kafkaDir);
      }
    }
  }

  /**
   * Kafka, then (unless --no-workers) Temporal, the orchestrator and cpu workers on one WorkerFactory, each gpu
   * worker on a factory of its own (its own activity slot and loaded model, as separate processes have) and
   * the bridge.
   */
  private EmbeddedStack.Builder stack(SegflowPaths paths, Path kafkaDir, int engineThreads) {
    EmbeddedStack.Builder b = EmbeddedStack.builder(paths).engine(device, engineThreads);
    if (kafkaDir == null) {
      b.kafka(KafkaSettings.of(bootstrapServers, kafkaConfig));
    } else {
      b.embeddedKafka(kafkaDir, 0, 3);
    }
    if (noWorkers) {
      return b.withoutTemporal();
    }
    if (temporal != null) {
      TemporalOptions t = new TemporalOptions();
      t.target = temporal;
      t.namespace = namespace;
      b.temporal(t);
    }
    b.workers(WorkerCommand.Pool.ORCHESTRATOR, WorkerCommand.Pool.CPU);
    for (int i = 0; i < gpuWorkers; i++) {
      b.workers(1, WorkerCommand.Pool.GPU);
    }
    return b.bridge(EmbeddedStack.QUIET_BRIDGE);
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("segflow bench events: could not delete " + dir + ": " + e.getMessage());
    }
  }

  /** One image of the run: where it is, its reference labels and its sha256. */
  private record Arrival(Path image, Path label, String sha256) {}

  private static List<Arrival> writeImages(SegflowPaths paths, String dataset, String run, SampleSpec spec)
      throws IOException {
    Path inbox = Files.createDirectories(paths.inbox().resolve(dataset).resolve(run));
    // inbox/<dataset>/<run>/ lies below what `segflow watch` scans (inbox/<dataset>/<file>), so a running
    // watcher takes neither the images nor their labels; the bridge reads labels only inside the inbox
    Path labels = Files.createDirectories(inbox.resolve("labels"));
    return IntStream.range(0, spec.trainCases()).parallel().mapToObj(i -> {
      SampleCase c = FundusSampleGenerator.generateCase(spec, SampleSplit.TRAIN, i);
      int n = c.pixels();
      float[] rgb = new float[3 * n];
      float[] label = new float[n];
      for (int p = 0; p < n; p++) {
        for (int ch = 0; ch < 3; ch++) {
          rgb[ch * n + p] = c.rgb(p, ch);
        }
        label[p] = c.vessel(p) ? 255 : 0;
      }
      String name = String.format(Locale.ROOT, "img%04d.png", i);
      Path image = inbox.resolve(name);
      Path ref = labels.resolve(name);
      PngWriter.writeRgb8(image, new ImageArray(3, c.height(), c.width(), rgb));
      PngWriter.writeGray8(ref, new ImageArray(1, c.height(), c.width(), label));
      return new Arrival(image, ref, Sha256.of(image));
    }).toList();
  }

  private int measure(EmbeddedStack stack, ModelVersion model, List<Arrival> arrivals) throws InterruptedException {
    Map<String, Long> sentAt = new HashMap<>();
    List<Long> latencies = new ArrayList<>();
    List<Double> dice = new ArrayList<>();
    List<Long> activity = new ArrayList<>();
    int scored = 0;
    // per image: score_ms of every image, and score_ms / total_ms of the scored ones
    List<Long> scoreMs = new ArrayList<>();
    List<Long> scoredMs = new ArrayList<>();
    List<Double> scoreShare = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> results = stack.kafka().consumer("segflow-bench-" + System.nanoTime());
         KafkaProducer<String, byte[]> producer = stack.kafka().eventProducer()) {
      ResultTopics.fromNowOn(results);

      long t0 = System.nanoTime();
      long deadline = t0 + timeout.toNanos();
      long lastReport = t0;
      long first = 0;
      long lastResult = 0;
      List<String> deadLettered = new ArrayList<>();
      int next = 0;
      while (next < arrivals.size() || !sentAt.isEmpty()) {
        // send every event that is due (all of them at once without --interval)
        int due = next;
        while (next < arrivals.size() && System.nanoTime() >= t0 + next * interval.toNanos()) {
          Arrival a = arrivals.get(next++);
          ImageArrived e = ImageArrived.newBuilder().setDataset(model.dataset())
              .setImageUri(a.image().toUri().toString()).setSha256(a.sha256())
              .setLabelUri(a.label().toUri().toString()).setArrivedAt(Timestamps.now()).build();
          sentAt.put(a.sha256(), System.nanoTime());
          producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, model.dataset(), e.toByteArray()));
        }
        if (next > due) {
          producer.flush();
          if (next == arrivals.size()) {
            System.out.printf(Locale.ROOT, "sent %d events in %.2f s; waiting for the results%n", arrivals.size(),
                (System.nanoTime() - t0) / 1e9);
          }
        }
        if (stack.failure().isPresent()) {
          System.err.printf(Locale.ROOT, "segflow bench events: %d of %d results, then %s%n", latencies.size(),
              arrivals.size(), stack.failure().get().message());
          return 1;
        }
        if (System.nanoTime() > deadline) {
          System.err.printf(Locale.ROOT, "segflow bench events: %d of %d results after %s; giving up%n",
              latencies.size(), arrivals.size(), timeout);
          return 1;
        }
        for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(100))) {
          if (r.topic().equals(EventTopics.IMAGES_ARRIVED_DLQ)) {
            String why = deadLettered(r.value(), sentAt);
            if (why != null) {
              deadLettered.add(why);
              System.err.println("segflow bench events: dead-lettered: " + why);
            }
            continue;
          }
          SegmentationCompleted c = ResultTopics.completed(r.value());
          Long sent = c == null ? null : sentAt.remove(c.getSha256());
          if (sent == null) {
            continue; // another image's result
          }
          long now = System.nanoTime();
          first = first == 0 ? now : first;
          lastResult = now;
          latencies.add(now - sent);
          activity.add(c.getDurations().getSegmentMs());
          scored += c.hasTrust() ? 1 : 0;
          long score = c.getDurations().getScoreMs();
          scoreMs.add(score);
          if (c.hasTrust()) {
            scoredMs.add(score);
            long total = c.getDurations().getTotalMs();
            scoreShare.add(total > 0 ? (double) score / total : Double.NaN);
          }
          if (c.hasDice() && !Double.isNaN(c.getDice())) {
            dice.add(c.getDice());
          }
        }
        if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(15)) {
          lastReport = System.nanoTime();
          System.out.printf(Locale.ROOT, "  %d/%d results after %.0f s, load average %s%n", latencies.size(),
              arrivals.size(), (lastReport - t0) / 1e9, loadAverage());
        }
      }
      double seconds = (lastResult - t0) / 1e9;
      if (latencies.isEmpty()) {
        System.err.println("segflow bench events: every event was dead-lettered");
        return 1;
      }
      long[] ms = latencies.stream().mapToLong(n -> n / 1_000_000).sorted().toArray();
      System.out.printf(Locale.ROOT, "%n%d images of %s in %.1f s: %.2f images/s (steady state after the first result:"
          + " %.2f images/s)%n", ms.length, size, seconds, ms.length / seconds,
          ms.length > 1 ? (ms.length - 1) / ((lastResult - first) / 1e9) : Double.NaN);
      System.out.printf(Locale.ROOT, "event -> SegmentationCompleted: p50 %.1f s, p95 %.1f s, max %.1f s, first %.1f s%n",
          pct(ms, 0.5) / 1e3, pct(ms, 0.95) / 1e3, ms[ms.length - 1] / 1e3, ms[0] / 1e3);
      System.out.printf(Locale.ROOT, "segment step as the workflow saw it (incl. waiting for a gpu slot): p50 %.1f s;"
          + " mean Dice against the references %.3f over %d images; load average %s%n",
          pct(activity.stream().mapToLong(Long::longValue).sorted().toArray(), 0.5) / 1e3,
          dice.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), dice.size(), loadAverage());
      System.out.printf(Locale.ROOT, "images with trust scores: %d of %d%n", scored, ms.length);
      System.out.println(scoring(scoreMs, scoredMs, scoreShare));
      if (!deadLettered.isEmpty()) {
        System.err.printf("segflow bench events: %d events were dead-lettered%n", deadLettered.size());
        return 1;
      }
      return 0;
    }
  }

  /** The reason of a dead letter for one of our events (which is then no longer awaited), else null. */
  private static String deadLettered(byte[] value, Map<String, Long> sentAt) {
    ResultTopics.Letter l = ResultTopics.deadLetter(value);
    if (l == null || sentAt.remove(l.arrived().getSha256()) == null) {
      return null;
    }
    return l.arrived().getImageUri() + ": " + l.letter().getReason() + " " + l.letter().getDetail();
  }

  /**
   * What scoring cost per image, from each event's score_ms (the segment step's time for the profile, drift,
   * confidence and the scores file): p50 and max over the scored images, and their share of the image's event ->
   * completed (score_ms / total_ms, both from the event); without scored images, the largest score_ms of all.
   */
  static String scoring(List<Long> allMs, List<Long> scoredMs, List<Double> shares) {
    String what = "scoring per image (score_ms, within the segment step): ";
    if (scoredMs.isEmpty()) {
      return String.format(Locale.ROOT, "%s0 images scored; score_ms max %d ms over all %d images", what,
          allMs.stream().mapToLong(Long::longValue).max().orElse(0), allMs.size());
    }
    long[] ms = scoredMs.stream().mapToLong(Long::longValue).sorted().toArray();
    double[] share = shares.stream().mapToDouble(Double::doubleValue).filter(d -> !Double.isNaN(d)).sorted().toArray();
    return String.format(Locale.ROOT, "%s%d images scored; p50 %d ms, max %d ms; share of event -> completed"
        + " (score_ms / total_ms per image): p50 %.3f%%, max %.3f%%", what, ms.length, pct(ms, 0.5),
        ms[ms.length - 1], share.length == 0 ? Double.NaN : 100 * pct(share, 0.5),
        share.length == 0 ? Double.NaN : 100 * share[share.length - 1]);
  }

  private static double pct(double[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }

  private static long pct(long[] sorted, double q) {
    return sorted[Math.max(0, (int) Math.ceil(q * sorted.length) - 1)];
  }


  /** The 1, 5 and 15 minute load averages (Linux), or "n/a". */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.join(" ", Arrays.copyOf(f, 3));
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
