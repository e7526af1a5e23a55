package org.segflow.contract;

import java.util.List;

/** The Kafka topics segflow reads and writes; names shared with dashboards and deploy files. */
public final class EventTopics {

  /** ImageArrived, key = dataset. */
  public static final String IMAGES_ARRIVED = "segflow.images.arrived";
  /** DeadLetter: records of {@link #IMAGES_ARRIVED} that could not become a workflow. */
  public static final String IMAGES_ARRIVED_DLQ = "segflow.images.arrived.dlq";
  /** SegmentationCompleted, key = dataset. */
  public static final String SEGMENTATIONS_COMPLETED = "segflow.segmentations.completed";

  public static final List<String> ALL = List.of(IMAGES_ARRIVED, IMAGES_ARRIVED_DLQ, SEGMENTATIONS_COMPLETED);

  private EventTopics() {}
}
