package org.segflow.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command (kafka, bridge, watch, dev) ends: Ctrl-C or SIGTERM (a shutdown hook) or
 * {@link #stop} (tests, an embedding program). Stopping runs the command's wake-up actions (close a
 * consumer, end a scan loop) and releases {@link #await}; the hook then waits until the command has
 * closed what it opened ({@link #close}), so the JVM does not exit under a broker writing its logs.
 */
final class Lifetime implements AutoCloseable {

  /** How long a shutdown hook waits for the command's own cleanup. */
  private static final Duration CLEANUP = Duration.ofSeconds(30);

  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch closed = new CountDownLatch(1);
  private final List<Runnable> onStop = new ArrayList<>();
  private Thread hook;

  /** Registers the shutdown hook (named {@code name}); {@link #close} removes it. */
  Lifetime open(String name) {
    hook = new Thread(() -> {
      stop();
      try {
        closed.await(CLEANUP.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, name);
    Runtime.getRuntime().addShutdownHook(hook);
    return this;
  }

  /** Runs {@code action} when the command is asked to stop (at once if it already was). */
  void onStop(Runnable action) {
    synchronized (onStop) {
      if (stopRequested.getCount() > 0) {
        onStop.add(action);
        return;
      }
    }
    action.run();
  }

  /** Asks the command to stop; the first call runs the wake-up actions. */
  void stop() {
    List<Runnable> actions;
    synchronized (onStop) {
      if (stopRequested.getCount() == 0) {
        return;
      }
      stopRequested.countDown();
      actions = List.copyOf(onStop);
    }
    actions.forEach(Runnable::run);
  }

  /** Blocks until {@link #stop}. */
  void await() throws InterruptedException {
    stopRequested.await();
  }

  /** The command has closed what it opened: a waiting shutdown hook lets the JVM exit. */
  @Override
  public void close() {
    closed.countDown();
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook is running and has just been released
      }
    }
  }
}
