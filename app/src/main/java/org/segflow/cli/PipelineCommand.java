package org.segflow.cli;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.segflow.contract.FoldResult;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineRequest;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.contract.PredictResult;
import org.segflow.contract.RunMemo;
import org.segflow.plan.ExperimentPlanner;
import org.segflow.train.ScheduleCost;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "pipeline", mixinStandardHelpOptions = true,
    description = "The whole pipeline as one Temporal workflow (needs workers: segflow worker or segflow dev).",
    subcommands = {PipelineCommand.Run.class, RunList.Pipelines.class})
final class PipelineCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Start convert -> plan -> fold trainings -> find-best -> predict for SRC and follow it until "
          + "it ends; prints the test Dice and where the overlays are.")
  static final class Run implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SRC", description = "Source dataset folder (absolute, or relative to SEGFLOW_HOME).")
    String source;

    @Option(names = {"-d", "--dataset"}, required = true, paramLabel = "ID", description = DatasetArg.NEW_ID)
    int id;

    @Option(names = "--name", required = true, description = "Dataset name, e.g. CHASEDB1.")
    String name;

    @Option(names = "--channels", defaultValue = "gray", completionCandidates = Choices.Channels.class,
        description = "${COMPLETION-CANDIDATES}, as convert --channels. Default: ${DEFAULT-VALUE}.")
    String channels;

    @Option(names = "--memory-target-gb", defaultValue = "" + ExperimentPlanner.DEFAULT_GPU_MEMORY_TARGET_GB,
        description = "Planner GPU memory target. Default: ${DEFAULT-VALUE}.")
    double memoryTargetGb;

    @Option(names = "--epochs", defaultValue = "1000",
        description = "Training epochs per fold (nnU-Net: 1000). Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--iterations-per-epoch", defaultValue = "250",
        description = "Training batches per epoch (nnU-Net: 250). Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--val-iterations", defaultValue = "50",
        description = "Validation batches per epoch (nnU-Net: 50). Default: ${DEFAULT-VALUE}.")
    int valIterations;

    @Option(names = {"-f", "--folds"}, arity = "1..*", split = ",", defaultValue = "0,1,2,3,4", paramLabel = "FOLD",
        converter = Folds.Token.class, completionCandidates = Folds.Candidates.class,
        description = Folds.DESCRIPTION + " The cross-validation folds to train (not all). Default: 0 1 2 3 4.")
    List<String> folds;

    @Option(names = "--run", defaultValue = "run1", description = "Run name, part of the workflow id. Default: ${DEFAULT-VALUE}.")
    String runName;

    @Option(names = "--heartbeat-timeout", defaultValue = "0", paramLabel = "SECONDS",
        description = "Retry a fold on another gpu worker after this long without a heartbeat (0: 5 minutes).")
    int heartbeatTimeoutSeconds;

    @Option(names = "--max-fold-duration", defaultValue = "0s", converter = DurationConverter.class,
        paramLabel = "DURATION", description = "End a fold that has not finished after this long, all its attempts "
            + "together (e.g. 36h). Default: none; a fold is bounded only by its heartbeats, whatever its schedule.")
    Duration maxFoldDuration;

    @Option(names = "--poll-seconds", defaultValue = "2", description = "Progress refresh. Default: ${DEFAULT-VALUE}.")
    int pollSeconds;

    @Option(names = "--detach", description = "Start the workflow and return without following it.")
    boolean detach;

    @Mixin
    TemporalOptions temporal;

    @Override
    public Integer call() throws InterruptedException {
      // refused here rather than by the plan step, after ingest, convert and fingerprint ran
      ExperimentPlanner.requireMemoryTarget(memoryTargetGb, "--memory-target-gb");
      PipelineRequest request = new PipelineRequest(source, id, name, channels, memoryTargetGb, epochs, iterations,
          valIterations,
          Folds.crossValidation(folds, "the pipeline trains cross-validation folds and merges their validations"),
          runName, heartbeatTimeoutSeconds, maxFoldDuration.toSeconds());
      WorkflowServiceStubs service = temporal.service();
      try {
        WorkflowClient client = temporal.client(service);
        PipelineWorkflow wf = client.newWorkflowStub(PipelineWorkflow.class, WorkflowOptions.newBuilder()
            .setWorkflowId(request.workflowId()).setTaskQueue(PipelineWorkflow.TASK_QUEUE)
            .setMemo(RunMemo.of(request)).build());
        WorkflowClient.start(wf::run, request);
        System.out.println("Started " + request.workflowId() + " on " + temporal.target);
        if (detach) {
          return 0;
        }
        return follow(client, request, wf, pollSeconds);
      } finally {
        service.shutdown();
      }
    }

    /**
     * Prints the progress table whenever it changes (each running fold's figures from its heartbeat), the
     * schedule's cost once the first fold has measured its epoch time, then the result or the failure.
     */
    static int follow(WorkflowClient client, PipelineRequest request, PipelineWorkflow wf, int pollSeconds)
        throws InterruptedException {
      String workflowId = request.workflowId();
      CompletableFuture<PipelineResult> result = WorkflowStub.fromTyped(wf).getResultAsync(PipelineResult.class);
      String last = "";
      boolean costShown = false;
      while (true) {
        try {
          PipelineResult r = result.get(pollSeconds, TimeUnit.SECONDS);
          String end = progressText(workflowId, wf, client, pollSeconds).table();
          System.out.print(end.isEmpty() ? last : end);
          print(r);
          return 0;
        } catch (TimeoutException e) {
          Progress now = progressText(workflowId, wf, client, pollSeconds);
          if (!now.table().equals(last)) {
            System.out.print(now.table());
            last = now.table();
          }
          if (!costShown && now.progress() != null) {
            Optional<ScheduleCost> cost = LiveProgress.cost(now.progress(), request.iterations());
            cost.ifPresent(c -> System.out.println(c.describe()));
            costShown = cost.isPresent();
          }
        } catch (ExecutionException e) {
          System.err.println("error: " + workflowId + " failed: " + rootMessage(e.getCause()));
          return 1;
        }
      }
    }

    /** The table ("" when no orchestrator worker answered in time: the next poll tries again) and its data. */
    private record Progress(String table, PipelineProgress progress) {}

    private static Progress progressText(String workflowId, PipelineWorkflow wf, WorkflowClient client,
        int pollSeconds) {
      ProgressQuery.Answer a = ProgressQuery.ask(wf, Duration.ofSeconds(Math.max(1, pollSeconds)));
      if (!a.answered()) {
        return new Progress("", null);
      }
      PipelineProgress p = StatusCommand.withHeartbeats(client, workflowId, a.progress());
      return new Progress(StatusCommand.table(workflowId, p), p);
    }

    private static String ranOrCached(boolean cacheHit) {
      return cacheHit ? "cached" : "ran";
    }

    static void print(PipelineResult r) {
      System.out.printf("Done: %s (ingest %s, convert %s, fingerprint %s, plan %s; %s)%n", r.converted().dataset(),
          ranOrCached(r.ingested().cacheHit()), ranOrCached(r.converted().cacheHit()),
          ranOrCached(r.fingerprinted().cacheHit()), ranOrCached(r.planned().cacheHit()),
          r.cachedFolds().isEmpty() ? "no fold from the fold cache" : "folds " + r.cachedFolds() + " from the fold cache");
      for (FoldResult f : r.folds()) {
        System.out.printf(Locale.ROOT, "  fold %d: validation Dice %.4f, best EMA %.4f, %s%n", f.fold(), f.validationDice(),
            f.bestEma(), f.finalCheckpoint().path());
      }
      if (r.findBest() != null) {
        System.out.printf(Locale.ROOT, "Cross-validation Dice (%s): %.4f%s; postprocessing: %s%s%n",
            r.findBest().model(), r.findBest().crossValidationDice(), fov(r.findBest().crossValidationFovDice()),
            r.findBest().postprocessed() ? "keep the largest component" : "none",
            r.findBest().cacheHit() ? " (find-best cached)" : "");
      }
      PredictResult p = r.predicted();
      if (p != null) {
        if (p.summary() != null) {
          System.out.printf(Locale.ROOT, "Test Dice (%d images): %.4f whole image%s%s%n", p.numCases(), p.testDice(),
              fov(p.testFovDice()), p.cacheHit() ? " (predict cached)" : "");
        } else {
          System.out.printf("Test images segmented: %d (no test labels to score against)%s%n", p.numCases(),
              p.cacheHit() ? " (predict cached)" : "");
        }
        System.out.println("Predictions: " + p.predictions());
        System.out.println("Overlays:    " + p.overlays());
      }
    }

    private static String fov(double dice) {
      return Double.isFinite(dice) ? String.format(Locale.ROOT, ", %.4f inside the field of view", dice) : "";
    }

    private static String rootMessage(Throwable t) {
      Throwable c = t;
      while (c.getCause() != null) {
        c = c.getCause();
      }
      return c instanceof io.temporal.failure.TemporalFailure tf ? tf.getOriginalMessage() : c.getMessage();
    }
  }
}
