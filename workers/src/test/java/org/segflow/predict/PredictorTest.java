package org.segflow.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.io.ImageArray;
import org.segflow.io.ImageFiles;
import org.segflow.io.Luma;
import org.segflow.io.NpyFile;
import org.segflow.io.TestImages;
import org.segflow.net.Engines;
import org.segflow.pipeline.TrainedSample;
import org.segflow.storage.SegflowPaths;

/** Prediction end to end on a sample trained for two folds (1 epoch, 3 iterations, 64 px). */
class PredictorTest {

  private static final int ID = 7;

  @TempDir
  static Path home;

  static SegflowPaths paths;
  static Path imagesTs;

  @BeforeAll
  static void train() {
    TrainedSample.train(home, ID, 1, 3, "0", "1");
    paths = SegflowPaths.under(home);
    imagesTs = paths.raw().resolve("Dataset007_Sample").resolve("imagesTs");
  }

  private static PredictionJob.Request request(Path in, Path out, List<String> folds, PredictionOptions o) {
    return new PredictionJob.Request(in, out, Integer.toString(ID), "2d", "nnUNetPlans", folds,
        ModelFiles.CheckpointChoice.FINAL, o, true, "cpu", 2);
  }

  private static PredictionJob.Result predict(Path in, Path out, List<String> folds, PredictionOptions o) {
    return new PredictionJob(paths).run(request(in, out, folds, o), PredictionListener.NONE);
  }

  private static TrainedModel model(String... folds) {
    Device cpu = Engines.device("cpu", Engines.pytorch(2));
    return TrainedModel.load(ModelFiles.locate(paths, Integer.toString(ID), "2d", "nnUNetPlans", List.of(folds),
        ModelFiles.CheckpointChoice.FINAL), cpu, true);
  }

  @Test
  void writesFourOutputsPerCaseInTheInputGeometry(@TempDir Path out) {
    PredictionJob.Result r = predict(imagesTs, out, List.of("0", "1"),
        PredictionOptions.defaults().withSaveProbabilities(true));
    assertTrue(r.report().ok(), r.report().failures().toString());
    assertEquals(InputScanner.Layout.NNUNET, r.layout());
    assertEquals(List.of("Sample_0", "Sample_1"), r.report().written());
    for (String id : r.report().written()) {
      ImageArray input = ImageFiles.read(imagesTs.resolve(id + "_0000.png"));
      CaseOutputs o = new CaseOutputs(out, id);
      ImageArray labels = ImageFiles.read(o.labelMap());
      ImageArray mask = ImageFiles.read(o.mask());
      ImageArray overlay = ImageFiles.read(o.overlay());
      assertEquals(1, labels.channels());
      assertEquals(3, overlay.channels());
      for (ImageArray a : List.of(labels, mask, overlay)) {
        assertTrue(a.sameGeometry(input), a + " vs " + input);
      }
      for (int i = 0; i < labels.pixels(); i++) {
        float l = labels.data()[i];
        assertTrue(l == 0 || l == 1, "label " + l);
        assertEquals(l * 255, mask.data()[i]);
        if (l == 0) { // background pixels show the gray photograph unchanged
          for (int c = 0; c < 3; c++) {
            assertEquals(input.data()[i], overlay.data()[c * labels.pixels() + i]);
          }
        }
      }
      NpyFile.NpyArray p = NpyFile.readNpz(o.probabilities()).get(CaseOutputs.PROBABILITIES_KEY);
      assertArrayEquals(new int[] {2, 1, input.height(), input.width()}, p.shape());
      float[] v = p.floats();
      int n = input.pixels();
      for (int i = 0; i < n; i++) {
        assertEquals(1.0, v[i] + v[n + i], 1e-5);
        assertEquals(labels.data()[i] == 1, v[n + i] > v[i], "argmax of the probabilities at " + i);
      }
    }
    for (String f : List.of("plans.json", "dataset.json", PredictionJob.ARGS_FILE)) {
      assertTrue(Files.isRegularFile(out.resolve(f)), f);
    }
  }

  @Test
  void foldLogitsAreAveraged() {
    try (TrainedModel both = model("0", "1"); TrainedModel zero = model("0"); TrainedModel one = model("1");
         TrainedModel twice = model("0", "0")) {
      InputCase c = new InputCase("Sample_0", List.of(imagesTs.resolve("Sample_0_0000.png")));
      PredictionOptions o = PredictionOptions.defaults();
      Predictor pBoth = new Predictor(both, o);
      ImageArray lBoth = pBoth.logits(pBoth.prepare(c));
      Predictor pZero = new Predictor(zero, o);
      ImageArray lZero = pZero.logits(pZero.prepare(c));
      Predictor pOne = new Predictor(one, o);
      ImageArray lOne = pOne.logits(pOne.prepare(c));
      Predictor pTwice = new Predictor(twice, o);
      ImageArray lTwice = pTwice.logits(pTwice.prepare(c));
      assertNotEquals(lZero, lBoth);
      assertEquals(lZero, lTwice, "a fold ensembled with itself is the fold alone");
      float[] expected = new float[lZero.data().length];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = (lZero.data()[i] + lOne.data()[i]) / 2;
      }
      assertArrayEquals(expected, lBoth.data(), 1e-6f);
    }
  }

  @Test
  void continuePredictionSkipsCompleteCases(@TempDir Path out) throws IOException {
    PredictionOptions o = PredictionOptions.defaults().withTta(false);
    predict(imagesTs, out, List.of("0"), o);
    Files.delete(new CaseOutputs(out, "Sample_1").overlay());
    PredictionJob.Result again = predict(imagesTs, out, List.of("0"), o.withContinuePrediction(true));
    assertEquals(List.of("Sample_0"), again.report().skipped());
    assertEquals(List.of("Sample_1"), again.report().written());
    assertTrue(new CaseOutputs(out, "Sample_1").complete());
  }

  @Test
  void aBadImageIsReportedAndTheOthersAreWritten(@TempDir Path in, @TempDir Path out) throws IOException {
    Files.copy(imagesTs.resolve("Sample_0_0000.png"), in.resolve("a.png"));
    Files.write(in.resolve("b.png"), new byte[] {1, 2, 3, 4});
    Files.copy(imagesTs.resolve("Sample_1_0000.png"), in.resolve("c.png"));
    PredictionReport r = predict(in, out, List.of("0"), PredictionOptions.defaults().withTta(false)).report();
    assertEquals(InputScanner.Layout.PLAIN_IMAGES, predict(in, out, List.of("0"),
        PredictionOptions.defaults().withTta(false).withContinuePrediction(true)).layout());
    assertEquals(List.of("a", "c"), r.written());
    assertEquals(1, r.failures().size());
    assertEquals("b", r.failures().get(0).caseId());
    assertTrue(r.failures().get(0).message().contains("b.png"), r.failures().get(0).message());
    assertTrue(new CaseOutputs(out, "c").complete());
    assertFalse(Files.exists(new CaseOutputs(out, "b").labelMap()));
  }

  @Test
  void anImageBombIsRefusedFromItsHeaderAndTheImageBesideItIsWritten(@TempDir Path in, @TempDir Path out)
      throws IOException {
    Files.copy(imagesTs.resolve("Sample_0_0000.png"), in.resolve("a.png"));
    Path bomb = TestImages.pngBomb(in.resolve("bomb.png"), 30000, 30000, 8);
    PredictionReport r = predict(in, out, List.of("0"), PredictionOptions.defaults().withTta(false)).report();
    assertEquals(List.of("a"), r.written());
    assertTrue(new CaseOutputs(out, "a").complete());
    assertEquals(1, r.failures().size());
    assertEquals("bomb", r.failures().get(0).caseId());
    String message = r.failures().get(0).message();
    // the reader's message alone: what failed was the header, not the channels the model was trained on
    assertEquals(bomb + ": image header declares 30000x30000 (WxH) = 900.0 megapixels, more than"
        + " the limit of 100.0 megapixels; refused before decoding (raise the limit with SEGFLOW_MAX_IMAGE_PIXELS"
        + " or -Dsegflow.maxImagePixels)", message);
    assertFalse(Files.exists(new CaseOutputs(out, "bomb").labelMap()));
  }

  @Test
  void rgbInputToAGrayModelIsConvertedByLuma(@TempDir Path in, @TempDir Path out) {
    int w = 64;
    int[] rgb = new int[w * w * 3];
    for (int i = 0; i < w * w; i++) {
      rgb[3 * i] = 40 + (i * 7) % 200;
      rgb[3 * i + 1] = (i * 3) % 120;
      rgb[3 * i + 2] = 10 + i % 30;
    }
    Path image = TestImages.rgb8(in.resolve("crop_test").resolve("3").resolve("image.png"), w, rgb);
    ChannelConverter converter = new ChannelConverter(Map.of("0", "CT"));
    ImageArray gray = converter.read(List.of(image)).image();
    assertEquals(Luma.toGray(ImageFiles.read(image), 8), gray);
    PredictionJob.Result r = predict(in, out, List.of("0"), PredictionOptions.defaults().withTta(false));
    assertEquals(InputScanner.Layout.CASE_FOLDERS, r.layout());
    assertEquals(List.of("Sample_3"), r.report().written());
    ImageArray overlay = ImageFiles.read(new CaseOutputs(out, "Sample_3").overlay());
    ImageArray labels = ImageFiles.read(new CaseOutputs(out, "Sample_3").labelMap());
    ImageArray photo = ImageFiles.read(image);
    for (int i = 0; i < w * w; i++) {
      if (labels.data()[i] == 0) {
        assertEquals(photo.data()[i], overlay.data()[i], "overlay keeps the colour photo");
      }
    }
  }

  @Test
  void anUndecodableImageIsRefusedForWhatFailedNotForItsChannels(@TempDir Path in) throws IOException {
    Path text = Files.writeString(in.resolve("notes.png"), "not an image at all");
    int[] values = new int[64 * 64];
    for (int i = 0; i < values.length; i++) {
      values[i] = (i * 37) % 256;
    }
    Path full = TestImages.gray8(in.resolve("full.png"), 64, values);
    byte[] bytes = Files.readAllBytes(full);
    Path truncated = Files.write(in.resolve("truncated.png"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
    ChannelConverter converter = new ChannelConverter(Map.of("0", "CT"));
    for (Path f : List.of(text, truncated)) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> converter.read(List.of(f)));
      assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
      assertTrue(e.getMessage().contains("not a readable") || e.getMessage().contains("unreadable"), e.getMessage());
      assertFalse(e.getMessage().contains("trained on"), e.getMessage());
    }
  }

  @Test
  void aTwoChannelImageIsRejectedNamingTheFileAndTheTraining(@TempDir Path in) {
    Path f = TestImages.grayAlpha(in.resolve("ga.png"), 2, new int[] {10, 255, 20, 255});
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> new ChannelConverter(Map.of("0", "CT")).read(List.of(f)));
    assertTrue(e.getMessage().contains("ga.png") && e.getMessage().contains("2 channels")
        && e.getMessage().contains("trained on 1 channel (CT)"), e.getMessage());
    Path rgb = TestImages.rgb8(in.resolve("rgb.png"), 1, new int[] {1, 2, 3});
    Path gray = TestImages.gray8(in.resolve("g.png"), 1, new int[] {5});
    InvalidInputException e2 = assertThrows(InvalidInputException.class,
        () -> new ChannelConverter(Map.of("0", "R", "1", "G", "2", "B")).read(List.of(gray)));
    assertTrue(e2.getMessage().contains("g.png") && e2.getMessage().contains("3 channels (R, G, B)"),
        e2.getMessage());
    assertEquals(3, new ChannelConverter(Map.of("0", "R", "1", "G", "2", "B")).read(List.of(rgb)).image()
        .channels());
  }

  @Test
  void missingFoldsAndAFileAsOutputAreClearErrors(@TempDir Path tmp) throws IOException {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> predict(imagesTs, tmp.resolve("o"), List.of("0", "3"), PredictionOptions.defaults()));
    assertTrue(e.getMessage().contains("segflow train -d " + ID + " -c 2d -f 3"), e.getMessage());
    InvalidInputException best = assertThrows(InvalidInputException.class, () -> ModelFiles.locate(paths,
        Integer.toString(ID), "2d", "nnUNetPlans", List.of("4"), ModelFiles.CheckpointChoice.BEST));
    assertTrue(best.getMessage().contains("checkpoint_best.zip"), best.getMessage());
    Path file = Files.writeString(tmp.resolve("file"), "x");
    InvalidInputException f = assertThrows(InvalidInputException.class,
        () -> predict(imagesTs, file, List.of("0"), PredictionOptions.defaults()));
    assertTrue(f.getMessage().contains("is a file"), f.getMessage());
  }

  @Test
  void overlayBlendsTheLabelAndTheMaskIsViewable() {
    ImageArray photo = new ImageArray(3, 1, 2, new float[] {100, 100, 50, 50, 0, 0});
    ImageArray o = Overlay.render(photo, new short[] {0, 1}, false);
    assertArrayEquals(new float[] {100, 142, 50, 173, 0, 0}, o.data());
    assertArrayEquals(new float[] {0, 255}, Overlay.mask(new short[] {0, 1}, 1, 2, 2).data());
  }
}
