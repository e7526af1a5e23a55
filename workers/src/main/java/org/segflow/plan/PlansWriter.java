package org.segflow.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.segflow.InvalidInputException;
import org.segflow.storage.Json;

/**
 * Writes {@code <plans_name>.json} as nnU-Net's {@code save_plans}: deterministic key order, and
 * configurations already in an existing file that this planning run did not produce (e.g. a
 * hand-added "2d_bs8" that inherits from "2d") are kept verbatim, after the new ones.
 */
public final class PlansWriter {

  private PlansWriter() {}

  /** The plans file name nnU-Net uses: {@code preprocessedDatasetDir/<plans_name>.json}. */
  public static Path plansFile(Path preprocessedDatasetDir, String plansName) {
    return preprocessedDatasetDir.resolve(plansName + ".json");
  }

  /** Writes atomically; same plans and same existing file give byte-identical output. */
  public static void write(Path file, Plans plans) {
    ObjectNode tree = Json.mapper().valueToTree(plans);
    if (Files.isRegularFile(file)) {
      JsonNode old = readTree(file);
      JsonNode oldConfigurations = old.get("configurations");
      if (oldConfigurations != null && oldConfigurations.isObject()) {
        ObjectNode configurations = (ObjectNode) tree.get("configurations");
        for (Map.Entry<String, JsonNode> entry : oldConfigurations.properties()) {
          if (!configurations.has(entry.getKey())) {
            configurations.set(entry.getKey(), entry.getValue());
          }
        }
      }
    }
    Json.write(file, tree);
  }

  private static JsonNode readTree(Path file) {
    try {
      JsonNode node = Json.mapper().readTree(file.toFile());
      if (node == null || !node.isObject()) {
        throw new InvalidInputException(file, "existing plans file is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidInputException(file, "existing plans file is not valid JSON: " + e.getMessage(), e);
    }
  }
}
