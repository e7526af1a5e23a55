package org.segflow.cli;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * A loop (the Kafka bridge, the inbox watcher) on its own named thread in an embedded stack; closing
 * it runs the loop's own stop action and waits for the thread. A loop that dies is reported on
 * stderr in one line, remembered ({@link #failure}), not left as a stack trace, and tells its stack
 * ({@code onDeath}), which should then end ({@link EmbeddedStack}): a stack without its bridge only looks alive.
 */
final class BackgroundLoop implements AutoCloseable {

  private static final Duration JOIN = Duration.ofSeconds(30);

  private final Thread thread;
  private final Runnable stop;
  private volatile Throwable failure;

  private BackgroundLoop(String name, Runnable loop, Runnable stop, Consumer<Throwable> onDeath) {
    this.stop = stop;
    this.thread = new Thread(() -> {
      try {
        loop.run();
      } catch (RuntimeException | Error e) {
        failure = e;
        System.err.println("error: " + name + " stopped: " + e);
        onDeath.accept(e);
      }
    }, name);
  }

  /**
   * {@code onDeath} runs on the loop's thread, with what killed it, when the loop dies of an exception (not
   * when it is stopped).
   */
  static BackgroundLoop start(String name, Runnable loop, Runnable stop, Consumer<Throwable> onDeath) {
    BackgroundLoop b = new BackgroundLoop(name, loop, stop, onDeath);
    b.thread.start();
    return b;
  }

  /** What ended the loop early, or null. */
  Throwable failure() {
    return failure;
  }

  @Override
  public void close() {
    stop.run();
    try {
      thread.join(JOIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      System.err.println("error: " + thread.getName() + " did not stop within " + JOIN.toSeconds() + " s");
    }
  }
}
