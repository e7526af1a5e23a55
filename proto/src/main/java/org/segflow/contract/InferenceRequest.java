package org.segflow.contract;

/**
 * Segment one arrived image. The bridge has checked the event; the workflow checks the file again
 * because it may change between the event and the work.
 *
 * @param dataset        the dataset folder name (DatasetNNN_Name), as the bridge resolved it
 * @param imagePath      absolute path of the image (inside an allowed inbox root)
 * @param imageUri       the event's URI, echoed in the result event
 * @param sha256         the file's sha256 (hex) as the event gave it
 * @param arrivedAtMillis the event's arrived_at (epoch milliseconds; 0 when absent)
 * @param labelUri       a reference segmentation's URI, or null
 */
public record InferenceRequest(String dataset, String imagePath, String imageUri, String sha256,
    long arrivedAtMillis, String labelUri) {

  public InferenceRequest {
    if (dataset == null || dataset.isBlank() || sha256 == null || sha256.isBlank()) {
      throw new IllegalArgumentException("an inference request needs a dataset and a sha256");
    }
  }

  /** {@code infer-<dataset>-<sha256>}: one workflow per image content and dataset. */
  public String workflowId() {
    return InferenceWorkflow.workflowId(dataset, sha256);
  }
}
