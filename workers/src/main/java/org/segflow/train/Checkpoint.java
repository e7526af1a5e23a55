package org.segflow.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.segflow.InvalidInputException;
import org.segflow.dataset.DatasetManifest;
import org.segflow.storage.AtomicFiles;
import org.segflow.storage.Json;

/**
 * A fold checkpoint: network weights (DJL's .params encoding), the optimizer's momentum buffers, and
 * the trainer state (next epoch, best EMA, curves). nnU-Net pickles these into a .pth; we keep the
 * same three names (checkpoint_best / _latest / _final) with a zip that Java reads without torch:
 * {@code state.json}, {@code weights.params}, {@code optimizer.bin}. Written atomically, so the newest
 * checkpoint on disk is always complete.
 */
public record Checkpoint(State state, byte[] weights, byte[] optimizer) {

  public static final String BEST = "checkpoint_best.zip";
  public static final String LATEST = "checkpoint_latest.zip";
  public static final String FINAL = "checkpoint_final.zip";

  /** Everything but the tensors. {@code currentEpoch} is the next epoch to run, as in nnU-Net. */
  public record State(
      @JsonProperty("trainer_name") String trainerName,
      @JsonProperty("current_epoch") int currentEpoch,
      @JsonProperty("num_epochs") int numEpochs,
      @JsonProperty("best_ema") double bestEma,
      @JsonProperty("logging") TrainingHistory logging,
      @JsonProperty("init_args") java.util.Map<String, Object> initArgs,
      @JsonProperty("inference_allowed_mirroring_axes") int[] mirrorAxes,
      @JsonProperty("weights_sha256") String weightsSha256) {}

  public void write(Path file) {
    AtomicFiles.write(file, tmp -> {
      try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
         ZipOutputStream zip = new ZipOutputStream(os)) {
        put(zip, "state.json", Json.write(state).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        put(zip, "weights.params", weights);
        put(zip, "optimizer.bin", optimizer);
      }
    });
  }

  /**
   * Writes a checkpoint with the tensors encoded straight into the file: the same bytes as
   * {@link #write(Path)} of {@link #capture}d arrays, without the arrays (their heap copies, ~2.5x
   * the encoded size while they grow, stay committed to the JVM afterwards, on top of the native
   * memory the training's allocator keeps). The encoders run twice: first for each entry's size and
   * CRC (a stored zip entry declares them before its bytes) and the weights' sha256 (in state.json,
   * the first entry), then to write; they must give the same bytes both times (the zip refuses an
   * entry whose bytes differ from the CRC it declared).
   *
   * @param state the state given the weights' sha256
   */
  public static void write(Path file, java.util.function.Function<String, State> state, Encoder weights,
      Encoder optimizer) {
    Summary w = summary(weights, true);
    Summary o = summary(optimizer, false);
    byte[] json = Json.write(state.apply(w.sha256())).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AtomicFiles.write(file, tmp -> {
      try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20);
         ZipOutputStream zip = new ZipOutputStream(os)) {
        put(zip, "state.json", json);
        put(zip, "weights.params", w, weights);
        put(zip, "optimizer.bin", o, optimizer);
      }
    });
  }

  /** An encoder's output, measured: byte count, CRC-32 and (when asked) sha256 in hex. */
  private record Summary(long size, long crc, String sha256) {}

  private static Summary summary(Encoder encoder, boolean sha256) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    MessageDigest md = sha256 ? sha256Digest() : null;
    long[] size = {0};
    OutputStream sink = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        crc.update(b, off, len);
        if (md != null) {
          md.update(b, off, len);
        }
        size[0] += len;
      }
    };
    encode(encoder, sink);
    return new Summary(size[0], crc.getValue(), md == null ? null : java.util.HexFormat.of().formatHex(md.digest()));
  }

  private static void put(ZipOutputStream zip, String name, Summary summary, Encoder encoder)
      throws IOException {
    ZipEntry e = stored(name, summary.size(), summary.crc());
    zip.putNextEntry(e);
    encode(encoder, new java.io.FilterOutputStream(zip) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        flush(); // the zip stays open for the next entry
      }
    });
    zip.closeEntry();
  }

  private static void encode(Encoder encoder, OutputStream out) {
    try (java.io.DataOutputStream dos = new java.io.DataOutputStream(new java.io.BufferedOutputStream(out, 1 << 16))) {
      encoder.encode(dos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a written checkpoint under another name, atomically (cheaper than encoding it twice). */
  public static void copy(Path from, Path to) {
    AtomicFiles.write(to, tmp -> Files.copy(from, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING));
  }

  public static Checkpoint read(Path file) {
    State state = null;
    byte[] weights = null;
    byte[] optimizer = null;
    try (InputStream is = Files.newInputStream(file); ZipInputStream zip = new ZipInputStream(is)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        byte[] bytes = zip.readAllBytes();
        switch (e.getName()) {
          case "state.json" -> state = Json.mapper().readValue(bytes, State.class);
          case "weights.params" -> weights = bytes;
          case "optimizer.bin" -> optimizer = bytes;
          default -> { }
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(file, "checkpoint not found");
    } catch (IOException e) {
      throw new InvalidInputException(file, "unreadable checkpoint: " + e.getMessage(), e);
    }
    if (state == null || weights == null || optimizer == null) {
      throw new InvalidInputException(file,
          "incomplete checkpoint: expected state.json, weights.params and optimizer.bin");
    }
    if (state.weightsSha256() != null && !state.weightsSha256().equals(sha256(weights))) {
      throw new InvalidInputException(file, "checkpoint weights do not match their sha256");
    }
    return new Checkpoint(state, weights, optimizer);
  }

  /**
   * For inference: the state, with the weights streamed straight into {@code weights} (no copy of them
   * or of the optimizer's buffers on the heap) and checked against their sha256 afterwards.
   */
  public static State readWeights(Path file, WeightsReader weights) {
    State state = null;
    String weightsSha256 = null;
    try (InputStream is = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
         ZipInputStream zip = new ZipInputStream(is)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        switch (e.getName()) {
          case "state.json" -> state = Json.mapper().readValue(zip.readAllBytes(), State.class);
          case "weights.params" -> {
            MessageDigest md = sha256Digest();
            DigestInputStream in = new DigestInputStream(zip, md);
            weights.read(new java.io.FilterInputStream(in) {
              @Override
              public void close() {
                // the zip stays open for the entries after this one
              }
            });
            in.transferTo(OutputStream.nullOutputStream()); // bytes the reader left count too
            weightsSha256 = java.util.HexFormat.of().formatHex(md.digest());
          }
          default -> { }
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InvalidInputException(file, "checkpoint not found");
    } catch (IOException | ai.djl.MalformedModelException e) {
      throw new InvalidInputException(file, "unreadable checkpoint: " + e.getMessage(), e);
    }
    if (state == null || weightsSha256 == null) {
      throw new InvalidInputException(file, "incomplete checkpoint: expected state.json and weights.params");
    }
    if (state.weightsSha256() != null && !state.weightsSha256().equals(weightsSha256)) {
      throw new InvalidInputException(file, "checkpoint weights do not match their sha256");
    }
    return state;
  }

  /** Reads a checkpoint's weights from a stream positioned at them. */
  @FunctionalInterface
  public interface WeightsReader {
    void read(InputStream weights) throws IOException, ai.djl.MalformedModelException;
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(bytes);
    zip.putNextEntry(stored(name, bytes.length, crc.getValue()));
    zip.write(bytes);
    zip.closeEntry();
  }

  private static ZipEntry stored(String name, long size, long crc) {
    ZipEntry e = new ZipEntry(name);
    e.setTime(0); // no timestamps: identical states give identical files
    // stored, not deflated: float weights barely compress and deflating 300 MB costs seconds per epoch
    e.setMethod(ZipEntry.STORED);
    e.setSize(size);
    e.setCompressedSize(size);
    e.setCrc(crc);
    return e;
  }

  public static String sha256(byte[] bytes) {
    return DatasetManifest.sha256(bytes);
  }

  /** Collects bytes written by an encoder (DJL's Block.saveParameters takes a DataOutputStream). */
  public static byte[] capture(Encoder encoder) {
    ByteArrayOutputStream bos = new ByteArrayOutputStream();
    try (java.io.DataOutputStream dos = new java.io.DataOutputStream(bos)) {
      encoder.encode(dos);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bos.toByteArray();
  }

  @FunctionalInterface
  public interface Encoder {
    void encode(java.io.DataOutputStream out) throws IOException;
  }
}
