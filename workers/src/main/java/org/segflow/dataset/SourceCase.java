package org.segflow.dataset;

import java.nio.file.Path;

/**
 * One case of a source dataset before conversion: the image, its label (null for an unlabelled
 * test case) and its field-of-view mask (null when there is none).
 */
public record SourceCase(String id, Path image, Path label, Path mask) {}
