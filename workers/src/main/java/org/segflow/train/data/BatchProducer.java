package org.segflow.train.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Makes batches ahead of the training loop on background threads (nnU-Net's data augmentation
 * workers). Batch number i is made from its own generator, seeded from (seed, i), and worker w
 * makes batches w, w + n, w + 2n, ... into its own bounded queue, which the consumer reads in
 * turn: the sequence of batches is the same for a given seed whatever the number of workers.
 *
 * <p>{@link #next()} blocks until the next batch is ready and records how long it waited, so the
 * trainer can report the share of time spent waiting for data. A worker's exception is rethrown
 * from {@code next()} as a {@link BatchProductionException}; {@link #close()} stops and joins the
 * workers.
 */
public final class BatchProducer implements AutoCloseable {

  /** Batches each worker may have ready ahead of the consumer. */
  public static final int DEFAULT_QUEUE_CAPACITY = 2;

  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final long JOIN_MILLIS = 30_000;
  private static final long POLL_MILLIS = 100;

  private final long seed;
  private final BatchFactory factory;
  private final List<Thread> workers = new ArrayList<>();
  private final List<BlockingQueue<Item>> queues = new ArrayList<>();
  private volatile boolean closed;
  private long delivered;
  private long totalWaitNanos;
  private BatchProductionException failure;

  /** A made batch, or the reason a worker stopped. */
  private record Item(Batch batch, long index, Throwable error) {}

  private BatchProducer(BatchFactory factory, long seed, int workerCount, int queueCapacity) {
    this.factory = factory;
    this.seed = seed;
    int id = INSTANCES.incrementAndGet();
    for (int w = 0; w < workerCount; w++) {
      BlockingQueue<Item> q = new ArrayBlockingQueue<>(queueCapacity);
      queues.add(q);
      int first = w;
      Thread t = new Thread(() -> work(first, workerCount, q), "segflow-batches-" + id + "-" + w);
      t.setDaemon(true);
      workers.add(t);
    }
  }

  /**
   * The default worker count: one. The machines this runs on have two cores that the network's
   * intra-op threads already use; one augmentation thread keeps up with the network at 128 px and
   * is far ahead of it at 640 px.
   */
  public static int defaultWorkers() {
    return 1;
  }

  /** Starts one worker with the default queue. */
  public static BatchProducer start(BatchFactory factory, long seed) {
    return start(factory, seed, defaultWorkers(), DEFAULT_QUEUE_CAPACITY);
  }

  /**
   * @param workers background threads, at least 1
   * @param queueCapacity batches each worker may hold ready, at least 1
   */
  public static BatchProducer start(BatchFactory factory, long seed, int workers, int queueCapacity) {
    if (workers < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException(
          "need at least one worker and one queue slot: workers=" + workers + ", capacity=" + queueCapacity);
    }
    BatchProducer p = new BatchProducer(factory, seed, workers, queueCapacity);
    p.workers.forEach(Thread::start);
    return p;
  }

  /** The generator batch {@code index} is made from. */
  public static RandomGenerator rngForBatch(long seed, long index) {
    return new SplittableRandom(mix(seed + (index + 1) * 0x9E3779B97F4A7C15L));
  }

  /**
   * The next batch, in order, waiting for it if necessary; its {@link Batch#waitNanos()} says how
   * long. Called from one consumer thread.
   *
   * @throws BatchProductionException if a worker failed (again on every later call)
   * @throws IllegalStateException after {@link #close()}
   */
  public Batch next() {
    if (closed) {
      throw new IllegalStateException("batch producer is closed");
    }
    if (failure != null) {
      throw failure;
    }
    int w = (int) (delivered % queues.size());
    BlockingQueue<Item> q = queues.get(w);
    long start = System.nanoTime();
    Item item;
    try {
      item = q.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      while (item == null) {
        if (!workers.get(w).isAlive() && q.isEmpty()) {
          failure = new BatchProductionException(
              "batch worker " + workers.get(w).getName() + " stopped without a batch", null);
          throw failure;
        }
        item = q.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for batch " + delivered, e);
    }
    long waited = System.nanoTime() - start;
    if (item.error != null) {
      failure = new BatchProductionException(
          "making batch " + item.index + " failed: " + item.error, item.error);
      throw failure;
    }
    delivered++;
    totalWaitNanos += waited;
    return item.batch.withWaitNanos(waited);
  }

  /** Batches handed out so far. */
  public long delivered() {
    return delivered;
  }

  /** Total time {@link #next()} spent waiting for batches. */
  public long totalWaitNanos() {
    return totalWaitNanos;
  }

  /** Stops the workers and waits for them to end; batches not yet taken are dropped. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    workers.forEach(Thread::interrupt);
    boolean interrupted = false;
    for (Thread t : workers) {
      try {
        t.join(JOIN_MILLIS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    queues.forEach(BlockingQueue::clear);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void work(int first, int stride, BlockingQueue<Item> queue) {
    long index = first;
    try {
      while (!closed) {
        Item item;
        try {
          Batch b = factory.create(rngForBatch(seed, index));
          item = b != null
              ? new Item(b, index, null)
              : new Item(null, index, new IllegalStateException("the batch factory returned null"));
        } catch (RuntimeException | Error e) {
          item = new Item(null, index, e);
        }
        queue.put(item);
        if (item.error != null) {
          return;
        }
        index += stride;
      }
    } catch (InterruptedException e) {
      // close() interrupts the workers: end quietly
    }
  }

  /** SplitMix64's finalizer, so that neighbouring batch indices get unrelated seeds. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
