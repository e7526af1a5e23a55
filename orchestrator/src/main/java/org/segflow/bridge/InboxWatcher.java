package org.segflow.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segflow.contract.EventTopics;
import org.segflow.contract.Sha256;
import org.segflow.contract.Timestamps;
import org.segflow.events.ImageArrived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segflow watch}: turns image files dropped into an inbox into ImageArrived events. Files in
 * {@code inbox/<dataset>/} belong to that dataset, files directly in the inbox to the default one. A
 * file is published once its size and modification time have not changed for {@code stableFor}, so a
 * file still being copied is not sent half-written; names a writer uses before renaming into place
 * (hidden, .tmp, .part, .partial, .crdownload, .filepart) are ignored. A reference segmentation put in
 * {@code labels/} next to the image under the same file name ({@code inbox/<dataset>/labels/x.png} for
 * {@code inbox/<dataset>/x.png}, before the image) is named in the event's label_uri.
 *
 * <p>Each (file, size, mtime) is published once: the {@link PublishedFiles} list, kept on disk by
 * {@code segflow watch}, carries that across restarts, and a file rewritten since is published again.
 * Publishing a file twice would be harmless anyway: the bridge starts InferenceWorkflow under
 * {@code infer-<dataset>-<sha256>}, so the same bytes again are a no-op; the list only saves the
 * events and the bridge's work after a restart in front of a full inbox.
 */
public final class InboxWatcher {

  /** The folder, next to the images, whose same-named files are their reference segmentations. */
  public static final String LABELS = "labels";

  private static final Logger LOG = LoggerFactory.getLogger(InboxWatcher.class);
  private static final Set<String> IMAGES = Set.of(".png", ".tif", ".tiff", ".bmp", ".jpg", ".jpeg");
  private static final List<String> IN_PROGRESS = List.of(".tmp", ".part", ".partial", ".crdownload", ".filepart");

  private record Seen(long size, long mtime, Instant since) {}

  private final Path inbox;
  private final String defaultDataset;
  private final Producer<String, byte[]> producer;
  private final Duration stableFor;
  private final PublishedFiles published;
  private final Map<Path, Seen> seen = new HashMap<>();
  private final Set<Path> warned = new HashSet<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** A watcher that remembers what it published only while it runs. */
  public InboxWatcher(Path inbox, String defaultDataset, Producer<String, byte[]> producer, Duration stableFor) {
    this(inbox, defaultDataset, producer, stableFor, PublishedFiles.inMemory());
  }

  /**
   * @param defaultDataset dataset of files directly in the inbox; null to require dataset folders
   * @param published      what was published before (and where to record what this watcher publishes)
   */
  public InboxWatcher(Path inbox, String defaultDataset, Producer<String, byte[]> producer, Duration stableFor,
      PublishedFiles published) {
    this.inbox = inbox.toAbsolutePath().normalize();
    this.defaultDataset = defaultDataset;
    this.producer = producer;
    this.stableFor = stableFor;
    this.published = published;
  }

  public Path inbox() {
    return inbox;
  }

  /** One pass at time {@code now}: publishes the files that became complete; returns them. */
  public List<Path> scan(Instant now) {
    List<Path> files = candidates();
    if (files == null) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    Set<Path> present = new HashSet<>();
    try {
      for (Path f : files) {
        BasicFileAttributes a;
        try {
          a = Files.readAttributes(f, BasicFileAttributes.class);
        } catch (IOException e) {
          continue; // renamed or deleted between listing and reading: the next pass sees it
        }
        present.add(f);
        long mtime = a.lastModifiedTime().toMillis();
        Seen before = seen.get(f);
        if (before == null || before.size() != a.size() || before.mtime() != mtime) {
          seen.put(f, new Seen(a.size(), mtime, now));
          continue;
        }
        if (Duration.between(before.since(), now).compareTo(stableFor) < 0
            || published.contains(f, a.size(), mtime)) {
          continue;
        }
        String dataset = datasetOf(f);
        if (dataset == null) {
          if (warned.add(f)) {
            LOG.warn("{} is directly in the inbox and no --dataset was given: put it in {}/<dataset>/", f, inbox);
          }
          continue;
        }
        publish(f, dataset, now);
        published.add(f, a.size(), mtime);
        out.add(f);
      }
      seen.keySet().retainAll(present);
      published.retainOnly(present);
    } finally {
      published.save(); // also what was published before a failed send
    }
    return out;
  }

  /** Scans every {@code interval} until {@link #stop} (or the thread is interrupted). */
  public void run(Duration interval) {
    LOG.info("watching {} every {} (a file is published once unchanged for {}; default dataset {})", inbox,
        interval, stableFor, defaultDataset == null ? "none" : defaultDataset);
    try {
      do {
        scan(Instant.now());
      } while (!stopped.await(interval.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LOG.info("stopped watching {}", inbox);
  }

  /** Ends {@link #run} after the scan in progress. */
  public void stop() {
    stopped.countDown();
  }

  private void publish(Path file, String dataset, Instant now) {
    ImageArrived.Builder event = ImageArrived.newBuilder()
        .setDataset(dataset)
        .setImageUri(file.toUri().toString())
        .setSha256(Sha256.of(file))
        .setArrivedAt(Timestamps.of(now));
    Path label = file.resolveSibling(LABELS).resolve(file.getFileName());
    if (Files.isRegularFile(label)) {
      event.setLabelUri(label.toUri().toString());
    }
    try {
      producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, dataset, event.build().toByteArray())).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing " + file, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka did not accept ImageArrived for " + file + ": " + e.getCause(),
          e.getCause());
    }
    LOG.info("published {} ({}, sha256 {})", file, dataset, event.getSha256());
  }

  private String datasetOf(Path f) {
    Path rel = inbox.relativize(f);
    return rel.getNameCount() == 1 ? defaultDataset : rel.getName(0).toString();
  }

  /** The complete-looking images, or null when the inbox cannot be listed (nothing is forgotten then). */
  private List<Path> candidates() {
    if (!Files.isDirectory(inbox)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(inbox, 2)) {
      return s.filter(Files::isRegularFile).filter(this::isImage).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot list {}: {}", inbox, e.toString());
      return null;
    }
  }

  private boolean isImage(Path f) {
    Path rel = inbox.relativize(f);
    if (rel.getNameCount() == 2 && rel.getName(0).toString().equals(LABELS)) {
      return false; // inbox/labels/: the references of the files directly in the inbox
    }
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.startsWith(".") || IN_PROGRESS.stream().anyMatch(name::endsWith)) {
      return false;
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGES.contains(name.substring(dot));
  }
}
