package org.segflow.train;

import java.nio.file.Path;

/** Which fold is training and where its outputs go: the labels every listener needs. */
public record FoldContext(String dataset, String configuration, String fold, Path outputDir) {}
