package org.segflow.postprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.evaluate.LabelMap;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.storage.Json;

class PostprocessingSelectorTest {

  private static final int H = 12;
  private static final int W = 12;

  private static short[] blank() {
    return new short[H * W];
  }

  private static short[] rect(short[] seg, int label, int y0, int x0, int y1, int x1) {
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        seg[y * W + x] = (short) label;
      }
    }
    return seg;
  }

  private static LabeledCase labeled(String name, short[] pred, short[] ref) {
    return new LabeledCase("pred/" + name, "ref/" + name, new LabelMap(H, W, pred),
        new LabelMap(H, W, ref));
  }

  @Test
  void removingAFalsePositiveIslandIsAccepted() {
    short[] ref = rect(blank(), 1, 2, 2, 6, 6);
    short[] pred = rect(rect(blank(), 1, 2, 2, 6, 6), 1, 10, 10, 11, 11);
    PostprocessingDecision d = new PostprocessingSelector(List.of(1), OptionalInt.empty())
        .select(List.of(labeled("a", pred, ref)));
    assertEquals(List.of(KeepLargestComponent.ofForeground(List.of(1))), d.postprocessing().steps());
    assertEquals(32.0 / 33, d.before().foregroundMeanDice(), 1e-15);
    assertEquals(1.0, d.after().foregroundMeanDice(), 0.0);
  }

  @Test
  void removingARealComponentIsRejected() {
    short[] ref = rect(rect(blank(), 1, 0, 0, 3, 3), 1, 8, 8, 10, 10);
    PostprocessingDecision d = new PostprocessingSelector(List.of(1), OptionalInt.empty())
        .select(List.of(labeled("a", ref.clone(), ref)));
    assertTrue(d.postprocessing().isNone());
    assertEquals(d.before(), d.after());
  }

  @Test
  void noChangeIsNotAnImprovement() {
    short[] ref = rect(blank(), 1, 0, 0, 3, 3);
    PostprocessingDecision d = new PostprocessingSelector(List.of(1), OptionalInt.empty())
        .select(List.of(labeled("a", ref.clone(), ref)));
    assertTrue(d.postprocessing().isNone());
  }

  /**
   * Label 1 has a 9-pixel false-positive island; label 2 touches label 1's square except for one
   * correct separate pixel. Keeping the largest foreground component raises the foreground mean but
   * lowers label 2, so step 1 is rejected; per label, label 1 improves and label 2 does not.
   */
  static LabeledCase twoLabelCase() {
    short[] ref = rect(rect(rect(blank(), 1, 0, 0, 4, 4), 2, 0, 4, 4, 6), 2, 11, 0, 12, 1);
    short[] pred = rect(ref.clone(), 1, 7, 7, 10, 10);
    return labeled("b", pred, ref);
  }

  @Test
  void stepOneNeedsEveryClassToHoldAndStepTwoGoesPerLabel() {
    PostprocessingSelector selector = new PostprocessingSelector(List.of(1, 2), OptionalInt.empty());
    LabeledCase c = twoLabelCase();
    Summary fg = selector.evaluate(CaseSource.of(List.of(c)),
        new Postprocessing(List.of(KeepLargestComponent.ofForeground(List.of(1, 2)))));
    Summary base = selector.evaluate(CaseSource.of(List.of(c)), Postprocessing.NONE);
    assertTrue(fg.foregroundMeanDice() > base.foregroundMeanDice());
    assertTrue(fg.mean(2).dice() < base.mean(2).dice());

    PostprocessingDecision d = selector.select(List.of(c));
    assertEquals(List.of(KeepLargestComponent.ofLabel(1)), d.postprocessing().steps());
    assertEquals(1.0, d.after().mean(1).dice(), 0.0);
    assertEquals(1.0, d.after().mean(2).dice(), 0.0);
  }

  @Test
  void decisionJsonLooksLikeNnUnetsAndReadsBack(@TempDir Path dir) throws Exception {
    PostprocessingDecision d = new PostprocessingSelector(List.of(1, 2), OptionalInt.empty())
        .select(List.of(twoLabelCase()));
    Path file = dir.resolve("postprocessing.json");
    d.write(file);
    JsonNode root = Json.mapper().readTree(Files.readAllBytes(file));
    List<String> keys = new ArrayList<>();
    root.fieldNames().forEachRemaining(keys::add);
    assertEquals(List.of("input_folder", "postprocessed", "postprocessing_fns",
        "postprocessing_kwargs"), keys);
    assertEquals(KeepLargestComponent.FUNCTION_NAME, root.get("postprocessing_fns").get(0).asText());
    assertEquals(1, root.get("postprocessing_kwargs").get(0).get("labels_or_regions").asInt());
    assertEquals(1.0, root.get("postprocessed").get("mean").get("1").get("Dice").asDouble(), 0.0);
    assertTrue(root.get("input_folder").has("foreground_mean"));
    assertEquals(d.postprocessing(), Postprocessing.read(file));

    Postprocessing union = new Postprocessing(List.of(KeepLargestComponent.ofForeground(List.of(1, 2)),
        KeepLargestComponent.ofLabel(2)));
    Path f2 = dir.resolve("pp2.json");
    Json.write(f2, new PostprocessingDecision(union, d.before(), d.after()).toJson());
    assertTrue(Files.readString(f2).contains("\"labels_or_regions\": [\n"));
    assertEquals(union, Postprocessing.read(f2));
  }

  @Test
  void foldersAreEvaluatedPostprocessedAndPublished(@TempDir Path dir) throws Exception {
    short[] ref = rect(blank(), 1, 2, 2, 6, 6);
    short[] pred = rect(ref.clone(), 1, 10, 10, 11, 11);
    Path preds = dir.resolve("validation");
    Path refs = dir.resolve("gt");
    new LabelMap(H, W, pred).writePng(preds.resolve("a.png"));
    new LabelMap(H, W, ref).writePng(refs.resolve("a.png"));
    new LabelMap(H, W, ref).writePng(refs.resolve("b.png")); // not predicted: only a warning

    PostprocessingDecision d = new PostprocessingSelector(List.of(1), OptionalInt.empty())
        .selectForFolders(preds, refs, ".png");
    assertEquals(d.postprocessing(), Postprocessing.read(preds.resolve("postprocessing.json")));
    assertEquals(1, d.before().cases().size());

    Path out = PostprocessingFolders.writePostprocessed(preds, d, ".png");
    assertArrayEquals(ref, LabelMap.read(out.resolve("a.png")).labels());
    Summary after = SummaryJson.read(out.resolve("summary.json"));
    assertEquals(1.0, after.foregroundMeanDice(), 0.0);
    assertEquals(out.resolve("a.png").toString(), after.cases().get(0).predictionFile());
  }
}
