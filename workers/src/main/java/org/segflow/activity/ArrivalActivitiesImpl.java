package org.segflow.activity;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segflow.contract.ArrivalActivities;
import org.segflow.contract.EventTopics;
import org.segflow.contract.ImageCheck;
import org.segflow.contract.InferenceFailure;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceResult;
import org.segflow.contract.SegmentationOutputs;
import org.segflow.contract.StepRef;
import org.segflow.contract.Timestamps;
import org.segflow.contract.TrustScores;
import org.segflow.dataset.DatasetLabels;
import org.segflow.dataset.RawDataset;
import org.segflow.evaluate.LabelMap;
import org.segflow.events.DeadLetter;
import org.segflow.events.Durations;
import org.segflow.events.ImageArrived;
import org.segflow.events.SegmentationCompleted;
import org.segflow.events.Trust;
import org.segflow.events.TrustFlag;
import org.segflow.io.DecodedImage;
import org.segflow.io.ImageFiles;
import org.segflow.metrics.InferenceMetrics;
import org.segflow.pipeline.ArrivedImages;
import org.segflow.pipeline.ReferenceLabels;
import org.segflow.pipeline.StepRefs;
import org.segflow.registry.ModelRegistry;
import org.segflow.registry.ModelVersion;
import org.segflow.storage.SegflowPaths;
import org.segflow.trust.TrustProfiles;

/**
 * Checks arrived images (still there, same sha256, decodable; the dataset's promoted model chosen, and
 * its live shadow version when one is set; the reference labels, when the event names some, scorable) and emits SegmentationCompleted through
 * {@code producer} (key = dataset, value = protobuf), with the Dice against the reference, or a
 * DeadLetter when the workflow could not segment the image. The producer is the caller's; it should
 * be idempotent with acks=all.
 */
public final class ArrivalActivitiesImpl implements ArrivalActivities {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ArrivalActivitiesImpl.class);

  private final SegflowPaths paths;
  private final ModelRegistry registry;
  private final Producer<String, byte[]> producer;
  private final InferenceMetrics metrics;
  private final TrustProfiles trustProfiles;

  public ArrivalActivitiesImpl(SegflowPaths paths, Producer<String, byte[]> producer) {
    this(paths, producer, null);
  }

  /** @param metrics where the Dice against reference labels goes; null for none */
  public ArrivalActivitiesImpl(SegflowPaths paths, Producer<String, byte[]> producer, InferenceMetrics metrics) {
    this.paths = paths;
    this.registry = new ModelRegistry(paths);
    this.producer = producer;
    this.metrics = metrics;
    this.trustProfiles = new TrustProfiles(paths);
  }

  @Override
  public ImageCheck checkImage(InferenceRequest request) {
    long start = System.nanoTime();
    try {
      return check(request);
    } catch (io.temporal.failure.ApplicationFailure e) {
      // rejected before the gpu: counted with the segment step's outcomes, so no image goes uncounted
      if (metrics != null) {
        metrics.record(request.dataset(), InferenceMetrics.Outcome.REJECTED, (System.nanoTime() - start) / 1e9);
      }
      throw e;
    }
  }

  private ImageCheck check(InferenceRequest request) {
    return Failures.invalidInputIsFinal(() -> {
      Path image = ArrivedImages.verified(request);
      DecodedImage decoded = ImageFiles.readDecoded(image);
      ModelVersion model = registry.requirePromoted(request.dataset());
      if (request.labelUri() != null) {
        // a reference that cannot be scored fails the image now, before the gpu is spent on it
        ReferenceLabels.read(request.labelUri(), labels(model), decoded.pixels().height(), decoded.pixels().width());
      }
      if (metrics != null && Files.isRegularFile(trustProfiles.file(model))) {
        // the version's trust meters at 0 now, seconds before its first scores, so increase() counts them
        metrics.registerTrust(request.dataset(), model.version());
      }
      return new ImageCheck(model.dataset(), model.version(), decoded.pixels().height(), decoded.pixels().width(),
          decoded.pixels().channels(), shadowVersion(request.dataset()));
    });
  }

  /** The dataset's live shadow version, or null; a broken shadow choice is logged, never the image's failure. */
  private String shadowVersion(String dataset) {
    try {
      return registry.shadow(dataset).map(ModelVersion::version).orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("the shadow run of {} is ignored: {}", dataset, e.getMessage());
      return null;
    }
  }

  @Override
  public void publishCompleted(InferenceResult result) {
    Double dice = Failures.invalidInputIsFinal(() -> dice(result));
    SegmentationCompleted event = event(paths, result, dice);
    send(EventTopics.SEGMENTATIONS_COMPLETED, event.getDataset(), event.toByteArray(),
        "SegmentationCompleted for " + result.workflowId());
    if (metrics != null && dice != null) {
      metrics.recordDice(result.request().dataset(), dice);
    }
    if (metrics != null && result.outputs().trust() != null) {
      metrics.recordTrust(event.getDataset(), event.getModelVersion(), result.outputs().trust());
    }
  }

  @Override
  public void publishFailed(InferenceFailure failure) {
    DeadLetter letter = deadLetter(failure, Instant.now());
    send(EventTopics.IMAGES_ARRIVED_DLQ, failure.request().dataset(), letter.toByteArray(),
        "DeadLetter for " + failure.workflowId());
  }

  /** The DeadLetter of an image the bridge accepted but its workflow could not segment. */
  public static DeadLetter deadLetter(InferenceFailure failure, Instant now) {
    InferenceRequest r = failure.request();
    ImageArrived.Builder arrived = ImageArrived.newBuilder().setDataset(r.dataset()).setImageUri(r.imageUri())
        .setSha256(r.sha256());
    if (r.arrivedAtMillis() > 0) {
      arrived.setArrivedAt(Timestamps.ofEpochMilli(r.arrivedAtMillis()));
    }
    if (r.labelUri() != null) {
      arrived.setLabelUri(r.labelUri());
    }
    return DeadLetter.newBuilder()
        .setValue(arrived.build().toByteString())
        .setKey(ByteString.copyFromUtf8(r.dataset()))
        .setTopic(EventTopics.IMAGES_ARRIVED)
        .setPartition(-1)
        .setOffset(-1)
        .setReason(failure.invalidInput() ? DeadLetter.Reason.INVALID_IMAGE : DeadLetter.Reason.SEGMENTATION_FAILED)
        .setDetail(failure.detail() == null ? "" : failure.detail())
        .setDeadLetteredAt(Timestamps.of(now))
        .setWorkflowId(failure.workflowId())
        .build();
  }

  private void send(String topic, String key, byte[] value, String what) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("Kafka did not accept " + what + ": " + e.getCause(), e.getCause());
    }
  }

  /** The foreground mean Dice of the written label map against the event's reference; null without one. */
  private Double dice(InferenceResult result) {
    InferenceRequest r = result.request();
    if (r.labelUri() == null) {
      return null;
    }
    ModelVersion model = registry.version(r.dataset(), result.outputs().modelVersion());
    DatasetLabels labels = labels(model);
    LabelMap prediction = LabelMap.read(StepRefs.resolve(paths, result.outputs().labelMap()));
    LabelMap reference = ReferenceLabels.read(r.labelUri(), labels, prediction.height(), prediction.width());
    return ReferenceLabels.dice(reference, prediction, labels);
  }

  private DatasetLabels labels(ModelVersion model) {
    return DatasetLabels.of(RawDataset.readJson(paths.results().resolve(model.datasetJson().path())));
  }

  /** The event for {@code result}; output URIs are file: URIs on this machine's view of SEGFLOW_HOME. */
  public static SegmentationCompleted event(SegflowPaths paths, InferenceResult result) {
    return event(paths, result, null);
  }

  /** The event with the Dice against the request's reference labels ({@code dice} null: no reference). */
  public static SegmentationCompleted event(SegflowPaths paths, InferenceResult result, Double dice) {
    InferenceRequest r = result.request();
    SegmentationOutputs o = result.outputs();
    SegmentationCompleted.Builder b = SegmentationCompleted.newBuilder();
    if (dice != null) {
      b.setDice(dice).setLabelUri(r.labelUri());
    }
    TrustScores t = o.trust();
    if (t != null) {
      b.setTrust(Trust.newBuilder().setDriftScore(t.driftScore()).setDriftThreshold(t.driftThreshold())
          .setDriftFeature(t.driftFeature()).setConfidence(t.confidence())
          .setConfidenceThreshold(t.confidenceThreshold()).setForegroundScore(t.foregroundScore())
          .setForegroundThreshold(t.foregroundThreshold()));
      for (String flag : t.flags()) {
        b.addFlags(TrustFlag.valueOf(flag));
      }
    }
    return b
        .setDataset(r.dataset())
        .setImageUri(r.imageUri())
        .setSha256(r.sha256())
        .setModelVersion(o.modelVersion())
        .setLabelMapUri(uri(paths, o.labelMap()))
        .setMaskUri(uri(paths, o.mask()))
        .setOverlayUri(uri(paths, o.overlay()))
        .setForegroundFraction(o.foregroundFraction())
        .setHeight(o.height())
        .setWidth(o.width())
        .setDurations(Durations.newBuilder()
            .setQueuedMs(result.queuedMillis())
            .setCheckMs(result.checkMillis())
            .setSegmentMs(result.segmentMillis())
            .setTotalMs(result.totalMillis())
            .setScoreMs(o.scoreMillis()))
        .setCompletedAt(Timestamps.ofEpochMilli(result.completedAtMillis()))
        .setWorkflowId(result.workflowId())
        .build();
  }

  private static String uri(SegflowPaths paths, StepRef ref) {
    return StepRefs.resolve(paths, ref).toUri().toString();
  }

}
