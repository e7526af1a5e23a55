package org.segflow.train.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a traced step spent its time, per op: self time (the op's own duration minus the ops it
 * called) and total time, read from the Chrome trace PyTorch's profiler writes. Self time is what
 * tells a slow kernel from a slow caller: aten::conv2d's total holds the convolution, its self
 * time only the dispatch.
 */
public record OpProfile(List<Op> ops, double tracedMillis) {

  /** One op name's calls, self and total time (ms). */
  public record Op(String name, int calls, double selfMillis, double totalMillis) {}

  /** Reads a trace; events nest per thread by their time spans. */
  public static OpProfile read(Path trace) throws IOException {
    JsonNode root = new ObjectMapper().readTree(trace.toFile());
    JsonNode events = root.isArray() ? root : root.path("traceEvents");
    Map<String, List<Span>> byThread = new HashMap<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText()) && e.has("dur")) {
        byThread.computeIfAbsent(e.path("pid").asText() + "/" + e.path("tid").asText(),
            k -> new ArrayList<>()).add(new Span(e.path("name").asText(), e.path("ts").asDouble(),
            e.path("dur").asDouble()));
      }
    }
    Map<String, double[]> totals = new HashMap<>();
    double traced = 0;
    for (List<Span> spans : byThread.values()) {
      spans.sort(Comparator.comparingDouble(Span::start)
          .thenComparing(Comparator.comparingDouble(Span::duration).reversed()));
      Deque<Span> open = new ArrayDeque<>();
      for (Span s : spans) {
        while (!open.isEmpty() && open.peek().end() <= s.start()) {
          open.pop();
        }
        if (open.isEmpty()) {
          traced += s.duration();
        } else {
          open.peek().children += s.duration();
        }
        open.push(s);
      }
      for (Span s : spans) {
        double[] t = totals.computeIfAbsent(s.name(), k -> new double[3]);
        t[0]++;
        t[1] += s.duration() - s.children;
        t[2] += s.duration();
      }
    }
    List<Op> ops = new ArrayList<>();
    totals.forEach((name, t) -> ops.add(new Op(name, (int) t[0], t[1] / 1e3, t[2] / 1e3)));
    ops.sort(Comparator.comparingDouble(Op::selfMillis).reversed());
    return new OpProfile(List.copyOf(ops), traced / 1e3);
  }

  /** The {@code top} ops by self time, one line each, with their share of the traced time. */
  public String report(int top) {
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "ops by self time (%.0f ms traced):", tracedMillis));
    for (Op op : ops.subList(0, Math.min(top, ops.size()))) {
      s.append(String.format(Locale.ROOT, "%n  %8.1f ms %5.1f%%  total %8.1f ms  %5d calls  %s",
          op.selfMillis(), 100 * op.selfMillis() / tracedMillis, op.totalMillis(), op.calls(),
          op.name()));
    }
    return s.toString();
  }

  /** An event's span; children accumulates the durations of the events directly inside it. */
  private static final class Span {
    private final String name;
    private final double start;
    private final double duration;
    private double children;

    Span(String name, double start, double duration) {
      this.name = name;
      this.start = start;
      this.duration = duration;
    }

    String name() {
      return name;
    }

    double start() {
      return start;
    }

    double duration() {
      return duration;
    }

    double end() {
      return start + duration;
    }
  }
}
