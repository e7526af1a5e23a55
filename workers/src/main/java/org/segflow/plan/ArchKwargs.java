package org.segflow.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The keyword arguments nnU-Net passes to PlainConvUNet, in nnU-Net's key order.
 * Op names are the fully qualified torch class names nnU-Net imports. {@code dropout_op} and
 * {@code dropout_op_kwargs} are null (written as JSON null) in default plans.
 */
@JsonPropertyOrder({"n_stages", "features_per_stage", "conv_op", "kernel_sizes", "strides",
    "n_conv_per_stage", "n_conv_per_stage_decoder", "conv_bias", "norm_op", "norm_op_kwargs",
    "dropout_op", "dropout_op_kwargs", "nonlin", "nonlin_kwargs"})
public record ArchKwargs(
    @JsonProperty("n_stages") int nStages,
    @JsonProperty("features_per_stage") List<Integer> featuresPerStage,
    @JsonProperty("conv_op") String convOp,
    @JsonProperty("kernel_sizes") List<List<Integer>> kernelSizes,
    @JsonProperty("strides") List<List<Integer>> strides,
    @JsonProperty("n_conv_per_stage") List<Integer> nConvPerStage,
    @JsonProperty("n_conv_per_stage_decoder") List<Integer> nConvPerStageDecoder,
    @JsonProperty("conv_bias") boolean convBias,
    @JsonProperty("norm_op") String normOp,
    @JsonProperty("norm_op_kwargs") NormOpKwargs normOpKwargs,
    @JsonProperty("dropout_op") String dropoutOp,
    @JsonProperty("dropout_op_kwargs") Map<String, Object> dropoutOpKwargs,
    @JsonProperty("nonlin") String nonlin,
    @JsonProperty("nonlin_kwargs") NonlinKwargs nonlinKwargs) {

  public static final String CONV2D = "torch.nn.modules.conv.Conv2d";
  public static final String INSTANCE_NORM2D = "torch.nn.modules.instancenorm.InstanceNorm2d";
  public static final String LEAKY_RELU = "torch.nn.LeakyReLU";

  /** PlainConvUNet 2D defaults around a topology: features min(512, 32·2^i), two convs everywhere. */
  public static ArchKwargs plainConvUNet2d(NetworkTopology topology) {
    int n = topology.numStages();
    return new ArchKwargs(n, FeatureMapEstimator.featuresPerStage(n, ExperimentPlanner.MAX_FEATURES_2D),
        CONV2D, topology.kernelSizes(), topology.strides(),
        List.copyOf(Collections.nCopies(n, ExperimentPlanner.CONVS_PER_STAGE)),
        List.copyOf(Collections.nCopies(n - 1, ExperimentPlanner.CONVS_PER_STAGE)),
        true, INSTANCE_NORM2D, new NormOpKwargs(1e-5, true), null, null, LEAKY_RELU,
        new NonlinKwargs(true, null));
  }

  /** {@code {"eps": 1e-05, "affine": true}} for InstanceNorm. */
  @JsonPropertyOrder({"eps", "affine"})
  public record NormOpKwargs(@JsonProperty("eps") double eps, @JsonProperty("affine") boolean affine) {}

  /**
   * {@code {"inplace": true}}; {@code negative_slope} is absent in default plans (torch's default
   * 0.01 applies) and only written when a hand-edited plan sets it.
   */
  @JsonPropertyOrder({"inplace", "negative_slope"})
  public record NonlinKwargs(
      @JsonProperty("inplace") boolean inplace,
      @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("negative_slope") Double negativeSlope) {

    /** The LeakyReLU slope in effect: the plan's value or torch's default 0.01. */
    public double slope() {
      return negativeSlope != null ? negativeSlope : 0.01;
    }
  }
}
