package org.segflow.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** A configuration's network: class name, its kwargs, and which kwargs name classes to import. */
@JsonPropertyOrder({"network_class_name", "arch_kwargs", "_kw_requires_import"})
public record Architecture(
    @JsonProperty("network_class_name") String networkClassName,
    @JsonProperty("arch_kwargs") ArchKwargs archKwargs,
    @JsonProperty("_kw_requires_import") List<String> kwRequiresImport) {

  public static final String PLAIN_CONV_UNET =
      "dynamic_network_architectures.architectures.unet.PlainConvUNet";
  public static final List<String> REQUIRES_IMPORT = List.of("conv_op", "norm_op", "dropout_op", "nonlin");

  public static Architecture plainConvUNet(ArchKwargs kwargs) {
    return new Architecture(PLAIN_CONV_UNET, kwargs, REQUIRES_IMPORT);
  }
}
