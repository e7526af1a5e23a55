package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input exits with status 3, names the file and what was expected, and writes nothing. */
class CommandLineErrorsTest {

  @Test
  void labelWithUnexpectedValuesIsRejectedAndNothingIsWritten(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    for (int n = 0; n < 3; n++) {
      Path c = Files.createDirectories(src.resolve("crop_train/" + n));
      write(c.resolve("image.png"), BufferedImage.TYPE_3BYTE_BGR, 0x406080);
      write(c.resolve("label.png"), BufferedImage.TYPE_BYTE_GRAY, n == 1 ? 0x808080 : 0xFFFFFF);
      write(c.resolve("mask.png"), BufferedImage.TYPE_BYTE_GRAY, 0xFFFFFF);
    }
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("convert", src.toString(), "-d", "9", "--name", "Bad", "--home", dir.resolve("home").toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, code, err.toString());
    assertTrue(err.toString().contains("crop_train/1/label.png"), err.toString());
    assertTrue(err.toString().contains("128"), err.toString());
    assertFalse(Files.exists(dir.resolve("home/raw/Dataset009_Bad")), "no half-written dataset");
  }

  @Test
  void trainingWithoutPlansSaysWhatToRun(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    CommandLine cl = SegflowCommand.commandLine();
    cl.setErr(new PrintWriter(err));
    Path raw = dir.resolve("home/raw/Dataset003_X");
    raw.toFile().mkdirs();
    int code = cl.execute("train", "-d", "3", "-f", "0", "--home", dir.resolve("home").toString());
    assertEquals(SegflowCommand.EXIT_INVALID_INPUT, code, err.toString());
    assertTrue(err.toString().contains("segflow plan-and-preprocess -d 3"), err.toString());
  }

  @Test
  void aMemoryTargetThatIsNoPositiveNumberIsRefusedBeforeTheFingerprint(@TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    for (int n = 0; n < 2; n++) {
      Path c = Files.createDirectories(src.resolve("crop_train/" + n));
      write(c.resolve("image.png"), BufferedImage.TYPE_3BYTE_BGR, 0x406080);
      write(c.resolve("label.png"), BufferedImage.TYPE_BYTE_GRAY, 0xFFFFFF);
    }
    String home = dir.resolve("home").toString();
    assertEquals(0, SegflowCommand.commandLine().execute("convert", src.toString(), "-d", "9", "--name", "Ok",
        "--home", home));
    for (String gb : new String[] {"0", "-1", "NaN"}) {
      StringWriter err = new StringWriter();
      CommandLine cl = SegflowCommand.commandLine();
      cl.setErr(new PrintWriter(err));
      int code = cl.execute("plan-and-preprocess", "-d", "9", "--memory-target-gb", gb, "--home", home);
      assertEquals(SegflowCommand.EXIT_INVALID_INPUT, code, err.toString());
      assertEquals("--memory-target-gb must be a positive number of GB, got " + Double.parseDouble(gb),
          err.toString().strip().replaceFirst("^segflow: ", ""));
      assertFalse(Files.exists(dir.resolve("home/preprocessed/Dataset009_Ok")), "no fingerprint taken");
    }
  }

  @Test
  void anUnknownLayoutNameOrFolderListsTheLayoutsAccepted(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("src/photos"));
    String home = dir.resolve("home").toString();
    for (String[] layout : new String[][] {{"--layout", "isbi"}, {}}) {
      StringWriter err = new StringWriter();
      CommandLine cl = SegflowCommand.commandLine();
      cl.setErr(new PrintWriter(err));
      String[] args = {"convert", src.getParent().toString(), "-d", "9", "--name", "X", "--home", home};
      String[] all = Stream.concat(Arrays.stream(args),
          Arrays.stream(layout)).toArray(String[]::new);
      assertEquals(SegflowCommand.EXIT_INVALID_INPUT, cl.execute(all), err.toString());
      for (String name : new String[] {"drive", "chase", "stare", "hrf", "crop"}) {
        assertTrue(err.toString().contains(name), err.toString());
      }
    }
  }

  @Test
  void aChaseReleaseConvertsWithItsComputedMasksNoted(@TempDir Path dir) throws Exception {
    Path src = Files.createDirectories(dir.resolve("CHASEDB1"));
    for (String key : new String[] {"01L", "01R"}) {
      write(src.resolve("Image_" + key + ".jpg"), BufferedImage.TYPE_3BYTE_BGR, 0x406080);
      write(src.resolve("Image_" + key + "_1stHO.png"), BufferedImage.TYPE_BYTE_GRAY, 0xFFFFFF);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream before = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = SegflowCommand.commandLine().execute("convert", src.toString(), "-d", "9", "--name",
          "Chase", "--layout", "chase", "--home", dir.resolve("home").toString());
    } finally {
      System.setOut(before);
    }
    String log = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, log);
    assertTrue(log.contains("field-of-view masks computed from the image"), log);
    assertTrue(log.contains("no official train/test split"), log);
    assertTrue(Files.isRegularFile(dir.resolve("home/raw/Dataset009_Chase/masksTr/Chase_01R.png")));
    assertTrue(Files.readString(dir.resolve("home/raw/Dataset009_Chase/manifest.json"))
        .contains("\"notes\""));
  }

  private static void write(Path file, int type, int rgb) throws Exception {
    BufferedImage img = new BufferedImage(40, 40, type);
    for (int y = 10; y < 30; y++) {
      for (int x = 10; x < 30; x++) {
        if (type == BufferedImage.TYPE_BYTE_GRAY) {
          img.getRaster().setSample(x, y, 0, rgb & 0xFF); // raw value, no colour-space conversion
        } else {
          img.setRGB(x, y, rgb);
        }
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }
}
