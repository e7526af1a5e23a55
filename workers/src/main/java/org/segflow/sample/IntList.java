package org.segflow.sample;

import java.util.Arrays;

/** A growable list of ints (pixel indices) without boxing. */
final class IntList {

  private int[] data = new int[256];
  private int size;

  void add(int v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, size * 2);
    }
    data[size++] = v;
  }

  int get(int i) {
    return data[i];
  }

  int size() {
    return size;
  }

  int[] toArray() {
    return Arrays.copyOf(data, size);
  }
}
