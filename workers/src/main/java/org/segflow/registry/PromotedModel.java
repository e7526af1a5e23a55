package org.segflow.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/** models/promoted.json: the version inference uses for the dataset. */
record PromotedModel(@JsonProperty("version") String version) {}
