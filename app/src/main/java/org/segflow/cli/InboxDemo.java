package org.segflow.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.segflow.bridge.InboxWatcher;
import org.segflow.bridge.PublishedFiles;
import org.segflow.contract.EventTopics;
import org.segflow.contract.Sha256;
import org.segflow.events.SegmentationCompleted;
import org.segflow.storage.SegflowPaths;

/**
 * The end of `segflow demo`: images that arrive. The Kafka bridge and the inbox watcher run in this
 * process against the embedded broker; the sample's test images are dropped into
 * {@code inbox/<dataset>/} (each label first into {@code labels/}, each image written under a temporary
 * name and renamed, as a careful writer does), and the demo waits until every image has its
 * SegmentationCompleted on {@value EventTopics#SEGMENTATIONS_COMPLETED} (or fails at once when one is
 * dead-lettered), printing each result as it comes.
 */
final class InboxDemo {

  /** One image to drop as {@code name} and its reference segmentation (null: none). */
  record Drop(String name, Path image, Path label) {}

  /** The watcher's pace: files the demo drops are complete when renamed, so a short settle time is enough. */
  private static final Duration SCAN_INTERVAL = Duration.ofMillis(200);
  private static final Duration STABLE_FOR = Duration.ofMillis(400);

  private final SegflowPaths paths;
  private final EmbeddedStack stack;
  private final String dataset;
  private final Duration timeout;

  /**
   * @param dataset the dataset folder name (DatasetNNN_Name) whose promoted model segments the images
   * @param timeout how long to wait for all results after the drop
   */
  InboxDemo(SegflowPaths paths, EmbeddedStack stack, String dataset, Duration timeout) {
    this.paths = paths;
    this.stack = stack;
    this.dataset = dataset;
    this.timeout = timeout;
  }

  /**
   * Starts the stack's bridge and inbox watcher (they run until the stack closes), drops the images, waits
   * for their results and prints them; 0 when every image was segmented.
   */
  int run(List<Drop> drops) throws IOException, InterruptedException {
    Path inbox = paths.inbox().resolve(dataset);
    try (KafkaConsumer<byte[], byte[]> results = stack.kafka().consumer("segflow-demo")) {
      ResultTopics.fromNowOn(results);
      stack.startBridge(EmbeddedStack.BRIDGE);
      stack.startWatcher(paths.inbox(), null, SCAN_INTERVAL, STABLE_FOR,
          PublishedFiles.load(WatchCommand.defaultState(paths.home(), paths.inbox())));
      System.out.printf("%nKafka bridge and inbox watcher running; dropping %d test images into %s%n",
          drops.size(), inbox);
      Map<String, Drop> expected = new LinkedHashMap<>();
      for (Drop d : drops) {
        expected.put(Sha256.of(d.image()), d);
        drop(d, inbox);
      }
      long dropped = System.nanoTime();
      return await(results, expected, dropped);
    }
  }

  private static void drop(Drop d, Path inbox) throws IOException {
    Path target = inbox.resolve(d.name());
    if (d.label() != null) {
      Path labels = Files.createDirectories(inbox.resolve(InboxWatcher.LABELS));
      Files.copy(d.label(), labels.resolve(d.name()), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.createDirectories(inbox);
    Path tmp = inbox.resolve("." + d.name() + ".tmp"); // ignored by the watcher until renamed
    Files.copy(d.image(), tmp, StandardCopyOption.REPLACE_EXISTING);
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private int await(KafkaConsumer<byte[], byte[]> results, Map<String, Drop> expected, long dropped) {
    Map<String, SegmentationCompleted> done = new LinkedHashMap<>();
    long deadline = dropped + timeout.toNanos();
    while (done.size() < expected.size()) {
      boolean late = System.nanoTime() > deadline;
      Optional<EmbeddedStack.Failure> failure = stack.failure();
      if (late || failure.isPresent()) {
        TreeSet<String> missing = new TreeSet<>();
        expected.forEach((sha, d) -> {
          if (!done.containsKey(sha)) {
            missing.add(d.name());
          }
        });
        System.err.printf("error: %d of %d dropped images got no %s %s: %s%n", missing.size(), expected.size(),
            EventTopics.SEGMENTATIONS_COMPLETED, late
                ? "within " + timeout.toSeconds() + " s" : "(" + failure.get().message() + ")",
            missing);
        return 1;
      }
      for (ConsumerRecord<byte[], byte[]> r : results.poll(Duration.ofMillis(200))) {
        if (r.topic().equals(EventTopics.IMAGES_ARRIVED_DLQ)) {
          ResultTopics.Letter l = ResultTopics.deadLetter(r.value());
          Drop d = l == null ? null : expected.get(l.arrived().getSha256());
          if (d != null) {
            System.err.println("error: " + d.name() + " was dead-lettered: " + l.letter().getReason() + " "
                + l.letter().getDetail());
            return 1;
          }
          continue;
        }
        SegmentationCompleted c = ResultTopics.completed(r.value());
        if (c != null && expected.containsKey(c.getSha256()) && done.putIfAbsent(c.getSha256(), c) == null) {
          print(expected.get(c.getSha256()), c);
        }
      }
    }
    summary(done.values(), dropped);
    return 0;
  }

  private void print(Drop d, SegmentationCompleted c) {
    Path labelMap = Path.of(URI.create(c.getLabelMapUri()));
    // the inference scores the segmentation when the event names the label (label_uri)
    String dice = c.hasDice() ? String.format(Locale.ROOT, ", Dice %.4f against its label", c.getDice()) : "";
    System.out.printf(Locale.ROOT, "  %s: model %s, event->completed %.1f s%s%n", d.name(), c.getModelVersion(),
        c.getDurations().getTotalMs() / 1000.0, dice);
    System.out.println("      label map " + shown(labelMap));
    System.out.println("      mask      " + shown(Path.of(URI.create(c.getMaskUri()))));
    System.out.println("      overlay   " + shown(Path.of(URI.create(c.getOverlayUri()))));
    System.out.println("      " + TrustSummary.of(c));
  }

  private static void summary(java.util.Collection<SegmentationCompleted> done, long dropped) {
    List<Long> totals = done.stream().map(c -> c.getDurations().getTotalMs()).sorted().toList();
    TreeSet<String> versions = new TreeSet<>(done.stream().map(SegmentationCompleted::getModelVersion).toList());
    System.out.printf(Locale.ROOT, "Inbox: %d/%d dropped images segmented automatically by model %s, all within "
            + "%.1f s of the drop; event->completed median %.1f s, max %.1f s%n", done.size(), done.size(),
        String.join(", ", versions), (System.nanoTime() - dropped) / 1e9, (totals.get((totals.size() - 1) / 2) + totals.get(totals.size() / 2)) / 2000.0,
        totals.get(totals.size() - 1) / 1000.0);
  }

  private String shown(Path p) {
    Path home = paths.home().toAbsolutePath().normalize();
    return p.startsWith(home) ? home.relativize(p).toString() : p.toString();
  }

}
