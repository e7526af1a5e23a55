package org.segflow.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchProducerTest {

  private static List<Thread> workerThreads() {
    List<Thread> out = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("segflow-batches-") && t.isAlive()) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void deliversBatchesThenClosesWithoutLeavingThreads() {
    BatchAssembler a = BatchAssemblerTest.training(2, new int[] {24, 24});
    BatchProducer p = BatchProducer.start(a, 7, 2, 2);
    for (int i = 0; i < 10; i++) {
      Batch b = p.next();
      assertEquals(2, b.batchSize());
      assertTrue(b.waitNanos() >= 0);
    }
    assertEquals(10, p.delivered());
    assertTrue(p.totalWaitNanos() >= 0);
    p.close();
    assertTrue(workerThreads().isEmpty(), "left running: " + workerThreads());
    assertThrows(IllegalStateException.class, p::next);
    p.close(); // idempotent
  }

  @Test
  void sequenceDependsOnlyOnTheSeedNotOnTheWorkerCount() {
    BatchAssembler a = BatchAssemblerTest.training(2, new int[] {24, 24});
    List<Batch> one = new ArrayList<>();
    List<Batch> three = new ArrayList<>();
    try (BatchProducer p = BatchProducer.start(a, 11, 1, 1)) {
      for (int i = 0; i < 6; i++) {
        one.add(p.next());
      }
    }
    try (BatchProducer p = BatchProducer.start(a, 11, 3, 2)) {
      for (int i = 0; i < 6; i++) {
        three.add(p.next());
      }
    }
    for (int i = 0; i < 6; i++) {
      assertArrayEquals(one.get(i).images(), three.get(i).images(), "batch " + i);
      assertArrayEquals(one.get(i).targets().get(1).labels(), three.get(i).targets().get(1).labels());
    }
    assertFalse(java.util.Arrays.equals(one.get(0).images(), one.get(1).images()));
  }

  @Test
  void workerExceptionSurfacesToTheConsumer() {
    AtomicInteger made = new AtomicInteger();
    IllegalStateException boom = new IllegalStateException("corrupt case xyz");
    BatchFactory failing = rng -> {
      if (made.incrementAndGet() > 2) {
        throw boom;
      }
      return new Batch(1, 1, 1, 1, new float[1], List.of(), List.of("ok"), 0);
    };
    BatchProducer p = BatchProducer.start(failing, 1, 1, 1);
    p.next();
    p.next();
    BatchProductionException e = assertThrows(BatchProductionException.class, p::next);
    assertSame(boom, e.getCause());
    assertTrue(e.getMessage().contains("batch 2"), e.getMessage());
    assertThrows(BatchProductionException.class, p::next); // and stays failed
    p.close();
    assertTrue(workerThreads().isEmpty());
  }

  @Test
  void closeStopsWorkersBlockedOnAFullQueue() {
    BatchFactory quick = rng -> new Batch(1, 1, 1, 1, new float[] {rng.nextFloat()}, List.of(), List.of("q"), 0);
    BatchProducer p = BatchProducer.start(quick, 3, 2, 1);
    p.next();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline
        && workerThreads().stream().anyMatch(t -> t.getState() == Thread.State.RUNNABLE)) {
      Thread.onSpinWait(); // let both workers fill their queue and block in put()
    }
    p.close();
    assertTrue(workerThreads().isEmpty());
  }

  @Test
  void aFactoryReturningNullIsReportedAsAFailure() {
    try (BatchProducer p = BatchProducer.start(rng -> null, 1, 1, 1)) {
      BatchProductionException e = assertThrows(BatchProductionException.class, p::next);
      assertTrue(e.getCause().getMessage().contains("null"), e.getMessage());
    }
  }

  @Test
  void rejectsNonsenseSettings() {
    assertThrows(IllegalArgumentException.class, () -> BatchProducer.start(rng -> null, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> BatchProducer.start(rng -> null, 1, 1, 0));
  }
}
