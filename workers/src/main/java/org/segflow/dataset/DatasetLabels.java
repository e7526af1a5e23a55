package org.segflow.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.segflow.InvalidInputException;

/**
 * The {@code labels} of dataset.json, checked as nnU-Net's LabelManager does:
 * background present and 0 (not a list), an ignore label equal to max label + 1, all expected
 * values consecutive, and for region-based labels a {@code regions_class_order} entry per region.
 *
 * @param labels      name -> values (one value, or several for a region), in dataset.json order,
 *                    without {@code ignore}
 * @param ignoreLabel the {@code ignore} value, or null
 */
public record DatasetLabels(Map<String, List<Integer>> labels, Integer ignoreLabel,
    boolean regionBased, List<Integer> regionsClassOrder) {

  public DatasetLabels {
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    regionsClassOrder = regionsClassOrder == null ? null : List.copyOf(regionsClassOrder);
  }

  /** Parses and checks; InvalidInputException listing every problem. */
  public static DatasetLabels of(DatasetJson json) {
    List<String> problems = new ArrayList<>();
    DatasetLabels labels = parse(json.labels(), json.regionsClassOrder(), problems);
    if (!problems.isEmpty()) {
      throw new InvalidInputException("dataset.json labels: " + String.join("; ", problems));
    }
    return labels;
  }

  /**
   * Parses {@code labels}, adding a sentence to {@code problems} for each failed check; returns
   * what could be parsed (never null).
   */
  public static DatasetLabels parse(Map<String, Object> raw, List<Integer> regionsClassOrder,
      List<String> problems) {
    Map<String, List<Integer>> labels = new LinkedHashMap<>();
    Integer ignore = null;
    boolean regions = false;
    if (raw == null) {
      problems.add("'labels' is missing");
      return new DatasetLabels(labels, null, false, regionsClassOrder);
    }
    for (Map.Entry<String, Object> e : raw.entrySet()) {
      Object v = e.getValue();
      if ("ignore".equals(e.getKey())) {
        Integer i = integer(v);
        if (i == null) {
          problems.add("the ignore label must be a single integer, got " + v);
        }
        ignore = i;
      } else if (v instanceof List<?> list) {
        regions = true;
        List<Integer> values = new ArrayList<>();
        for (Object o : list) {
          Integer i = integer(o);
          if (i == null) {
            problems.add("label '" + e.getKey() + "' has a non-integer value " + o);
          } else {
            values.add(i);
          }
        }
        labels.put(e.getKey(), values);
      } else {
        Integer i = integer(v);
        if (i == null) {
          problems.add("label '" + e.getKey() + "' must be an integer or a list of integers, got " + v);
        } else {
          labels.put(e.getKey(), List.of(i));
        }
      }
    }
    DatasetLabels out = new DatasetLabels(labels, ignore, regions, regionsClassOrder);
    out.check(raw, problems);
    return out;
  }

  private void check(Map<String, Object> raw, List<String> problems) {
    Object bg = raw.get("background");
    if (bg == null) {
      problems.add("'background' label is missing; it must be present and 0");
    } else if (bg instanceof List<?>) {
      problems.add("background label must be 0, not a list");
    } else if (!Integer.valueOf(0).equals(integer(bg))) {
      problems.add("background label must be 0, got " + bg);
    }
    List<Integer> all = allLabels();
    if (ignoreLabel != null && !all.isEmpty() && ignoreLabel != all.get(all.size() - 1) + 1) {
      problems.add("ignore label must be max label + 1 = " + (all.get(all.size() - 1) + 1)
          + ", got " + ignoreLabel);
    }
    List<Integer> expected = expectedValues();
    for (int i = 1; i < expected.size(); i++) {
      if (expected.get(i) - expected.get(i - 1) != 1) {
        problems.add("labels must be consecutive (0, 1, 2, ...), got " + expected);
        break;
      }
    }
    if (regionBased) {
      int regions = labels.size() - (labels.containsKey("background") ? 1 : 0);
      if (regionsClassOrder == null) {
        problems.add("region-based labels need regions_class_order");
      } else if (regionsClassOrder.size() != regions) {
        problems.add("regions_class_order has " + regionsClassOrder.size() + " entries but there are "
            + regions + " regions");
      }
    }
  }

  /** All label values (regions flattened), sorted and unique, without the ignore label. */
  public List<Integer> allLabels() {
    TreeSet<Integer> all = new TreeSet<>();
    labels.values().forEach(all::addAll);
    return new ArrayList<>(all);
  }

  /** The values a segmentation may contain: all labels plus the ignore label, sorted. */
  public List<Integer> expectedValues() {
    TreeSet<Integer> all = new TreeSet<>(allLabels());
    if (ignoreLabel != null) {
      all.add(ignoreLabel);
    }
    return new ArrayList<>(all);
  }

  /** Foreground labels (all labels but 0), sorted. */
  public List<Integer> foregroundLabels() {
    List<Integer> fg = allLabels();
    fg.remove(Integer.valueOf(0));
    return fg;
  }

  public boolean hasIgnoreLabel() {
    return ignoreLabel != null;
  }

  private static Integer integer(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).intValue();
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return (int) n.doubleValue();
    }
    if (v instanceof String s) {
      try {
        return Integer.parseInt(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
