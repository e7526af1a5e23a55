package org.segflow.plan;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** One fold of nnU-Net's splits_final.json: training and validation case identifiers. */
@JsonPropertyOrder({"train", "val"})
public record FoldSplit(@JsonProperty("train") List<String> train, @JsonProperty("val") List<String> val) {

  public FoldSplit {
    train = train == null ? null : List.copyOf(train);
    val = val == null ? null : List.copyOf(val);
  }
}
