package org.segflow.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `segflow demo` end to end at 64 px: the pipeline through Temporal, then the test images dropped
 * into the inbox come back segmented through the embedded Kafka broker, the bridge and InferenceWorkflow;
 * a second demo in the same home works as well.
 */
class DemoCommandTest {

  @Test
  void theDemoEndsWithEveryDroppedImageSegmented(@TempDir Path home) throws Exception {
    long t0 = System.nanoTime();
    CommandRun run = demo(home);
    assertEquals(0, run.exitCode(), run.output());
    String out = run.output();
    System.out.printf("fast demo: %.1f s%n", (System.nanoTime() - t0) / 1e9);
    assertTrue(out.contains("Test Dice (2 images)"), out);
    assertTrue(out.contains("Inbox: 2/2 dropped images segmented automatically by model v1"), out);
    for (String name : List.of("fundus-test-0.png", "fundus-test-1.png")) {
      assertTrue(Files.isRegularFile(home.resolve("inbox/Dataset001_FundusSample").resolve(name)), name);
      assertTrue(Files.isRegularFile(home.resolve("inbox/Dataset001_FundusSample/labels").resolve(name)), name);
      Matcher m = Pattern.compile("  " + Pattern.quote(name) + ": model v1, event->completed \\d+\\.\\d s, "
          + "Dice [01]\\.\\d{4} against its label\\R      label map (\\S+)\\R      mask      (\\S+)\\R"
          + "      overlay   (\\S+)").matcher(out);
      assertTrue(m.find(), name + " has its result lines:\n" + out);
      for (int g = 1; g <= 3; g++) {
        assertTrue(Files.isRegularFile(home.resolve(m.group(g))), m.group(g));
      }
      assertTrue(m.group(1).startsWith("predictions/Dataset001_FundusSample/v1/" + name.replace(".png", "_")),
          m.group(1));
    }
    assertTrue(out.contains("Demo finished in"), out);
    assertTrue(!run.errors().contains("Exception"), "no stack trace on the way out:\n" + run.errors());

    // again in the same home: the broker's data, the watcher's list and the results are reused, and the
    // images dropped again (same bytes, new time) are announced and answered again by the new stack
    CommandRun again = demo(home);
    assertEquals(0, again.exitCode(), again.output());
    assertTrue(again.output().contains("Inbox: 2/2 dropped images segmented automatically by model v1"),
        again.output());
  }

  private static CommandRun demo(Path home) {
    return CommandRun.start("demo", "--cases", "6", "--test-cases", "2", "--size", "64x64", "--epochs", "1",
        "--iterations-per-epoch", "2", "--inbox-images", "2", "--home", home.toString()); // default --threads, as README's demo
  }
}
