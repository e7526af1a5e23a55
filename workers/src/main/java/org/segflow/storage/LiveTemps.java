package org.segflow.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The temporary files and folders this process is still filling. Each one's modification time is
 * set to now every {@link #TOUCH_EVERY}, so a writer that works for hours without writing (one long
 * case) still looks alive to a {@link StaleTemps} sweep on any machine sharing the volume; a process
 * that is killed or dies of an Error stops touching, and its temps age.
 */
final class LiveTemps {

  static final Duration TOUCH_EVERY = Duration.ofMinutes(5);

  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
  private static volatile ScheduledExecutorService toucher;

  private LiveTemps() {}

  /** Marks {@code tmp} as being filled until the returned registration is closed. */
  static Registration register(Path tmp) {
    Path p = tmp.toAbsolutePath().normalize();
    LIVE.add(p);
    startToucher();
    return () -> LIVE.remove(p);
  }

  static boolean isLive(Path p) {
    return LIVE.contains(p.toAbsolutePath().normalize());
  }

  private static void startToucher() {
    if (toucher != null) {
      return;
    }
    synchronized (LiveTemps.class) {
      if (toucher == null) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "segflow-live-temps");
          t.setDaemon(true);
          return t;
        });
        long every = TOUCH_EVERY.toSeconds();
        s.scheduleWithFixedDelay(LiveTemps::touchAll, every, every, TimeUnit.SECONDS);
        toucher = s;
      }
    }
  }

  private static void touchAll() {
    FileTime now = FileTime.fromMillis(System.currentTimeMillis());
    for (Path p : LIVE) {
      try {
        Files.setLastModifiedTime(p, now);
      } catch (IOException | RuntimeException e) {
        // not created yet, or already moved into place: nothing to keep fresh
      }
    }
  }

  /** Ends a temp's registration; it no longer needs keeping fresh. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
