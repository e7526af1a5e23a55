package org.segflow.dataset;

import org.segflow.io.ImageArray;

/**
 * A field-of-view mask computed from a fundus photograph, for public releases that ship none
 * (CHASE_DB1, STARE). The camera's aperture leaves the outside near black, and the red channel is
 * the brightest inside the retina (vessels and lesions darken green and blue far more), so: red
 * (or the gray value) above {@value #THRESHOLD} on the 8-bit scale, an opening of radius
 * {@value #RADIUS} to drop JPEG speckle in the black border, the largest 4-connected region (burnt-in
 * text stays out), and its holes filled (a dark lesion is still inside the field of view).
 */
public final class FovMask {

  /** 8-bit red above this is inside; the black border of JPEG releases stays below about 10. */
  public static final int THRESHOLD = 20;
  public static final int RADIUS = 2;

  /** How the mask was made, for the conversion log and manifest.json. */
  public static final String DESCRIPTION = "field-of-view masks computed from the image: red channel"
      + " (gray for gray images, 8-bit scale) > " + THRESHOLD + ", opening of radius " + RADIUS
      + " (square), largest 4-connected region, holes filled";

  private FovMask() {}

  /** The mask (values 0/1) of an image of the given bit depth (8 or 16). */
  public static ImageArray of(ImageArray image, int bitDepth) {
    int h = image.height();
    int w = image.width();
    int shift = bitDepth == 16 ? 8 : 0;
    float[] red = image.data(); // channel 0 comes first, whatever the channel count
    boolean[] in = new boolean[h * w];
    for (int i = 0; i < in.length; i++) {
      in[i] = (((int) red[i]) >> shift) > THRESHOLD;
    }
    boolean[] opened = dilate(erode(in, w, h), w, h);
    boolean[] region = fillHoles(largestRegion(opened, w, h), w, h);
    float[] out = new float[h * w];
    for (int i = 0; i < out.length; i++) {
      out[i] = region[i] ? 1f : 0f;
    }
    return new ImageArray(1, h, w, out);
  }

  /** Square erosion; outside the image counts as inside, so a field cut by the frame keeps its edge. */
  private static boolean[] erode(boolean[] m, int w, int h) {
    return invert(dilate(invert(m), w, h));
  }

  /** Square dilation, separable: rows then columns, each a sliding count over 2r+1 pixels. */
  private static boolean[] dilate(boolean[] m, int w, int h) {
    boolean[] rows = new boolean[m.length];
    for (int y = 0; y < h; y++) {
      slide(m, rows, y * w, 1, w);
    }
    boolean[] out = new boolean[m.length];
    for (int x = 0; x < w; x++) {
      slide(rows, out, x, w, h);
    }
    return out;
  }

  private static void slide(boolean[] src, boolean[] dst, int start, int step, int len) {
    int count = 0;
    for (int k = 0; k < Math.min(RADIUS, len); k++) {
      count += src[start + k * step] ? 1 : 0;
    }
    for (int k = 0; k < len; k++) {
      int add = k + RADIUS;
      int drop = k - RADIUS - 1;
      if (add < len && src[start + add * step]) {
        count++;
      }
      if (drop >= 0 && src[start + drop * step]) {
        count--;
      }
      dst[start + k * step] = count > 0;
    }
  }

  private static boolean[] invert(boolean[] m) {
    boolean[] out = new boolean[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = !m[i];
    }
    return out;
  }

  private static boolean[] largestRegion(boolean[] m, int w, int h) {
    int[] label = new int[m.length];
    int[] queue = new int[m.length];
    int best = 0;
    int bestSize = 0;
    int next = 0;
    for (int s = 0; s < m.length; s++) {
      if (!m[s] || label[s] != 0) {
        continue;
      }
      int size = flood(m, true, label, ++next, s, w, h, queue);
      if (size > bestSize) {
        best = next;
        bestSize = size;
      }
    }
    boolean[] out = new boolean[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = best != 0 && label[i] == best;
    }
    return out;
  }

  /** Everything not reachable from the frame through the outside becomes inside. */
  private static boolean[] fillHoles(boolean[] m, int w, int h) {
    int[] label = new int[m.length];
    int[] queue = new int[m.length];
    for (int x = 0; x < w; x++) {
      seed(m, label, x, w, h, queue);
      seed(m, label, (h - 1) * w + x, w, h, queue);
    }
    for (int y = 0; y < h; y++) {
      seed(m, label, y * w, w, h, queue);
      seed(m, label, y * w + w - 1, w, h, queue);
    }
    boolean[] out = new boolean[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = label[i] == 0;
    }
    return out;
  }

  private static void seed(boolean[] m, int[] label, int s, int w, int h, int[] queue) {
    if (!m[s] && label[s] == 0) {
      flood(m, false, label, 1, s, w, h, queue);
    }
  }

  /** Labels the 4-connected pixels equal to {@code value} from {@code s}; returns their count. */
  private static int flood(boolean[] m, boolean value, int[] label, int id, int s, int w, int h,
      int[] queue) {
    int head = 0;
    int tail = 0;
    label[s] = id;
    queue[tail++] = s;
    while (head < tail) {
      int p = queue[head++];
      int x = p % w;
      int y = p / w;
      int[] around = {x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1,
          y < h - 1 ? p + w : -1};
      for (int q : around) {
        if (q >= 0 && m[q] == value && label[q] == 0) {
          label[q] = id;
          queue[tail++] = q;
        }
      }
    }
    return tail;
  }
}
