package org.segflow.io;

/**
 * An image as read from a file, with the bit depth of its samples (8 or 16 for integer images,
 * 32 for float TIFFs; palette and low-bit images report 8 after expansion).
 */
public record DecodedImage(ImageArray pixels, int bitDepth) {}
