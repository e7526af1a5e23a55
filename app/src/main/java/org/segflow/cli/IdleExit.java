package org.segflow.cli;

import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;

/**
 * `segflow worker --exit-when-idle`: counts the activities this worker process is running (a Temporal
 * worker interceptor around every activity execution, so a fold's hours-long activity counts as running
 * from its start to its end) and tells when none has run for a given time. A process that exits then
 * lets an autoscaler's Job end without ever stopping a pod in the middle of a fold.
 */
final class IdleExit extends WorkerInterceptorBase {

  private final LongSupplier nanoClock;
  private int running;
  private long idleSince;

  IdleExit() {
    this(System::nanoTime);
  }

  IdleExit(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.idleSince = nanoClock.getAsLong();
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        started();
        try {
          return super.execute(input);
        } finally {
          ended();
        }
      }
    };
  }

  synchronized void started() {
    running++;
  }

  synchronized void ended() {
    running--;
    if (running == 0) {
      idleSince = nanoClock.getAsLong();
      notifyAll();
    }
  }

  synchronized int running() {
    return running;
  }

  /**
   * Blocks until no activity has been running for {@code idle} (true), or {@code stop} is released first
   * (false). Rechecks at least every second, so a release of {@code stop} is seen within a second.
   */
  synchronized boolean await(Duration idle, CountDownLatch stop) throws InterruptedException {
    while (stop.getCount() > 0) {
      long left = running > 0 ? Long.MAX_VALUE : idleSince + idle.toNanos() - nanoClock.getAsLong();
      if (left <= 0) {
        return true;
      }
      wait(Math.max(1, Math.min(1000, left / 1_000_000)));
    }
    return false;
  }
}
