package org.segflow.bridge;

import com.google.protobuf.Timestamp;
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
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segflow.contract.EventTopics;
import org.segflow.events.ImageArrived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code segflow watch}: turns image files dropped into an inbox into ImageArrived events. Files in
 * {@code inbox/<dataset>/} belong to that dataset, files directly in the inbox to the default one. A
 * file is published once its size and modification time have not changed for {@code stableFor}, so a
 * file still being copied is not sent half-written; names a writer uses before renaming into place
 * (hidden, .tmp, .part, .partial, .crdownload, .filepart) are ignored. Each (file, size, mtime) is
 * published once per watcher; a restarted watcher publishes again, which the bridge turns into no-ops.
 */
public final class InboxWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(InboxWatcher.class);
  private static final Set<String> IMAGES = Set.of(".png", ".tif", ".tiff", ".bmp", ".jpg", ".jpeg");
  private static final List<String> IN_PROGRESS = List.of(".tmp", ".part", ".partial", ".crdownload", ".filepart");

  private record Seen(long size, long mtime, Instant since) {}

  private final Path inbox;
  private final String defaultDataset;
  private final Producer<String, byte[]> producer;
  private final Duration stableFor;
  private final Map<Path, Seen> seen = new HashMap<>();
  private final Set<String> published = new HashSet<>();
  private final Set<Path> warned = new HashSet<>();

  /** @param defaultDataset dataset of files directly in the inbox; null to require dataset folders */
  public InboxWatcher(Path inbox, String defaultDataset, Producer<String, byte[]> producer, Duration stableFor) {
    this.inbox = inbox.toAbsolutePath().normalize();
    this.defaultDataset = defaultDataset;
    this.producer = producer;
    this.stableFor = stableFor;
  }

  public Path inbox() {
    return inbox;
  }

  /** One pass at time {@code now}: publishes the files that became complete; returns them. */
  public List<Path> scan(Instant now) {
    List<Path> out = new ArrayList<>();
    Set<Path> present = new HashSet<>();
    for (Path f : candidates()) {
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
      String identity = f + "\u0000" + a.size() + "\u0000" + mtime;
      if (Duration.between(before.since(), now).compareTo(stableFor) < 0 || published.contains(identity)) {
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
      published.add(identity);
      out.add(f);
    }
    seen.keySet().retainAll(present);
    return out;
  }

  /** Scans every {@code interval} until the thread is interrupted. */
  public void run(Duration interval) {
    while (!Thread.currentThread().isInterrupted()) {
      scan(Instant.now());
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void publish(Path file, String dataset, Instant now) {
    ImageArrived event = ImageArrived.newBuilder()
        .setDataset(dataset)
        .setImageUri(file.toUri().toString())
        .setSha256(ArrivalValidator.sha256(file))
        .setArrivedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build();
    try {
      producer.send(new ProducerRecord<>(EventTopics.IMAGES_ARRIVED, dataset, event.toByteArray())).get();
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

  private List<Path> candidates() {
    if (!Files.isDirectory(inbox)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(inbox, 2)) {
      return s.filter(Files::isRegularFile).filter(InboxWatcher::looksComplete).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot list {}: {}", inbox, e.toString());
      return List.of();
    }
  }

  private static boolean looksComplete(Path f) {
    String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.startsWith(".") || IN_PROGRESS.stream().anyMatch(name::endsWith)) {
      return false;
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 && IMAGES.contains(name.substring(dot));
  }
}
