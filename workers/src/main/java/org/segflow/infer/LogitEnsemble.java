package org.segflow.infer;

import java.util.List;
import org.segflow.io.ImageArray;

/**
 * The mean of several predictions of one image: nnU-Net sums the folds' logits in float32 and divides
 * by their number (softmax comes only at export); nnUNetv2_ensemble does the same with probabilities.
 */
public final class LogitEnsemble {

  private float[] sum;
  private int channels;
  private int height;
  private int width;
  private int count;

  /** Adds one member's (K, H, W) logits; all members must have the same shape. */
  public LogitEnsemble add(ImageArray member) {
    if (sum == null) {
      sum = member.data().clone();
      channels = member.channels();
      height = member.height();
      width = member.width();
    } else {
      if (member.channels() != channels || member.height() != height || member.width() != width) {
        throw new IllegalArgumentException("ensemble member " + (count + 1) + " has shape "
            + member.channels() + "x" + member.height() + "x" + member.width() + ", expected "
            + channels + "x" + height + "x" + width);
      }
      float[] d = member.data();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += d[i];
      }
    }
    count++;
    return this;
  }

  public int count() {
    return count;
  }

  public ImageArray mean() {
    if (count == 0) {
      throw new IllegalStateException("no ensemble members were added");
    }
    float[] out = sum.clone();
    if (count > 1) {
      float n = count;
      for (int i = 0; i < out.length; i++) {
        out[i] /= n;
      }
    }
    return new ImageArray(channels, height, width, out);
  }

  public static ImageArray mean(List<ImageArray> members) {
    LogitEnsemble e = new LogitEnsemble();
    members.forEach(e::add);
    return e.mean();
  }
}
