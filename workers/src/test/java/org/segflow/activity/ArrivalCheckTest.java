package org.segflow.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.PipelineWorkflow;
import org.segflow.dataset.DatasetManifest;
import org.segflow.io.TestImages;
import org.segflow.storage.SegflowPaths;

/** The inference workflow's check step, which refuses what cannot be segmented before the gpu sees it. */
class ArrivalCheckTest {

  @TempDir
  Path home;

  @Test
  void anImageBombIsAFinalInvalidInputNamingTheFileAndItsSize() {
    Path bomb = TestImages.pngBomb(home.resolve("inbox/bomb.png"), 30000, 30000, 8);
    InferenceRequest request = new InferenceRequest("7", bomb.toString(), bomb.toUri().toString(),
        DatasetManifest.sha256(bomb), 0, null);
    ArrivalActivitiesImpl check = new ArrivalActivitiesImpl(SegflowPaths.under(home), null);
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> check.checkImage(request));
    // non-retryable and of the type the workflow dead-letters as INVALID_IMAGE
    assertTrue(f.isNonRetryable());
    assertEquals(PipelineWorkflow.INVALID_INPUT, f.getType());
    assertEquals(bomb + ": image header declares 30000x30000 (WxH) = 900.0 megapixels, more than the limit of"
        + " 100.0 megapixels; refused before decoding (raise the limit with SEGFLOW_MAX_IMAGE_PIXELS or"
        + " -Dsegflow.maxImagePixels)", f.getOriginalMessage());
  }
}
