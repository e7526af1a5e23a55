package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.activity.FoldReporter;
import org.segflow.activity.HeartbeatListener;
import org.segflow.contract.DataPreparationActivities;
import org.segflow.contract.FoldHeartbeat;
import org.segflow.contract.FoldProgress;
import org.segflow.contract.FoldRequest;
import org.segflow.contract.FoldResult;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.PredictRequest;
import org.segflow.contract.PredictResult;
import org.segflow.contract.StepRef;
import org.segflow.contract.TrainingActivities;
import org.segflow.train.EpochResult;
import org.segflow.train.FoldContext;
import org.segflow.train.TrainingHistory;

/**
 * What a stopping gpu worker (segflow worker's shutdown hook: WorkerFactory.shutdown() then
 * awaitTermination) does to a fold in the middle of an epoch, with the real {@link HeartbeatListener}
 * driving a scripted epoch loop: the fold finishes the epoch, writes its checkpoint, stops there, the
 * factory terminates, and the fold's retry runs at once on a new worker from that checkpoint (the
 * failure was reported, no heartbeat timeout was waited for).
 */
class GracefulWorkerStopTest {

  private static final int ITERATIONS = 4;
  private static final int EPOCHS = 4;

  @TempDir
  Path home;

  private TestWorkflowEnvironment env;
  private final List<WorkerFactory> gpuFactories = new java.util.ArrayList<>();

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    env.newWorker(PipelineWorkflow.TASK_QUEUE).registerWorkflowImplementationTypes(PipelineWorkflowImpl.class);
    env.newWorker(DataPreparationActivities.TASK_QUEUE)
        .registerActivitiesImplementations(new PipelineWorkflowTimeSkippingTest.ScriptedPreparation());
    env.start();
  }

  @AfterEach
  void stop() {
    gpuFactories.forEach(WorkerFactory::shutdownNow);
    env.close();
  }

  @Test
  void aStoppingWorkerLetsTheFoldReachItsCheckpointAndTheRetryResumesThereAtOnce() throws Exception {
    EpochLoop loop = new EpochLoop(home);
    WorkerFactory stopping = gpuWorker(loop);

    PipelineRequest r = new PipelineRequest("raw/fake", 4, "Fake", "rgb", 8.0, EPOCHS, ITERATIONS, 1, List.of(0),
        "stop");
    PipelineWorkflow pipeline = env.getWorkflowClient().newWorkflowStub(PipelineWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(PipelineWorkflow.TASK_QUEUE).setWorkflowId(r.workflowId()).build());
    WorkflowClient.start(pipeline::run, r);
    assertTrue(loop.midEpoch.await(10, TimeUnit.SECONDS), "the fold reached the middle of epoch 2");

    // the shutdown hook's sequence (WorkerCommand.stopGracefully)
    long t0 = System.nanoTime();
    stopping.shutdown();
    awaitHeartbeatsRefused(loop.firstAttempt.get());
    loop.goOn.countDown();
    stopping.awaitTermination(10, TimeUnit.SECONDS);
    assertTrue(stopping.isTerminated(), "the factory terminated once the fold stopped");
    long stopMillis = (System.nanoTime() - t0) / 1_000_000;
    // The SDK (1.38, default options) shuts the heartbeat executor first (up to 5 s while a throttled
    // heartbeat is pending) and only then stops polling: retries that land on the stopping worker in
    // that window fail at their first heartbeat, before any work. They cost attempts, not epochs.
    int attemptsOnStoppingWorker = loop.attempts.get();

    assertEquals(2, loop.checkpointedEpochs.get(), "epoch 2 was finished and checkpointed, no epoch 3 begun");
    assertEquals(2 * ITERATIONS, loop.iterationsRun.get(), "the interrupted epoch ran all its iterations");
    assertInstanceOf(ActivityWorkerShutdownException.class, loop.firstAttemptEnd.get(),
        "the fold ended on the held heartbeat exception, after its checkpoint");

    long t1 = System.nanoTime();
    gpuWorker(loop);
    PipelineResult result = WorkflowStub.fromTyped(pipeline).getResult(10, TimeUnit.SECONDS, PipelineResult.class);
    long retryMillis = (System.nanoTime() - t1) / 1_000_000;

    FoldResult fold = result.folds().get(0);
    assertEquals(2, fold.resumedFromEpoch(), "the retry resumed from the checkpoint the stop left");
    assertEquals(EPOCHS - 2, fold.epochsRun());
    assertEquals(attemptsOnStoppingWorker + 1, loop.attempts.get(), "one attempt on the new worker finished it");
    assertTrue(attemptsOnStoppingWorker < PipelineTimeouts.DEFAULTS.maxAttempts(), "attempts left for the fold");
    assertTrue(retryMillis < PipelineTimeouts.DEFAULTS.trainHeartbeat().toMillis() / 10,
        "the retry came from the reported failure, not a heartbeat timeout: " + retryMillis + " ms");
    System.out.printf("graceful stop: factory terminated %d ms after shutdown(), %d attempt(s) on the stopping "
        + "worker; retry done %d ms after a new worker started%n", stopMillis, attemptsOnStoppingWorker, retryMillis);
  }

  /**
   * shutdown() shuts the heartbeat executor on a shutdown thread; the epoch goes on once it has,
   * as a real epoch (seconds to minutes) would.
   */
  private static void awaitHeartbeatsRefused(ActivityExecutionContext ctx) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      try {
        ctx.heartbeat(new FoldHeartbeat(1, "", 0.6));
      } catch (ActivityWorkerShutdownException refused) {
        return;
      }
    }
    throw new AssertionError("heartbeats were still accepted 10 s after shutdown()");
  }

  /** A gpu worker as segflow worker --pool gpu registers it: one fold at a time. */
  private WorkerFactory gpuWorker(EpochLoop loop) {
    WorkerFactory f = WorkerFactory.newInstance(env.getWorkflowClient());
    f.newWorker(TrainingActivities.TASK_QUEUE, WorkerOptions.newBuilder()
            .setMaxConcurrentActivityExecutionSize(1).build())
        .registerActivitiesImplementations(loop);
    f.start();
    gpuFactories.add(f);
    return f;
  }

  /**
   * A fold's epoch loop as FoldTrainer runs it (iterations, checkpoint, then onEpochEnd) with the
   * real HeartbeatListener beating on every iteration; "the checkpoint on disk" is
   * {@link #checkpointedEpochs}. The first attempt pauses in the middle of epoch 2 until told to go on.
   */
  static final class EpochLoop implements TrainingActivities {
    final CountDownLatch midEpoch = new CountDownLatch(1);
    final CountDownLatch goOn = new CountDownLatch(1);
    final AtomicInteger checkpointedEpochs = new AtomicInteger();
    final AtomicInteger iterationsRun = new AtomicInteger();
    final AtomicInteger attempts = new AtomicInteger();
    final AtomicReference<ActivityExecutionContext> firstAttempt = new AtomicReference<>();
    final AtomicReference<RuntimeException> firstAttemptEnd = new AtomicReference<>();
    private final Path home;

    EpochLoop(Path home) {
      this.home = home;
    }

    @Override
    public FoldResult trainFold(FoldRequest r) {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      int attempt = attempts.incrementAndGet();
      if (attempt == 1) {
        firstAttempt.set(ctx);
      }
      FoldContext fold = new FoldContext(r.dataset(), r.configuration(), Integer.toString(r.fold()),
          home.resolve("fold_" + r.fold()));
      HeartbeatListener listener = new HeartbeatListener(reporter(ctx), home, r.fold(), System::nanoTime, 0);
      int resumed = checkpointedEpochs.get();
      listener.onTrainingStart(fold, new TrainingHistory());
      try {
        for (int epoch = resumed; epoch < r.epochs(); epoch++) {
          for (int it = 0; it < r.iterations(); it++) {
            iterationsRun.incrementAndGet();
            if (attempt == 1 && epoch == 1 && it == 1) {
              midEpoch.countDown();
              await(goOn);
            }
            listener.onIteration(fold, epoch, it, r.iterations());
          }
          checkpointedEpochs.set(epoch + 1);
          listener.onEpochEnd(fold, new EpochResult(epoch, r.epochs(), 0.01, 0.5, 0.4, new double[] {0.6}, 0.6,
              0.6, true, 1.0, (long) (epoch + 1) * r.iterations(), 0.0), new TrainingHistory());
        }
      } catch (RuntimeException e) {
        if (attempt == 1) {
          firstAttemptEnd.set(e);
        }
        throw e;
      }
      return new FoldResult(r.fold(), new StepRef("results/fold_0/checkpoint_final.zip", "f"), null, resumed,
          r.epochs() - resumed, 0.6, 0.7);
    }

    @Override
    public PredictResult predict(PredictRequest r) {
      return new PredictResult("predictions", "overlays", 0, new StepRef("predictions/summary.json", "x"), 0.7,
          0.7);
    }

    private static FoldReporter reporter(ActivityExecutionContext ctx) {
      return new FoldReporter() {
        @Override
        public void heartbeat(FoldHeartbeat details) {
          ctx.heartbeat(details);
        }

        @Override
        public void progress(FoldProgress progress) {
          // the progress signal is not what this test is about
        }
      };
    }

    private static void await(CountDownLatch latch) {
      try {
        if (!latch.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never told to go on");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
