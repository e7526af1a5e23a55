package org.segflow.postprocess;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.segflow.InvalidInputException;
import org.segflow.storage.Json;

/**
 * A chosen postprocessing: keep-largest-component steps applied in order (nnU-Net's
 * {@code pp_fns}/{@code pp_fn_kwargs}). Read from the postprocessing.json that
 * {@link PostprocessingSelector} writes in place of nnU-Net's postprocessing.pkl.
 */
public record Postprocessing(List<KeepLargestComponent> steps) {

  public static final Postprocessing NONE = new Postprocessing(List.of());

  public Postprocessing {
    steps = Collections.unmodifiableList(new ArrayList<>(steps));
  }

  public boolean isNone() {
    return steps.isEmpty();
  }

  public Postprocessing then(KeepLargestComponent step) {
    List<KeepLargestComponent> more = new ArrayList<>(steps);
    more.add(step);
    return new Postprocessing(more);
  }

  /** A new label map with every step applied; the input is not modified. */
  public short[] apply(short[] segmentation, int height, int width) {
    short[] out = segmentation;
    for (KeepLargestComponent step : steps) {
      out = step.apply(out, height, width);
    }
    return out == segmentation ? segmentation.clone() : out;
  }

  public List<String> functionNames() {
    return steps.stream().map(s -> KeepLargestComponent.FUNCTION_NAME).toList();
  }

  public List<Object> kwargsJson() {
    return steps.stream().map(s -> (Object) s.kwargsJson()).toList();
  }

  /** Reads {@code postprocessing_fns} and {@code postprocessing_kwargs} from a postprocessing.json. */
  public static Postprocessing read(Path file) {
    JsonNode root;
    try {
      root = Json.mapper().readTree(Files.readAllBytes(file));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(file, "file not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, "not valid JSON: " + e.getMessage(), e);
    }
    JsonNode fns = root.get("postprocessing_fns");
    JsonNode kwargs = root.get("postprocessing_kwargs");
    if (fns == null || kwargs == null || !fns.isArray() || !kwargs.isArray()
        || fns.size() != kwargs.size()) {
      throw new InvalidInputException(file, "expected arrays postprocessing_fns and "
          + "postprocessing_kwargs of equal length");
    }
    List<KeepLargestComponent> steps = new ArrayList<>();
    for (int i = 0; i < fns.size(); i++) {
      String fn = fns.get(i).asText();
      if (!KeepLargestComponent.FUNCTION_NAME.equals(fn)) {
        throw new InvalidInputException(file, "unknown postprocessing function '" + fn + "'; only "
            + KeepLargestComponent.FUNCTION_NAME + " is supported");
      }
      JsonNode labels = kwargs.get(i).get("labels_or_regions");
      if (labels == null) {
        throw new InvalidInputException(file, "postprocessing_kwargs[" + i
            + "] lacks labels_or_regions");
      }
      if (labels.isArray()) {
        List<Integer> list = new ArrayList<>();
        labels.forEach(l -> list.add(label(l, file)));
        steps.add(new KeepLargestComponent(list, true));
      } else {
        steps.add(KeepLargestComponent.ofLabel(label(labels, file)));
      }
    }
    return new Postprocessing(steps);
  }

  private static int label(JsonNode node, Path file) {
    if (!node.isInt()) {
      throw new InvalidInputException(file, "label " + node
          + " is not an integer (region-based postprocessing is not supported)");
    }
    return node.asInt();
  }
}
