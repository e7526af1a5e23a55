package org.segflow.train.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpProfileTest {

  /** conv2d (10 ms) calls mkldnn (7 ms) which calls empty (1 ms); add (2 ms) runs alone; two threads. */
  private static final String TRACE = """
      {"traceEvents": [
        {"ph": "X", "name": "aten::conv2d", "pid": "CPU", "tid": 1, "ts": 100, "dur": 10000},
        {"ph": "X", "name": "aten::mkldnn_convolution", "pid": "CPU", "tid": 1, "ts": 200, "dur": 7000},
        {"ph": "X", "name": "aten::empty", "pid": "CPU", "tid": 1, "ts": 300, "dur": 1000},
        {"ph": "X", "name": "aten::add_", "pid": "CPU", "tid": 1, "ts": 10100, "dur": 2000},
        {"ph": "X", "name": "aten::add_", "pid": "CPU", "tid": 2, "ts": 150, "dur": 3000},
        {"ph": "i", "name": "marker", "pid": "CPU", "tid": 1, "ts": 400}
      ]}
      """;

  @Test
  void selfTimeIsTheOpsOwnDurationMinusWhatItCalled(@TempDir Path dir) throws Exception {
    Path trace = dir.resolve("trace.json");
    Files.writeString(trace, TRACE);
    OpProfile profile = OpProfile.read(trace);

    assertEquals(15.0, profile.tracedMillis(), 1e-9, "top-level spans of both threads: 10 + 2 + 3");
    assertEquals(new OpProfile.Op("aten::mkldnn_convolution", 1, 6.0, 7.0), profile.ops().get(0));
    assertEquals(new OpProfile.Op("aten::add_", 2, 5.0, 5.0), profile.ops().get(1));
    assertEquals(new OpProfile.Op("aten::conv2d", 1, 3.0, 10.0), profile.ops().get(2));
    assertEquals(new OpProfile.Op("aten::empty", 1, 1.0, 1.0), profile.ops().get(3));
    assertEquals(4, profile.ops().size(), "instant events are not ops");

    String report = profile.report(2);
    assertTrue(report.startsWith("ops by self time (15 ms traced):"), report);
    assertTrue(report.contains("6.0 ms  40.0%"), report);
    assertEquals(3, report.lines().count(), report);
  }
}
