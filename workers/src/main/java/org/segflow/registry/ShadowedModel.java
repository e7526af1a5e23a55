package org.segflow.registry;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * models/shadow.json: the version that segments every arriving image of the dataset beside the promoted
 * one, publishing nothing, since {@code startedAt} (ISO-8601).
 */
record ShadowedModel(@JsonProperty("version") String version, @JsonProperty("started_at") String startedAt) {}
