package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.segflow.io.TestImages;
import org.segflow.pipeline.TrainedSample;

/**
 * A corpus of hostile inputs through `segflow convert` and `segflow predict`, in process: each refused one exits
 * with status 3 (convert) or 1 (predict, the others written), names the file and what was wrong, and leaves no
 * partial output: no raw/Dataset folder after a refused convert, only the good images' files after predict.
 */
class HostileInputCorpusTest {

  private static final int W = 8;

  /** One hostile source case ({@code crop_train/1} or an input file), what the command must say, its exit. */
  record Hostile(String name, Consumer<Path> plant, int exit, List<String> said) {
    @Override
    public String toString() {
      return name;
    }
  }

  @TempDir
  static Path shared;

  static Path home;

  @BeforeAll
  static void trainTheModel() {
    home = shared.resolve("home");
    TrainedSample.train(home, 7, 1, 2, "0");
  }

  // ---- convert ----

  static Stream<Hostile> convertCorpus() {
    return Stream.of(
        new Hostile("label value 7", c -> {
          image(c.resolve("image.png"));
          int[] v = label255();
          v[3] = 7;
          TestImages.gray8(c.resolve("label.png"), W, v);
        }, SegflowCommand.EXIT_INVALID_INPUT, List.of("crop_train/1/label.png", "7")),
        new Hostile("image and label of different sizes", c -> {
          image(c.resolve("image.png"));
          TestImages.gray8(c.resolve("label.png"), W + 1, new int[(W + 1) * W]);
        }, SegflowCommand.EXIT_INVALID_INPUT, List.of("crop_train/1/label.png", "size mismatch")),
        new Hostile("truncated PNG", c -> {
          image(c.resolve("image.png"));
          truncate(c.resolve("image.png"));
          TestImages.gray8(c.resolve("label.png"), W, label255());
        }, SegflowCommand.EXIT_INVALID_INPUT, List.of("crop_train/1/image.png")),
        new Hostile("text named image.png", c -> {
          write(c.resolve("image.png"), "#!/bin/sh\necho not an image\n");
          TestImages.gray8(c.resolve("label.png"), W, label255());
        }, SegflowCommand.EXIT_INVALID_INPUT, List.of("crop_train/1/image.png", "not a readable PNG, TIFF, BMP, GIF, JPEG or PPM/PGM image")),
        new Hostile("JPEG label", c -> {
          image(c.resolve("image.png"));
          TestImages.gray8(c.resolve("label.jpg"), W, label255(), "jpg");
        }, SegflowCommand.EXIT_INVALID_INPUT, List.of("crop_train/1/label.jpg")),
        new Hostile("symlink to /etc/passwd named image.png", c -> {
          symlink(c.resolve("image.png"), Path.of("/etc/passwd"));
          TestImages.gray8(c.resolve("label.png"), W, label255());
        }, SegflowCommand.EXIT_INVALID_INPUT, List.of("crop_train/1/image.png")),
        new Hostile("PNG bomb 30000x30000", c -> {
          TestImages.pngBomb(c.resolve("image.png"), 30000, 30000, 4);
          TestImages.gray8(c.resolve("label.png"), W, label255());
        }, SegflowCommand.EXIT_INVALID_INPUT, List.of("crop_train/1/image.png", "30000x30000")),
        new Hostile("RGBA image (converted by luma)", c -> {
          int[] rgba = new int[W * W * 4];
          Arrays.fill(rgba, 200);
          TestImages.rgba8(c.resolve("image.png"), W, rgba);
          TestImages.gray8(c.resolve("label.png"), W, label255());
        }, 0, List.of("Converted Dataset")),
        new Hostile("16-bit image among 8-bit ones (converted with a warning)", c -> {
          TestImages.gray16(c.resolve("image.png"), W, new int[W * W]);
          TestImages.gray8(c.resolve("label.png"), W, label255());
        }, 0, List.of("1 warning(s) logged above (WARN)")));
  }

  @ParameterizedTest(name = "convert: {0}")
  @MethodSource("convertCorpus")
  void convertRefusesOrConvertsEachHostileCase(Hostile h, @TempDir Path dir) throws Exception {
    Path src = dir.resolve("src");
    for (String n : List.of("0", "2")) {
      good(src.resolve("crop_train").resolve(n));
    }
    Path hostile = Files.createDirectories(src.resolve("crop_train/1"));
    h.plant().accept(hostile);
    Path h2 = dir.resolve("home");
    CommandRun run = CommandRun.start("convert", src.toString(), "-d", "31", "--name", "Hostile",
        "--channels", "gray", "--home", h2.toString());
    int exit = run.exitCode();
    String said = run.output() + run.errors();
    assertEquals(h.exit(), exit, said);
    for (String s : h.said()) {
      assertTrue(said.contains(s), "'" + s + "' in:\n" + said);
    }
    assertFalse(said.contains("\tat org.segflow"), "no stack trace:\n" + said);
    Path dataset = h2.resolve("raw/Dataset031_Hostile");
    assertEquals(exit == 0, Files.isDirectory(dataset), "a dataset folder only when converted");
    if (exit != 0 && Files.isDirectory(h2.resolve("raw"))) {
      try (Stream<Path> left = Files.list(h2.resolve("raw"))) {
        assertEquals(List.of(), left.toList(), "nothing left under raw/");
      }
    }
  }

  // ---- names ----

  /**
   * A hostile name for a case folder (convert) and an input file (predict, NAME.png): names are data, never run
   * or resolved; a name starting with a dot is a hidden entry (an editor's or a copy's temporary), which both
   * commands pass over.
   */
  record Name(String name, boolean hidden) {
    @Override
    public String toString() {
      return name.replace("\n", "\\n");
    }
  }

  static Stream<Name> hostileNames() {
    return Stream.of(new Name("new\nline", false), new Name("1..2", false), new Name("..hidden", true),
        new Name("$(touch pwned)", false), new Name("ünïcödé-眼底", false), new Name("back`tick`", false));
  }

  @ParameterizedTest(name = "convert: case folder {0}")
  @MethodSource("hostileNames")
  void convertTakesHostileCaseFolderNamesAsData(Name hostile, @TempDir Path dir) throws Exception {
    String name = hostile.name();
    Path src = dir.resolve("src");
    good(src.resolve("crop_train/0"));
    good(src.resolve("crop_train/1"));
    good(src.resolve("crop_train").resolve(name));
    Path h2 = dir.resolve("home");
    CommandRun run = CommandRun.start("convert", src.toString(), "-d", "32", "--name", "Names", "--home",
        h2.toString());
    int exit = run.exitCode();
    String said = run.output() + run.errors();
    assertFalse(Files.exists(Path.of("pwned")) || Files.exists(src.resolve("pwned")), "nothing executed");
    assertFalse(said.contains("\tat org.segflow"), "no stack trace:\n" + said);
    assertEquals(0, exit, said);
    assertTrue(said.contains("Converted Dataset032_Names (CROP_FOLDERS layout): " + (hostile.hidden() ? 2 : 3)
        + " training cases"), said);
    try (Stream<Path> files = Files.walk(h2)) {
      files.forEach(f -> assertTrue(f.normalize().startsWith(h2), f + " stays under the home"));
    }
    // the case id is the folder's name as it is (a newline included), inside imagesTr/ and nowhere else
    Path imagesTr = h2.resolve("raw/Dataset032_Names/imagesTr");
    assertEquals(!hostile.hidden(), Files.isRegularFile(imagesTr.resolve("Names_" + name + "_0000.png")));
    try (Stream<Path> images = Files.list(imagesTr)) {
      assertEquals(hostile.hidden() ? 2 : 3, images.count());
    }
  }

  // ---- predict ----

  static Stream<Hostile> predictCorpus() {
    return Stream.of(
        new Hostile("truncated PNG", f -> {
          image(f);
          truncate(f);
        }, 1, List.of("unreadable image: Error reading PNG image data")),
        new Hostile("text named .png", f -> write(f, "<?php system($_GET['c']); ?>"), 1,
            List.of("not a readable PNG, TIFF, BMP, GIF, JPEG or PPM/PGM image")),
        new Hostile("symlink to /etc/passwd", f -> symlink(f, Path.of("/etc/passwd")), 1,
            List.of("not a readable")),
        new Hostile("PNG bomb 30000x30000", f -> TestImages.pngBomb(f, 30000, 30000, 4), 1,
            List.of("30000x30000", "refused before decoding")),
        new Hostile("gray + alpha", f -> TestImages.grayAlpha(f, 2, new int[] {1, 255, 2, 255}), 1,
            List.of("2 channels", "the model was trained on")));
  }

  @ParameterizedTest(name = "predict: {0}")
  @MethodSource("predictCorpus")
  void predictWritesTheGoodImagesOnly(Hostile h, @TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    image(in.resolve("good.png"));
    Path bad = in.resolve("bad.png");
    h.plant().accept(bad);
    Path out = dir.resolve("out");
    CommandRun run = CommandRun.start("predict", "-i", in.toString(), "-o", out.toString(), "-d", "7", "-f", "0",
        "--device", "cpu", "--disable-tta", "--home", home.toString());
    int exit = run.exitCode();
    String said = run.output() + run.errors();
    assertEquals(h.exit(), exit, said);
    assertTrue(said.contains(bad.toString()), "names " + bad + ":\n" + said);
    for (String s : h.said()) {
      assertTrue(said.contains(s), "'" + s + "' in:\n" + said);
    }
    assertFalse(said.contains("\tat org.segflow"), "no stack trace:\n" + said);
    assertTrue(Files.isRegularFile(out.resolve("good.png")), said);
    assertFalse(Files.exists(out.resolve("bad.png")), "nothing written for the refused image");
    try (Stream<Path> files = Files.walk(out)) {
      assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("bad"))
          .filter(f -> !f.equals(bad)).toList(), "no partial output of the refused image");
    }
  }

  @ParameterizedTest(name = "predict: input file {0}.png")
  @MethodSource("hostileNames")
  void predictTakesHostileFileNamesAsData(Name hostile, @TempDir Path dir) throws Exception {
    String name = hostile.name();
    Path in = Files.createDirectories(dir.resolve("in"));
    image(in.resolve("good.png"));
    image(in.resolve(name + ".png"));
    Path out = dir.resolve("out");
    CommandRun run = CommandRun.start("predict", "-i", in.toString(), "-o", out.toString(), "-d", "7", "-f", "0",
        "--device", "cpu", "--disable-tta", "--home", home.toString());
    int exit = run.exitCode();
    String said = run.output() + run.errors();
    assertEquals(0, exit, said);
    assertFalse(said.contains("\tat org.segflow"), "no stack trace:\n" + said);
    assertFalse(Files.exists(Path.of("pwned")) || Files.exists(in.resolve("pwned")), "nothing executed");
    assertTrue(Files.isRegularFile(out.resolve("good.png")), said);
    assertEquals(!hostile.hidden(), Files.isRegularFile(out.resolve(name + ".png")), said);
    try (Stream<Path> files = Files.walk(dir)) {
      files.filter(f -> !f.startsWith(in) && !f.startsWith(out)).filter(Files::isRegularFile)
          .forEach(f -> assertTrue(false, f + " written outside the output folder"));
    }
  }

  // ---- fixtures ----

  private static void good(Path caseDir) {
    image(caseDir.resolve("image.png"));
    TestImages.gray8(caseDir.resolve("label.png"), W, label255());
  }

  private static void image(Path file) {
    int[] rgb = new int[W * W * 3];
    for (int i = 0; i < rgb.length; i++) {
      rgb[i] = (i * 29) % 256;
    }
    TestImages.rgb8(file, W, rgb);
  }

  private static int[] label255() {
    int[] v = new int[W * W];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 3 == 0 ? 255 : 0;
    }
    return v;
  }

  private static void truncate(Path file) {
    try {
      byte[] b = Files.readAllBytes(file);
      Files.write(file, Arrays.copyOf(b, b.length / 2));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void symlink(Path link, Path target) {
    try {
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, target);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
