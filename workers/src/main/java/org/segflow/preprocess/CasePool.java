package org.segflow.preprocess;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.segflow.Futures;

/**
 * Runs one task per case on a small thread pool and hands the results to a consumer in case order,
 * so that whatever the consumer builds does not depend on scheduling. At most twice as many cases as
 * threads are in flight, which bounds the memory held by finished but not yet consumed results. On
 * return (normal or failure) no task is still running.
 */
public final class CasePool {

  /** nnU-Net uses 8 processes; this machine class has 2 cores. */
  public static final int DEFAULT_THREADS = 2;

  private CasePool() {}

  /**
   * Applies {@code task} to every item and passes the results to {@code inOrder} in item order, on
   * the calling thread. The first failure stops the remaining work and is rethrown as is.
   */
  public static <T, R> void forEachInOrder(List<T> items, int threads, String name,
      Function<T, R> task, Consumer<R> inOrder) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    int window = 2 * threads;
    ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads(name));
    Deque<Future<R>> inFlight = new ArrayDeque<>();
    try {
      int next = 0;
      while (next < items.size() || !inFlight.isEmpty()) {
        while (next < items.size() && inFlight.size() < window) {
          T item = items.get(next++);
          inFlight.add(pool.submit(() -> task.apply(item)));
        }
        inOrder.accept(Futures.join(inFlight.poll(), "case"));
      }
    } finally {
      pool.shutdownNow();
      awaitQuietly(pool);
    }
  }

  /** After a failure, running tasks finish before the caller cleans up the files they write. */
  private static void awaitQuietly(ExecutorService pool) {
    try {
      while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        // a case takes seconds; keep waiting rather than let a task write into a deleted folder
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ThreadFactory daemonThreads(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "segflow-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
