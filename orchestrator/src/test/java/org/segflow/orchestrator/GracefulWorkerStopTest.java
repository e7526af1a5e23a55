package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.activity.FoldReporter;
import org.segflow.activity.HeartbeatListener;
import org.segflow.activity.WorkerStop;
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
 * What a stopping gpu worker (segflow worker's shutdown hook: {@link WorkerStop#stopGracefully}) does
 * to a fold in the middle of an epoch, with the real {@link HeartbeatListener} driving a scripted
 * epoch loop: polling stops, the fold keeps heartbeating, finishes the epoch, writes its checkpoint
 * and ends with a retryable WorkerStopping failure; the factory terminates with no retry picked up,
 * and the fold's one retry (attempt 2) resumes from that checkpoint on a new worker.
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
    // real time: the retry delay of a stopped fold is part of what is tested
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
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
  void aStoppingWorkerEndsTheFoldAtItsCheckpointAndItsOneRetryResumesThereOnAnotherWorker() throws Exception {
    WorkerStop stopping = new WorkerStop();
    EpochLoop loop = new EpochLoop(home, stopping);
    WorkerFactory stoppingFactory = gpuWorker(loop);

    PipelineRequest r = new PipelineRequest("raw/fake", 4, "Fake", "rgb", 8.0, EPOCHS, ITERATIONS, 1, List.of(0),
        "stop");
    PipelineWorkflow pipeline = env.getWorkflowClient().newWorkflowStub(PipelineWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(PipelineWorkflow.TASK_QUEUE).setWorkflowId(r.workflowId()).build());
    WorkflowClient.start(pipeline::run, r);
    assertTrue(loop.midEpoch.await(10, TimeUnit.SECONDS), "the fold reached the middle of epoch 2");

    // the shutdown hook's sequence (WorkerCommand.stopGracefully), on its own thread as in the hook
    long t0 = System.nanoTime();
    CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(
        () -> stopping.stopGracefully(stoppingFactory, Duration.ofSeconds(20)));
    awaitStopping(stopping);
    loop.firstAttempt.get().heartbeat(new FoldHeartbeat(1, "", 0.6)); // throws if heartbeats were refused
    loop.goOn.countDown();
    assertTrue(stopped.get(20, TimeUnit.SECONDS), "the factory terminated once the fold stopped, within the grace");
    long stopMillis = (System.nanoTime() - t0) / 1_000_000;
    int attemptsOnStoppingWorker = loop.attempts.get();

    assertEquals(2, loop.checkpointedEpochs.get(), "epoch 2 was finished and checkpointed, no epoch 3 begun");
    assertEquals(2 * ITERATIONS, loop.iterationsRun.get(), "the interrupted epoch ran all its iterations");
    ApplicationFailure end = assertInstanceOf(ApplicationFailure.class, loop.firstAttemptEnd.get(),
        "the fold ended on the stop, after its checkpoint");
    assertEquals(WorkerStop.FAILURE_TYPE, end.getType());
    assertFalse(end.isNonRetryable());
    assertEquals(1, attemptsOnStoppingWorker, "the stopping worker picked up none of the fold's retries");

    long t1 = System.nanoTime();
    gpuWorker(new EpochLoop(home, new WorkerStop(), loop));
    PipelineResult result = WorkflowStub.fromTyped(pipeline).getResult(30, TimeUnit.SECONDS, PipelineResult.class);
    long retryMillis = (System.nanoTime() - t1) / 1_000_000;

    FoldResult fold = result.folds().get(0);
    assertEquals(List.of(1, 2), loop.attemptNumbers, "one attempt on each worker: the retry was attempt 2");
    assertEquals(2, fold.resumedFromEpoch(), "the retry resumed from the checkpoint the stop left");
    assertEquals(EPOCHS - 2, fold.epochsRun());
    long heldMillis = (loop.secondAttemptStart.get() - loop.firstAttemptEndNanos.get()) / 1_000_000;
    assertTrue(heldMillis >= WorkerStop.RETRY_DELAY.toMillis() - 100,
        "the server held the retry for the stopping worker's pollers to stop: " + heldMillis + " ms");
    assertTrue(retryMillis < PipelineTimeouts.DEFAULTS.heartbeat().toMillis() / 10,
        "the retry came from the reported failure, not a heartbeat timeout: " + retryMillis + " ms");
    System.out.printf("graceful stop: factory terminated %d ms after the stop began, %d attempt(s) on the stopping "
        + "worker; retry (attempt %d) started %d ms after the failure, done %d ms after a new worker started%n",
        stopMillis, attemptsOnStoppingWorker, loop.attemptNumbers.get(1), heldMillis, retryMillis);
  }

  /** The stop raises its flag once shutdown() has returned; the epoch goes on after that, as a real one would. */
  private static void awaitStopping(WorkerStop stop) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!stop.isStopping()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the stop did not begin within 10 s");
      }
      Thread.sleep(5);
    }
  }

  /** A gpu worker as segflow worker --pool gpu registers it: one fold at a time. */
  private WorkerFactory gpuWorker(EpochLoop loop) {
    WorkerFactory f = WorkerFactory.newInstance(env.getWorkflowClient());
    f.newWorker(TrainingActivities.TASK_QUEUE, WorkerStop.workerOptions()
            .setMaxConcurrentActivityExecutionSize(1).build())
        .registerActivitiesImplementations(loop);
    f.start();
    gpuFactories.add(f);
    return f;
  }

  /**
   * A fold's epoch loop as FoldTrainer runs it (iterations, checkpoint, then onEpochEnd) with the
   * real HeartbeatListener beating on every iteration and seeing its worker's stop; "the checkpoint on
   * disk" is {@link #checkpointedEpochs}. The first attempt pauses in the middle of epoch 2 until told
   * to go on. Loops of several workers share their counters (the fold's state is the same).
   */
  static final class EpochLoop implements TrainingActivities {
    final CountDownLatch midEpoch;
    final CountDownLatch goOn;
    final AtomicInteger checkpointedEpochs;
    final AtomicInteger iterationsRun;
    final AtomicInteger attempts;
    final List<Integer> attemptNumbers;
    final AtomicReference<ActivityExecutionContext> firstAttempt;
    final AtomicReference<RuntimeException> firstAttemptEnd;
    final AtomicLong firstAttemptEndNanos;
    final AtomicLong secondAttemptStart;
    private final Path home;
    private final WorkerStop stop;

    EpochLoop(Path home, WorkerStop stop) {
      this.home = home;
      this.stop = stop;
      midEpoch = new CountDownLatch(1);
      goOn = new CountDownLatch(1);
      checkpointedEpochs = new AtomicInteger();
      iterationsRun = new AtomicInteger();
      attempts = new AtomicInteger();
      attemptNumbers = new java.util.concurrent.CopyOnWriteArrayList<>();
      firstAttempt = new AtomicReference<>();
      firstAttemptEnd = new AtomicReference<>();
      firstAttemptEndNanos = new AtomicLong();
      secondAttemptStart = new AtomicLong();
    }

    /** The same fold on another worker, with that worker's stop. */
    EpochLoop(Path home, WorkerStop stop, EpochLoop shared) {
      this.home = home;
      this.stop = stop;
      midEpoch = shared.midEpoch;
      goOn = shared.goOn;
      checkpointedEpochs = shared.checkpointedEpochs;
      iterationsRun = shared.iterationsRun;
      attempts = shared.attempts;
      attemptNumbers = shared.attemptNumbers;
      firstAttempt = shared.firstAttempt;
      firstAttemptEnd = shared.firstAttemptEnd;
      firstAttemptEndNanos = shared.firstAttemptEndNanos;
      secondAttemptStart = shared.secondAttemptStart;
    }

    @Override
    public FoldResult trainFold(FoldRequest r) {
      ActivityExecutionContext ctx = Activity.getExecutionContext();
      int attempt = attempts.incrementAndGet();
      attemptNumbers.add(ctx.getInfo().getAttempt());
      if (attempt == 1) {
        firstAttempt.set(ctx);
      } else if (attempt == 2) {
        secondAttemptStart.set(System.nanoTime());
      }
      FoldContext fold = new FoldContext(r.dataset(), r.configuration(), Integer.toString(r.fold()),
          home.resolve("fold_" + r.fold()));
      HeartbeatListener listener = new HeartbeatListener(reporter(ctx), home, r.fold(), System::nanoTime, 0, stop);
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
          firstAttemptEndNanos.set(System.nanoTime());
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
          0.7, "key", false);
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
