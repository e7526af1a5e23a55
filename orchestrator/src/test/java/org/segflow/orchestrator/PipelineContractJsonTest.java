package org.segflow.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.segflow.contract.FindBestResult;
import org.segflow.contract.PipelineProgress;
import org.segflow.contract.PipelineResult;
import org.segflow.contract.PipelineStage;
import org.segflow.contract.PredictResult;
import org.segflow.contract.StepRef;

/**
 * The progress query's stage and the pipeline's result as Temporal's JSON carries them: a stage is its
 * lower-case word as before the enum, and what a worker or history of the time when find-best was
 * called ensemble wrote still reads.
 */
class PipelineContractJsonTest {

  private static final DataConverter JSON = DefaultDataConverter.newDefaultInstance();

  @Test
  void aStageTravelsAsItsWord() {
    String json = json(new PipelineProgress(PipelineStage.FIND_BEST, List.of()));
    assertTrue(json.contains("\"stage\":\"find-best\""), json);
    for (PipelineStage s : PipelineStage.values()) {
      assertEquals(s, read(json(new PipelineProgress(s, List.of())), PipelineProgress.class).stage());
    }
    assertEquals("train", PipelineStage.TRAIN.toString(), "status prints the word");
  }

  @Test
  void theFormerWordsStillRead() {
    assertEquals(PipelineStage.FIND_BEST, read("{\"stage\":\"ensemble\",\"folds\":[]}", PipelineProgress.class).stage());
    assertEquals(PipelineStage.CANCELLED, read("{\"stage\":\"cancelled\",\"folds\":[]}", PipelineProgress.class).stage());
    assertThrows(RuntimeException.class, () -> read("{\"stage\":\"ensembled\",\"folds\":[]}", PipelineProgress.class));

    StepRef info = new StepRef("results/Dataset001_X/inference_information.json", "ab");
    FindBestResult found = new FindBestResult(info, info, info, "nnUNetTrainer__nnUNetPlans__2d", 0.8, 0.82, true,
        "key", false);
    PipelineResult now = new PipelineResult(null, null, null, null, List.of(), List.of(), found, null);
    String json = json(now);
    assertTrue(json.contains("\"findBest\":{"), json);
    PipelineResult before = read(json.replace("\"findBest\":", "\"ensemble\":"), PipelineResult.class);
    assertEquals(found, before.findBest(), "a result written when find-best was called ensemble");
  }

  @Test
  void findBestAndPredictResultsFromBeforeTheirStepCachesStillRead() {
    String info = "{\"path\":\"results/Dataset001_X/inference_information.json\",\"sha256\":\"ab\"}";
    FindBestResult found = read("{\"inferenceInformation\":" + info + ",\"crossValidation\":" + info
        + ",\"postprocessing\":" + info + ",\"model\":\"nnUNetTrainer__nnUNetPlans__2d\","
        + "\"crossValidationDice\":0.8,\"crossValidationFovDice\":0.82,\"postprocessed\":true}", FindBestResult.class);
    assertEquals(0.8, found.crossValidationDice());
    assertEquals(null, found.cacheKey());
    assertEquals(false, found.cacheHit(), "a history of the time before find-best's cache: it ran");
    PredictResult predicted = read("{\"predictions\":\"predictions/Dataset001_X/run\",\"overlays\":\"o\","
        + "\"numCases\":2,\"summary\":null,\"testDice\":0.7,\"testFovDice\":0.72}", PredictResult.class);
    assertEquals(2, predicted.numCases());
    assertEquals(false, predicted.cacheHit());
    PredictResult now = new PredictResult("p", "o", 1, null, 0.5, Double.NaN, "k", true);
    assertEquals(now, read(json(now), PredictResult.class));
  }

  private static String json(Object value) {
    Payloads p = JSON.toPayloads(value).orElseThrow();
    return p.getPayloads(0).getData().toString(StandardCharsets.UTF_8);
  }

  private static <T> T read(String json, Class<T> type) {
    Payloads p = JSON.toPayloads(json).orElseThrow();
    // the string's payload is its JSON string; rebuild it as raw JSON bytes with the same metadata
    Payloads raw = Payloads.newBuilder().addPayloads(p.getPayloads(0).toBuilder()
        .setData(com.google.protobuf.ByteString.copyFrom(json, StandardCharsets.UTF_8))).build();
    return JSON.fromPayloads(0, Optional.of(raw), type, type);
  }
}
