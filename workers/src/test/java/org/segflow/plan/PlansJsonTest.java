package org.segflow.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segflow.InvalidInputException;
import org.segflow.storage.Json;

class PlansJsonTest {

  @TempDir
  Path dir;

  private static Plans drivePlans() {
    return new ExperimentPlanner().plan("Dataset003_DRIVE", PlanFixtures.datasetJson(20, 2, "CT"),
        PlanFixtures.fingerprint2d(20, 584, 565, 1, 0.9));
  }

  @Test
  void writesNnUNetFieldNamesAndValues() throws IOException {
    JsonNode root = Json.mapper().readTree(Json.write(drivePlans()));
    assertEquals(List.of("dataset_name", "plans_name", "original_median_spacing_after_transp",
        "original_median_shape_after_transp", "image_reader_writer", "transpose_forward",
        "transpose_backward", "configurations", "experiment_planner_used", "label_manager",
        "foreground_intensity_properties_per_channel"), names(root));
    JsonNode c = root.get("configurations").get("2d");
    assertEquals(List.of("data_identifier", "preprocessor_name", "batch_size", "patch_size",
        "median_image_size_in_voxels", "spacing", "normalization_schemes", "use_mask_for_norm",
        "resampling_fn_data", "resampling_fn_seg", "resampling_fn_data_kwargs",
        "resampling_fn_seg_kwargs", "resampling_fn_probabilities", "resampling_fn_probabilities_kwargs",
        "architecture", "batch_dice"), names(c));
    assertEquals("resample_data_or_seg_to_shape", c.get("resampling_fn_data").asText());
    assertEquals("{\"is_seg\":false,\"order\":3,\"order_z\":0,\"force_separate_z\":null}",
        c.get("resampling_fn_data_kwargs").toString());
    assertEquals("{\"is_seg\":true,\"order\":1,\"order_z\":0,\"force_separate_z\":null}",
        c.get("resampling_fn_seg_kwargs").toString());
    assertEquals("{\"is_seg\":false,\"order\":1,\"order_z\":0,\"force_separate_z\":null}",
        c.get("resampling_fn_probabilities_kwargs").toString());

    JsonNode arch = c.get("architecture");
    assertEquals(List.of("network_class_name", "arch_kwargs", "_kw_requires_import"), names(arch));
    assertEquals("dynamic_network_architectures.architectures.unet.PlainConvUNet",
        arch.get("network_class_name").asText());
    assertEquals("[\"conv_op\",\"norm_op\",\"dropout_op\",\"nonlin\"]", arch.get("_kw_requires_import").toString());
    JsonNode kw = arch.get("arch_kwargs");
    assertEquals(List.of("n_stages", "features_per_stage", "conv_op", "kernel_sizes", "strides",
        "n_conv_per_stage", "n_conv_per_stage_decoder", "conv_bias", "norm_op", "norm_op_kwargs",
        "dropout_op", "dropout_op_kwargs", "nonlin", "nonlin_kwargs"), names(kw));
    assertEquals("torch.nn.modules.conv.Conv2d", kw.get("conv_op").asText());
    assertEquals("torch.nn.modules.instancenorm.InstanceNorm2d", kw.get("norm_op").asText());
    assertEquals(1e-5, kw.get("norm_op_kwargs").get("eps").asDouble());
    assertTrue(kw.get("norm_op_kwargs").get("affine").asBoolean());
    assertTrue(kw.get("dropout_op").isNull());
    assertTrue(kw.get("dropout_op_kwargs").isNull());
    assertEquals("torch.nn.LeakyReLU", kw.get("nonlin").asText());
    assertEquals("{\"inplace\":true}", kw.get("nonlin_kwargs").toString());
    assertTrue(kw.get("conv_bias").asBoolean());
    assertEquals("[[1,1],[2,2],[2,2],[2,2],[2,2],[2,2],[2,2],[2,2]]", kw.get("strides").toString());
    assertEquals("[1.0,1.0]", c.get("spacing").toString());
    assertEquals("[640,640]", c.get("patch_size").toString());
    assertEquals("[false]", c.get("use_mask_for_norm").toString());
    assertEquals("{\"max\":255.0,\"mean\":120.5,\"median\":118.0,\"min\":3.0,\"percentile_00_5\":10.25,"
        + "\"percentile_99_5\":240.5,\"std\":40.125}",
        root.get("foreground_intensity_properties_per_channel").get("0").toString());
  }

  @Test
  void writeAndReadRoundTrips() {
    Plans plans = drivePlans();
    Path file = PlansWriter.plansFile(dir, "nnUNetPlans");
    PlansWriter.write(file, plans);
    assertEquals(dir.resolve("nnUNetPlans.json"), file);
    Plans back = Plans.read(file);
    assertEquals(plans, back);
    PlansConfiguration c = back.configuration("2d");
    assertEquals(640, c.patchSizeArray()[1]);
    assertEquals(0.01, c.archKwargs().nonlinKwargs().slope());
    assertEquals(1e-5, c.archKwargs().normOpKwargs().eps());
  }

  @Test
  void writingIsByteIdenticalAndEqualsJsonWrite() throws IOException {
    Path a = dir.resolve("a.json");
    Path b = dir.resolve("b.json");
    PlansWriter.write(a, drivePlans());
    PlansWriter.write(b, drivePlans());
    assertEquals(Files.readString(a), Files.readString(b));
    assertEquals(Json.write(drivePlans()), Files.readString(a));
    PlansWriter.write(a, drivePlans()); // rewriting over itself changes nothing
    assertEquals(Files.readString(b), Files.readString(a));
  }

  @Test
  void existingCustomConfigurationsAreKeptAndInheritanceResolves() throws IOException {
    Path file = dir.resolve("nnUNetPlans.json");
    Files.writeString(file, """
        {"dataset_name": "old", "configurations": {
          "2d": {"batch_size": 99, "patch_size": [8, 8]},
          "2d_bs8": {"inherits_from": "2d", "batch_size": 8, "custom_key": [1, 2]}
        }}
        """);
    PlansWriter.write(file, drivePlans());
    JsonNode configs = Json.mapper().readTree(file.toFile()).get("configurations");
    assertEquals(List.of("2d", "2d_bs8"), names(configs));
    assertEquals(2, configs.get("2d").get("batch_size").asInt()); // replaced by the new plan
    assertEquals("[1,2]", configs.get("2d_bs8").get("custom_key").toString()); // kept verbatim

    Plans plans = Plans.read(file);
    PlansConfiguration custom = plans.configuration("2d_bs8");
    assertEquals(8, custom.batchSize());
    assertEquals(List.of(640, 640), custom.patchSize());
    assertEquals("nnUNetPlans_2d", custom.dataIdentifier());
    assertEquals(plans.configuration("2d").architecture(), custom.architecture());
  }

  @Test
  void unknownAndCircularConfigurationsAreClearErrors() throws IOException {
    Path file = dir.resolve("p.json");
    Files.writeString(file, """
        {"plans_name": "p", "configurations": {
          "a": {"inherits_from": "b"}, "b": {"inherits_from": "a"}, "c": {"batch_size": 2}}}
        """);
    Plans plans = Plans.read(file);
    InvalidInputException missing = assertThrows(InvalidInputException.class,
        () -> plans.configuration("3d_fullres"));
    assertTrue(missing.getMessage().contains("3d_fullres"), missing.getMessage());
    InvalidInputException circle = assertThrows(InvalidInputException.class,
        () -> plans.configuration("a"));
    assertTrue(circle.getMessage().contains("circle"), circle.getMessage());
    Files.writeString(file, "{\"configurations\": {}}");
    assertThrows(InvalidInputException.class, () -> Plans.read(file));
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
