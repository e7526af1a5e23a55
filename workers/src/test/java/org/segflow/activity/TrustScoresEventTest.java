package org.segflow.activity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DefaultDataConverter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.contract.InferenceRequest;
import org.segflow.contract.InferenceResult;
import org.segflow.contract.SegmentationOutputs;
import org.segflow.contract.StepRef;
import org.segflow.contract.TrustScores;
import org.segflow.events.SegmentationCompleted;
import org.segflow.events.TrustFlag;
import org.segflow.storage.SegflowPaths;

/** Trust scores through the workflow history (JSON) and into SegmentationCompleted. */
class TrustScoresEventTest {

  private static final TrustScores FLAGGED = new TrustScores(7.5, 3.2, "log_height", 0.81, 0.9, 1.5, 3.0,
      List.of(TrustScores.OUT_OF_DISTRIBUTION, TrustScores.LOW_CONFIDENCE));

  private static SegmentationOutputs outputs(TrustScores trust) {
    StepRef ref = new StepRef("predictions/Dataset007_Sample/v1/a.png", "ab");
    return new SegmentationOutputs("v1", ref, ref, ref, 0.1, 64, 64, 40, trust, trust == null ? 0 : 3);
  }

  private static InferenceResult result(SegmentationOutputs o) {
    InferenceRequest r = new InferenceRequest("Dataset007_Sample", "/inbox/a.png", "file:///inbox/a.png",
        "ab".repeat(32), 1000, null);
    return new InferenceResult("infer-x", r, o, 2000, 10, 500, 2600);
  }

  @Test
  void scoresSurviveTheHistoryAndOlderHistoriesReadAsUnscored() {
    var converter = DefaultDataConverter.STANDARD_INSTANCE;
    Optional<Payloads> payloads = converter.toPayloads(outputs(FLAGGED));
    SegmentationOutputs back = converter.fromPayloads(0, payloads, SegmentationOutputs.class,
        SegmentationOutputs.class);
    assertEquals(FLAGGED, back.trust());
    assertEquals(3, back.scoreMillis());
    // an activity result recorded before the field existed
    String old = "{\"modelVersion\":\"v1\",\"labelMap\":{\"path\":\"p\",\"sha256\":\"s\"},\"mask\":null,"
        + "\"overlay\":null,\"foregroundFraction\":0.1,\"height\":64,\"width\":64,\"predictMillis\":40}";
    Payloads oldPayloads = Payloads.newBuilder().addPayloads(io.temporal.api.common.v1.Payload.newBuilder()
        .putMetadata("encoding", com.google.protobuf.ByteString.copyFromUtf8("json/plain"))
        .setData(com.google.protobuf.ByteString.copyFromUtf8(old))).build();
    SegmentationOutputs legacy = converter.fromPayloads(0, Optional.of(oldPayloads), SegmentationOutputs.class,
        SegmentationOutputs.class);
    assertNull(legacy.trust());
    assertEquals(0, legacy.scoreMillis(), "no scoring time in an older history");
    assertEquals(64, legacy.height());
  }

  @Test
  void theEventCarriesScoresAndFlagsOnlyWhenScored(@TempDir Path home) throws Exception {
    SegflowPaths paths = SegflowPaths.under(home);
    SegmentationCompleted scored = ArrivalActivitiesImpl.event(paths, result(outputs(FLAGGED)));
    assertTrue(scored.hasTrust());
    assertEquals(7.5, scored.getTrust().getDriftScore());
    assertEquals(3.2, scored.getTrust().getDriftThreshold());
    assertEquals("log_height", scored.getTrust().getDriftFeature());
    assertEquals(0.9, scored.getTrust().getConfidenceThreshold());
    assertEquals(List.of(TrustFlag.OUT_OF_DISTRIBUTION, TrustFlag.LOW_CONFIDENCE), scored.getFlagsList());
    assertEquals(3, scored.getDurations().getScoreMs());

    SegmentationCompleted unscored = ArrivalActivitiesImpl.event(paths, result(outputs(null)));
    assertFalse(unscored.hasTrust());
    assertEquals(0, unscored.getFlagsCount());
    assertEquals(0, unscored.getDurations().getScoreMs());
    assertEquals(scored, SegmentationCompleted.parseFrom(scored.toByteArray()));
  }
}
