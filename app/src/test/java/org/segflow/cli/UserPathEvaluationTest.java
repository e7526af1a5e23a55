package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.evaluate.Summary;
import org.segflow.evaluate.SummaryJson;
import org.segflow.storage.Json;
import picocli.CommandLine;

/**
 * The users' path: their folder (crop_test/0..7 and crop_train/8..15, numbered as DRIVE numbers test
 * before training, so convert pads to two digits) through convert, plan, a tiny training, predict of
 * crop_test alone and evaluate against crop_test itself, scoring as the converted labelsTs/masksTs.
 */
class UserPathEvaluationTest {

  @Test
  void predictCropTestAndEvaluateAgainstIt(@TempDir Path dir) throws Exception {
    String home = dir.resolve("home").toString();
    Path src = dir.resolve("src");
    run("sample", "--out", src.toString(), "--cases", "8", "--test-cases", "8", "--size", "64x64",
        "--seed", "3");
    for (int n = 7; n >= 0; n--) {
      Files.move(src.resolve("crop_train/" + n), src.resolve("crop_train/" + (n + 8)));
    }
    run("convert", src.toString(), "-d", "903", "--name", "Infer", "--home", home);
    run("plan-and-preprocess", "-d", "903", "--home", home);
    run("train", "-d", "903", "-f", "0", "--epochs", "2", "--iterations-per-epoch", "2",
        "--val-iterations", "1", "--device", "cpu", "--home", home);

    Path out = dir.resolve("pred");
    run("predict", "-i", src.resolve("crop_test").toString(), "-o", out.toString(), "-d", "903",
        "-f", "0", "--device", "cpu", "--home", home);
    Path raw = dir.resolve("home/raw/Dataset903_Infer");
    for (int n = 0; n < 8; n++) {
      String id = "Infer_0" + n;
      assertTrue(Files.exists(raw.resolve("labelsTs/" + id + ".png")), "convert wrote " + id);
      assertTrue(Files.exists(out.resolve(id + ".png")), "predict wrote " + id);
    }

    Path users = dir.resolve("users.json");
    Path usersRoot = dir.resolve("users-root.json");
    Path converted = dir.resolve("converted.json");
    run("evaluate", out.toString(), src.resolve("crop_test").toString(), "-o", users.toString());
    run("evaluate", out.toString(), src.toString(), "-o", usersRoot.toString());
    run("evaluate", out.toString(), raw.resolve("labelsTs").toString(), "--mask-dir",
        raw.resolve("masksTs").toString(), "-o", converted.toString());

    Summary expected = SummaryJson.read(converted);
    assertEquals(8, expected.cases().size());
    assertTrue(expected.hasFov());
    for (Path file : List.of(users, usersRoot)) {
      Summary s = SummaryJson.read(file);
      assertEquals(expected.means(), s.means(), file.toString());
      assertEquals(expected.fovMeans(), s.fovMeans(), file.toString());
      assertEquals(metrics(expected), metrics(s), file.toString());
      JsonNode reference = Json.mapper().readTree(Files.readAllBytes(file))
          .get(EvaluateCommand.REFERENCE_SECTION);
      assertEquals("users_layout", reference.get("layout").asText());
      assertEquals("mask.* of each case folder", reference.get("fov").asText());
    }
    JsonNode nnunet = Json.mapper().readTree(Files.readAllBytes(converted))
        .get(EvaluateCommand.REFERENCE_SECTION);
    assertEquals("nnunet_labels", nnunet.get("layout").asText());
  }

  private static List<Object> metrics(Summary s) {
    return s.cases().stream().map(c -> (Object) List.of(c.metrics(), c.fov().metrics())).toList();
  }

  private static void run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    assertEquals(0, code, String.join(" ", args) + "\n" + err);
  }
}
